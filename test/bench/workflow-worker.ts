/**
 * The workflow part's worker: runs the scenarios (`workflow-scenarios.ts`) on a local stack of its
 * own and writes what it counted, as JSON, to the file named by its argument.
 */
import { writeFile } from 'node:fs/promises';

// Quiet handlers: the figures are the output. Set before the handlers' modules load.
Object.assign(process.env, { METRICS_DISABLED: 'true', LOG_LEVEL: 'CRITICAL' });
const out = process.argv[2];
if (!out) throw new Error('Usage: workflow-worker.ts <output.json>');
const { measureScenarios } = await import('./workflow-scenarios.ts');
await writeFile(out, JSON.stringify(await measureScenarios()));
process.exit(0);
