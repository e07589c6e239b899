/**
 * `npm run bench`: the performance contract. Runs every part (test/bench/parts/*) in one process,
 * one after the other, prints each figure with its target and PASS/FAIL, and writes
 * bench/results.json and bench/results.md (the README summarizes them with date and machine).
 *
 *   npm run bench                   every part (under 10 minutes on a 2-core machine)
 *   npm run bench -- --quick        only the deterministic, gated figures (CI), nothing written
 *   npm run bench -- --only=a,b     the named parts, nothing written
 *
 * Exits 1 when a gated figure misses its target.
 */
import './quiet.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { PARTS } from './parts/index.ts';
import { type Section, sectionMarkdown, verdictOf } from './report.ts';

const quick = process.argv.includes('--quick');
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const unknown = only?.filter((id) => !PARTS.some((part) => part.id === id)) ?? [];
if (unknown.length > 0) {
  console.error(`Unknown part(s): ${unknown.join(', ')}. Parts: ${PARTS.map(({ id }) => id).join(', ')}.`);
  process.exit(2);
}
const chosen = PARTS.filter((part) => (only ? only.includes(part.id) : !quick || part.quick));

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, ${process.platform}/${process.arch}`;
const started = new Date();
console.log(`# Tierdesk benchmark${quick ? ' (quick)' : ''} — ${started.toISOString()} — ${machine}\n`);

const sections: (Section & { seconds: number })[] = [];
for (const part of chosen) {
  const t0 = performance.now();
  const progress = (message: string) => process.stderr.write(`  [${part.id}] ${message}\n`);
  progress('running…');
  const section = await part.run({ quick, progress });
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  sections.push({ ...section, seconds });
  console.log(sectionMarkdown(section));
  console.log(`_(${part.id}: ${seconds} s)_\n`);
}

const figures = sections.flatMap((section) => section.figures.map((figure) => ({ section, figure })));
const missed = figures.filter(({ figure }) => verdictOf(figure) === 'FAIL');
const gatedMisses = missed.filter(({ figure }) => figure.gated);
const totalSeconds = Math.round((Date.now() - started.getTime()) / 1000);
const summary = [
  `${figures.filter(({ figure }) => figure.target).length} figures with a target: ${missed.length} missed`,
  `(${gatedMisses.length} of them gated), in ${totalSeconds} s.`,
].join(' ');
console.log(summary);

if (!quick && !only) {
  mkdirSync(new URL('../../bench/', import.meta.url), { recursive: true });
  const results = { date: started.toISOString(), machine, seconds: totalSeconds, sections };
  writeFileSync(
    new URL('../../bench/results.json', import.meta.url),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  const markdown = [
    `# Benchmark results`,
    '',
    `${started.toISOString().slice(0, 10)} on ${machine}; \`npm run bench\` took ${totalSeconds} s.`,
    'Gated figures are deterministic (sizes, counts) and fail the build when they miss;',
    'latencies and ratios are measured on a shared machine and reported against their targets.',
    '',
    summary,
    '',
    ...sections.map(sectionMarkdown),
  ].join('\n');
  writeFileSync(new URL('../../bench/results.md', import.meta.url), markdown);
  console.log('written to bench/results.json and bench/results.md');
}
if (gatedMisses.length > 0) {
  console.error(
    `\nGated figures missed: ${gatedMisses.map(({ section, figure }) => `${section.id}: ${figure.name}`).join('; ')}`,
  );
  process.exit(1);
}
process.exit(0);
