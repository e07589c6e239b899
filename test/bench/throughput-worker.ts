/**
 * The throughput part's worker (test/bench/parts/throughput.ts): one local stack in this process,
 * the bounded loads, and the section as one JSON line on stdout.
 */
import './quiet.ts';
import { measureThroughput } from './parts/throughput.ts';

const section = await measureThroughput((message) => process.stderr.write(`  [throughput] ${message}\n`));
console.log(JSON.stringify(section));
process.exit(0);
