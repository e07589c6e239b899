/**
 * `npx tsx test/bench/kb-scale.ts`: the knowledge-base index at 5,000 articles — build time,
 * serialized size, load time (what a search container pays once) and query time (what every
 * search pays). Articles are variants of the demo content (`kb-corpus.ts`), so the vocabulary and
 * lengths stay realistic.
 * Figures are appended to test/bench/kb-eval-results.md (run `npm run eval:kb` first for a
 * fresh file). One machine, shared and noisy: read them as orders of magnitude.
 */
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import type { Article } from '#shared/kb/article';
import { buildIndex, putArticle } from '#shared/kb/index-build';
import { ArticleIndex } from '#shared/kb/search-index';
import { PUBLIC_SCOPE, STAFF_SCOPE } from '#shared/kb/visibility';
import { LABELLED_QUERIES } from '#test/kb/queries';
import { scaledArticles } from './kb-corpus.ts';

const ARTICLES = 5_000;
const QUERY_ROUNDS = 4;
const LOAD_RUNS = 5;
const RESULTS_FILE = fileURLToPath(new URL('./kb-eval-results.md', import.meta.url));

const articles = scaledArticles(ARTICLES);
const queries = LABELLED_QUERIES.map((query) =>
  query.kind === 'search' ? query.q : { subject: query.subject, description: query.description },
);

const time = <T>(fn: () => T): [T, number] => {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
};
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const [built, buildMs] = time(() => buildIndex(articles));
const [json, serializeMs] = time(() => built.toJSON());
const gzipped = gzipSync(json).length;

const loadTimes = Array.from({ length: LOAD_RUNS }, () => time(() => ArticleIndex.fromJSON(json))[1]).sort(
  (a, b) => a - b,
);

// The heap a loaded index occupies (what a search container keeps), measured between collections.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
collectGarbage();
const heapBefore = process.memoryUsage().heapUsed;
const index = ArticleIndex.fromJSON(json);
collectGarbage();
const indexHeap = process.memoryUsage().heapUsed - heapBefore;

const [, firstQueryMs] = time(() => index.search('printer offline', { limit: 10 }));
const searchTimes: number[] = [];
const suggestTimes: number[] = [];
for (let round = 0; round < QUERY_ROUNDS; round++) {
  for (const query of queries) {
    if (typeof query === 'string')
      searchTimes.push(time(() => index.search(query, { limit: 10, scope: PUBLIC_SCOPE }))[1]);
    else suggestTimes.push(time(() => index.suggest(query, { limit: 5, scope: PUBLIC_SCOPE }))[1]);
  }
}
searchTimes.sort((a, b) => a - b);
suggestTimes.sort((a, b) => a - b);

// What the stream processor pays for one changed article: update in place, serialize again.
const changed = { ...(articles[0] as Article), title: 'Printer offline on the 3rd floor', version: 2 };
const [, putMs] = time(() => putArticle(index, changed));
const [, reserializeMs] = time(() => index.toJSON());
const staffHits = index.search('printer', { limit: 50, scope: STAFF_SCOPE }).length;

const lines = [
  '',
  `## Index at ${ARTICLES.toLocaleString('en')} articles (${new Date().toISOString()}, Node ${process.versions.node})`,
  '',
  '| measure | value |',
  '|---|---:|',
  `| build from articles (Markdown → text → index) | ${ms(buildMs)} |`,
  `| serialize (toJSON) | ${ms(serializeMs)} |`,
  `| serialized size | ${mib(json.length)} (${mib(gzipped)} gzip) |`,
  `| load (fromJSON), median of ${LOAD_RUNS} | ${ms(percentile(loadTimes, 0.5))} |`,
  `| first query after load | ${ms(firstQueryMs)} |`,
  `| search p50 / p95 (${searchTimes.length} queries, limit 10, snippets included) | ${ms(percentile(searchTimes, 0.5))} / ${ms(percentile(searchTimes, 0.95))} |`,
  `| suggest p50 / p95 (${suggestTimes.length} ticket drafts, limit 5) | ${ms(percentile(suggestTimes, 0.5))} / ${ms(percentile(suggestTimes, 0.95))} |`,
  `| put one changed article / serialize again | ${ms(putMs)} / ${ms(reserializeMs)} |`,
  `| heap held by the loaded index | ${mib(indexHeap)} |`,
  '',
];
const report = lines.join('\n');
console.log(report);
if (staffHits === 0)
  throw new Error('The scaled index found nothing for "printer": the benchmark measured nothing');
appendFileSync(RESULTS_FILE, report);
