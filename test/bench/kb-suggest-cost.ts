/**
 * `npx tsx test/bench/kb-suggest-cost.ts`: what one anonymous suggestion or search costs in CPU,
 * for the requests people send and for the worst ones an attacker can send within the API's
 * limits (subject 200, description 20,000 characters; a search 500). The bound the query analysis
 * keeps (`QUERY_LIMITS`, the expansion rules in `search-index.ts`) is that no input costs more than
 * five times the median normal request. Measured on the demo knowledge base (what `npm start`
 * serves) and on 5,000 articles (`kb-corpus.ts`); written to test/bench/kb-suggest-cost.md.
 * One machine, shared and noisy: compare the rows of one run with each other.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import type { Article } from '#shared/kb/article';
import { buildIndex } from '#shared/kb/index-build';
import { PUBLIC_SCOPE } from '#shared/kb/visibility';
import { LABELLED_QUERIES } from '#test/kb/queries';
import { scaledArticles } from './kb-corpus.ts';

const RESULTS_FILE = fileURLToPath(new URL('./kb-suggest-cost.md', import.meta.url));
const RUNS = 7;
const BOUND = 5;

type Draft = { subject: string; description: string };

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** The median of several runs of one request: what it costs, not what a GC pause costs. */
const cost = (fn: () => unknown): number =>
  median(
    Array.from({ length: RUNS }, () => {
      const start = performance.now();
      fn();
      return performance.now() - start;
    }),
  );

/** Deterministic letters, so two runs send the same inputs. */
const letters = (() => {
  let seed = 0xc0ffee;
  return (length: number) =>
    Array.from({ length }, () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return String.fromCharCode(97 + (seed % 26));
    }).join('');
})();

const fill = (max: number, next: (i: number) => string, separator = ' '): string => {
  let text = '';
  for (let i = 0; text.length < max; i++) text += (text ? separator : '') + next(i);
  return text.slice(0, max);
};

/** Words the articles use, for inputs that hit the index's vocabulary as hard as it can be hit. */
const vocabulary = (articles: readonly Article[], minLength: number): string[] => [
  ...new Set(
    articles.flatMap(
      (article) =>
        `${article.title} ${article.body}`
          .toLowerCase()
          .match(new RegExp(`\\b[a-z]{${minLength},}\\b`, 'g')) ?? [],
    ),
  ),
];

/** Two letters of a word changed: every term a fuzzy candidate at distance 2. */
const typo = (word: string): string =>
  word.length < 4 ? word : `${word.slice(0, 1)}x${word.slice(2, -2)}q${word.slice(-1)}`;

const adversarial = (articles: readonly Article[]): [string, Draft][] => {
  const long = vocabulary(articles, 10);
  const all = vocabulary(articles, 3);
  const D = 20_000;
  return [
    ['one 20,000-letter word', { subject: 'x', description: 'a'.repeat(D) }],
    [
      '200-letter subject + 20,000-letter word',
      { subject: 'p'.repeat(200), description: 'password'.repeat(D / 8) },
    ],
    [
      '20,000 chars of distinct 15-letter words',
      { subject: letters(200), description: fill(D, () => letters(15)) },
    ],
    [
      '20,000 chars of distinct 40-letter words',
      { subject: letters(200), description: fill(D, () => letters(40)) },
    ],
    [
      'vocabulary words with two typos each',
      {
        subject: fill(200, (i) => typo(long[i % long.length] ?? '')),
        description: fill(D, (i) => typo(long[(i * 7) % long.length] ?? '')),
      },
    ],
    ...[3, 4, 5].map((length): [string, Draft] => [
      `${length}-letter prefixes of the vocabulary`,
      {
        subject: fill(200, (i) => (all[i] ?? '').slice(0, length)),
        description: fill(D, (i) => (all[(i * 3) % all.length] ?? '').slice(0, length)),
      },
    ]),
    [
      'every vocabulary word',
      { subject: fill(200, (i) => all[i] ?? ''), description: fill(D, (i) => all[i % all.length] ?? '') },
    ],
    ['a hyphen chain', { subject: fill(200, () => 'ab', '-'), description: fill(D, () => letters(2), '-') }],
    [
      'accents and combining marks',
      { subject: 'é'.repeat(200), description: fill(D, () => 'a\u0301\u0302\u0303', '') },
    ],
    [
      'multi-word phrases (sign in, wi-fi, …)',
      {
        subject: fill(200, () => 'sign in'),
        description: fill(D, (i) => ['wi fi', 'log on', 'two factor auth', 'hard drive'][i % 4] ?? ''),
      },
    ],
    [
      'codes with digits',
      { subject: fill(200, () => `0x${letters(6)}1`), description: fill(D, (i) => `err${i}${letters(5)}`) },
    ],
  ];
};

