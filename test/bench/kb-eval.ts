/**
 * `npm run eval:kb`: search quality on the labelled query set (test/kb/queries.ts) against the
 * demo knowledge base, searched as a requester would (public, published articles only). Search
 * queries go through `search`, tickets being written through `suggest`.
 *
 * recall@5 — per query, the share of its relevant articles in the top five, averaged.
 * MRR      — per query, 1 / rank of the first relevant article (0 beyond the top ten), averaged.
 *
 * Writes test/bench/kb-eval-results.md and fails (exit 1) under recall@5 0.9 or MRR 0.75.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import { buildIndex } from '#shared/kb/index-build';
import { markdownToText } from '#shared/kb/markdown-text';
import { inScope, PUBLIC_SCOPE } from '#shared/kb/visibility';
import { LABELLED_QUERIES, type LabelledQuery } from '#test/kb/queries';

const THRESHOLDS = { recallAt5: 0.9, mrr: 0.75 };
const DEPTH = 10;
const RESULTS_FILE = fileURLToPath(new URL('./kb-eval-results.md', import.meta.url));

const readable = new Set(
  DEMO_ARTICLES.filter((article) => inScope(PUBLIC_SCOPE, article)).map(({ id }) => id),
);
const mislabelled = LABELLED_QUERIES.flatMap((query) => query.relevant.filter((id) => !readable.has(id)));
if (mislabelled.length > 0) {
  // A label a requester cannot reach would make the numbers meaningless.
  console.error(`Labels name articles that are not public and published: ${mislabelled.join(', ')}`);
  process.exit(2);
}

const index = buildIndex(DEMO_ARTICLES);
const tierdesk = (query: LabelledQuery): string[] =>
  (query.kind === 'search'
    ? index.search(query.q, { limit: DEPTH, scope: PUBLIC_SCOPE })
    : index.suggest(
        { subject: query.subject, description: query.description },
        { limit: DEPTH, scope: PUBLIC_SCOPE },
      )
  ).map((hit) => hit.id);

/**
 * The baseline the analyzer has to beat: MiniSearch out of the box (split on punctuation, lower
 * case; no stop words, stemming or synonyms) with the same field boosts, prefix and fuzzy
 * matching, over the same requester-visible articles.
 */
const plain = new MiniSearch<{ id: string; title: string; tags: string; category: string; body: string }>({
  fields: ['title', 'tags', 'category', 'body'],
  searchOptions: { boost: { title: 3, tags: 2, category: 1.5 }, prefix: true, fuzzy: 0.2 },
});
plain.addAll(
  DEMO_ARTICLES.filter((article) => readable.has(article.id)).map((article) => ({
    id: article.id,
    title: article.title,
    tags: article.tags.join(' '),
    category: article.category,
    body: markdownToText(article.body),
  })),
);
const baseline = (query: LabelledQuery): string[] =>
  plain
    .search(query.kind === 'search' ? query.q : `${query.subject} ${query.description}`)
    .slice(0, DEPTH)
    .map((result) => String(result.id));

const asText = (query: LabelledQuery) =>
  query.kind === 'search' ? query.q : `${query.subject} — ${query.description.slice(0, 60)}…`;

const judge = (engine: (query: LabelledQuery) => string[]) =>
  LABELLED_QUERIES.map((query) => {
    const ranked = engine(query);
    const top5 = new Set(ranked.slice(0, 5));
    const firstRank = ranked.findIndex((id) => query.relevant.includes(id)) + 1;
    return {
      query,
      ranked,
      recallAt5: query.relevant.filter((id) => top5.has(id)).length / query.relevant.length,
      reciprocalRank: firstRank > 0 ? 1 / firstRank : 0,
      firstRank,
    };
  });

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const scores = (judged: ReturnType<typeof judge>) => ({
  recallAt5: mean(judged.map((j) => j.recallAt5)),
  mrr: mean(judged.map((j) => j.reciprocalRank)),
  atRank1: judged.filter((j) => j.firstRank === 1).length,
});
const judged = judge(tierdesk);
const { recallAt5, mrr, atRank1 } = scores(judged);
const base = scores(judge(baseline));
const passes = recallAt5 >= THRESHOLDS.recallAt5 && mrr >= THRESHOLDS.mrr;
const round = (value: number) => value.toFixed(3);
const cell = (text: string) => text.replace(/\|/g, '\\|');

const misses = judged.filter((j) => j.recallAt5 < 1 || j.firstRank !== 1);
const lines = [
  `# Knowledge-base search quality (${new Date().toISOString()}, Node ${process.versions.node})`,
  '',
  `${LABELLED_QUERIES.length} labelled queries (${LABELLED_QUERIES.filter((q) => q.kind === 'ticket').length} of them tickets through \`suggest\`) over ${readable.size} public articles (${DEMO_ARTICLES.length} in the index), searched as a requester.`,
  '',
  '| metric | Tierdesk analyzer | MiniSearch defaults (baseline) | threshold |',
  '|---|---:|---:|---:|',
  `| recall@5 | ${round(recallAt5)} | ${round(base.recallAt5)} | ${THRESHOLDS.recallAt5} |`,
  `| MRR (top ${DEPTH}) | ${round(mrr)} | ${round(base.mrr)} | ${THRESHOLDS.mrr} |`,
  `| first relevant at rank 1 | ${atRank1} / ${judged.length} | ${base.atRank1} / ${judged.length} | |`,
  '',
  `## Queries not answered perfectly (${misses.length})`,
  '',
  'A relevant article missing from the top five, or the first relevant one below rank 1.',
  '',
  '| query | relevant | first relevant at | recall@5 | top 3 |',
  '|---|---|---:|---:|---|',
  ...misses.map(
    (j) =>
      `| ${cell(asText(j.query))} | ${j.query.relevant.join(', ')} | ${j.firstRank || '—'} | ${round(j.recallAt5)} | ${j.ranked.slice(0, 3).join(', ')} |`,
  ),
  '',
];

const report = lines.join('\n');
console.log(report);
writeFileSync(RESULTS_FILE, report);
console.log(passes ? 'PASS' : `FAIL: needs recall@5 ≥ ${THRESHOLDS.recallAt5} and MRR ≥ ${THRESHOLDS.mrr}`);
process.exitCode = passes ? 0 : 1;
