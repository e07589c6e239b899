/**
 * The knowledge base at 5,000 articles (variants of the demo content, `kb-corpus.ts`, so the
 * vocabulary and lengths stay realistic): index build, size, load (what a search container pays
 * once), search and suggest p50/p95 (what every request pays), and what one anonymous suggestion
 * or search can cost at worst within the API's limits (subject 200, description 20,000
 * characters; a search 500) — the query analysis (`QUERY_LIMITS`, the expansion rules in
 * `search-index.ts`) keeps every input within five times the median normal request.
 */
import { gzipSync } from 'node:zlib';
import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import type { Article } from '#shared/kb/article';
import { ArticleIndex } from '#shared/kb/search-index';
import { PUBLIC_SCOPE } from '#shared/kb/visibility';
import { LABELLED_QUERIES } from '#test/kb/queries';
import { scaledArticles } from '../kb-corpus.ts';
import { type BenchPart, type Figure, median, percentile, table } from '../report.ts';

const ARTICLES = 5_000;
const RUNS = 7;
const LOAD_RUNS = 5;
const QUERY_ROUNDS = 4;
/** No input may cost more than this many times the median normal query. */
const BOUND = 5;

type Draft = { subject: string; description: string };

const time = <T>(fn: () => T): [T, number] => {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
};

/** The median of several runs of one request: what it costs, not what a GC pause costs. */
const cost = (fn: () => unknown): number => median(Array.from({ length: RUNS }, () => time(fn)[1]));

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

/** Normal and adversarial requests on one index: the worst one against the median normal query. */
const adversarialCost = (label: string, articles: readonly Article[]) => {
  const index = ArticleIndex.fromArticles(articles);
  const suggest = (draft: Draft) => () => index.suggest(draft, { limit: 10, scope: PUBLIC_SCOPE });
  const search = (q: string) => () => index.search(q, { limit: 50, scope: PUBLIC_SCOPE });
  // Warm up: the analyzer's term cache and the JIT, as in a container that has served requests.
  for (const draft of normalDrafts) suggest(draft)();
  for (const q of normalSearches) search(q)();
  const normal = normalDrafts.map((draft) => cost(suggest(draft)));
  const normalSearch = normalSearches.map((q) => cost(search(q)));
  /** The median normal query: every labelled request, searches and ticket drafts alike. */
  const base = median([...normal, ...normalSearch]);
  const words = vocabulary(articles, 3);
  const rows: (readonly [string, number])[] = [
    ...adversarial(articles).map(([name, draft]) => [name, cost(suggest(draft))] as const),
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
  ];
  const [worstName, worst] = rows.reduce((a, b) => (b[1] > a[1] ? b : a));
  return {
    figure: {
      name: `${label}: worst adversarial request ÷ median normal query`,
      value: worst / base,
      unit: '×',
      target: { op: '<=', value: BOUND },
      detail: `${worstName}: ${worst.toFixed(2)} ms; median normal ${base.toFixed(2)} ms`,
    } satisfies Figure,
    note: [
      `**${label}** (${articles.length.toLocaleString('en')} articles): CPU per request, median of ${RUNS}.`,
      '',
      table(
        ['request', 'ms', '× median normal query'],
        [
          [`median normal query (${normal.length + normalSearch.length} labelled requests)`, base, 1],
          ...rows.map(([name, value]) => [name, value, value / base]),
        ],
      ),
    ].join('\n'),
  };
};

export const kbPart: BenchPart = {
  id: 'kb',
  quick: false,
  run: async ({ progress }) => {
    progress(`building an index of ${ARTICLES} articles`);
    const articles = scaledArticles(ARTICLES);
    const [, buildMs] = time(() => ArticleIndex.fromArticles(articles));
    const json = ArticleIndex.fromArticles(articles).toJSON();
    const loads = Array.from({ length: LOAD_RUNS }, () => time(() => ArticleIndex.fromJSON(json))[1]);
    const index = ArticleIndex.fromJSON(json);
    const [, firstQueryMs] = time(() => index.search('printer offline', { limit: 10 }));
    const searches: number[] = [];
    const suggestions: number[] = [];
    for (let round = 0; round < QUERY_ROUNDS; round++) {
      for (const q of normalSearches)
        searches.push(time(() => index.search(q, { limit: 10, scope: PUBLIC_SCOPE }))[1]);
      for (const draft of normalDrafts)
        suggestions.push(time(() => index.suggest(draft, { limit: 5, scope: PUBLIC_SCOPE }))[1]);
    }
    if (index.search('printer', { limit: 5, scope: PUBLIC_SCOPE }).length === 0) {
      throw new Error('The scaled index found nothing for "printer": the benchmark would measure nothing.');
    }
    progress('adversarial requests');
    const demo = adversarialCost('demo knowledge base', DEMO_ARTICLES);
    const scaled = adversarialCost('scaled knowledge base', articles);
    return {
      id: 'kb',
      title: `Knowledge base at ${ARTICLES.toLocaleString('en')} articles`,
      intro:
        'In process, CPU only (the index is one S3 object a search container loads once). Queries: the ' +
        `${normalSearches.length} labelled searches and ${normalDrafts.length} ticket drafts of \`test/kb/queries.ts\`, ${QUERY_ROUNDS} rounds.`,
      figures: [
        { name: 'build from articles (Markdown → text → index)', value: buildMs, unit: 'ms' },
        {
          name: 'serialized index',
          value: json.length / 2 ** 20,
          unit: 'MiB',
          detail: `${(gzipSync(json).length / 2 ** 20).toFixed(1)} MiB gzip`,
        },
        { name: `load (fromJSON), median of ${LOAD_RUNS}`, value: median(loads), unit: 'ms' },
        { name: 'first query after load', value: firstQueryMs, unit: 'ms' },
        { name: 'search p50', value: percentile(searches, 0.5), unit: 'ms' },
        { name: 'search p95', value: percentile(searches, 0.95), unit: 'ms' },
        { name: 'suggest p50', value: percentile(suggestions, 0.5), unit: 'ms' },
        { name: 'suggest p95', value: percentile(suggestions, 0.95), unit: 'ms' },
        demo.figure,
        scaled.figure,
      ],
      notes: [demo.note, scaled.note],
    };
  },
};