const normalDrafts: Draft[] = LABELLED_QUERIES.flatMap((query) =>
  query.kind === 'ticket' ? [{ subject: query.subject, description: query.description }] : [],
);
const normalSearches = LABELLED_QUERIES.flatMap((query) => (query.kind === 'search' ? [query.q] : []));

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

const measure = (label: string, articles: readonly Article[]) => {
  const index = buildIndex(articles);
  const suggest = (draft: Draft) => () => index.suggest(draft, { limit: 10, scope: PUBLIC_SCOPE });
  const search = (q: string) => () => index.search(q, { limit: 50, scope: PUBLIC_SCOPE });
  // Warm up: the analyzer's term cache and the JIT, as in a container that has served requests.
  for (const draft of normalDrafts) suggest(draft)();
  for (const q of normalSearches) search(q)();
  const normal = normalDrafts.map((draft) => cost(suggest(draft)));
  const normalSearch = normalSearches.map((q) => cost(search(q)));
  const slowestSearch = normalSearches[normalSearch.indexOf(Math.max(...normalSearch))];
  /** The median normal query: every labelled request, searches and ticket drafts alike. */
  const base = median([...normal, ...normalSearch]);
  const rows = adversarial(articles).map(([name, draft]) => [name, cost(suggest(draft))] as const);
  const words = vocabulary(articles, 3);
  const searchRows = [
    ['search: one 500-letter word', cost(search('a'.repeat(500)))],
    ['search: 500 chars of 4-letter typos', cost(search(fill(500, () => letters(4))))],
    ...[3, 4, 5].map(
      (length) =>
        [
          `search: 500 chars of ${length}-letter prefixes`,
          cost(search(fill(500, (i) => (words[i] ?? '').slice(0, length)))),
        ] as const,
    ),
    ['search: 500 chars of vocabulary words', cost(search(fill(500, (i) => words[i * 5] ?? '')))],
  ] as const;
  const worst = Math.max(...rows.map(([, value]) => value), ...searchRows.map(([, value]) => value));
  return [
    `## ${label}: ${articles.length.toLocaleString('en')} articles`,
    '',
    '| request | CPU (median of 7) | × median normal query |',
    '|---|---:|---:|',
    `| **median normal query** (${normal.length + normalSearch.length} labelled requests) | ${ms(base)} | 1.0 |`,
    `| normal suggestion, median / slowest of ${normal.length} ticket drafts | ${ms(median(normal))} / ${ms(Math.max(...normal))} | ${(Math.max(...normal) / base).toFixed(1)} |`,
    `| normal search, median / slowest of ${normalSearch.length} ("${slowestSearch}") | ${ms(median(normalSearch))} / ${ms(Math.max(...normalSearch))} | ${(Math.max(...normalSearch) / base).toFixed(1)} |`,
    ...[...rows, ...searchRows].map(
      ([name, value]) => `| ${name} | ${ms(value)} | ${(value / base).toFixed(1)} |`,
    ),
    '',
    `Worst adversarial: ${ms(worst)} = ${(worst / base).toFixed(1)} × the median normal query (bound: ${BOUND} ×).`,
    '',
  ];
};

const report = [
  `# What one anonymous suggestion costs (${new Date().toISOString()}, Node ${process.versions.node})`,
  '',
  ...measure('Demo knowledge base', DEMO_ARTICLES),
  ...measure('Scaled knowledge base', scaledArticles(5_000)),
].join('\n');
console.log(report);
writeFileSync(RESULTS_FILE, `${report}\n`);
