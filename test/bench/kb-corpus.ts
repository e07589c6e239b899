import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import type { Article } from '#shared/kb/article';

/**
 * A knowledge base of any size for the benchmarks: variants of the demo content, blocks shuffled
 * and mixed between articles, offices and asset series added, so the vocabulary and lengths stay
 * realistic. Deterministic: two runs index the same articles.
 */

/** mulberry32, seeded: the same sequence on every run. */
const random = (() => {
  let seed = 0x5eed;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const shuffle = <T>(items: readonly T[]): T[] =>
  items
    .map((item) => ({ item, key: random() }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);

const OFFICES = [
  'London',
  'Leeds',
  'Dublin',
  'Amsterdam',
  'Berlin',
  'Madrid',
  'Lisbon',
  'Warsaw',
  'Boston',
  'Austin',
];
const AUDIENCES = [
  'finance',
  'sales',
  'engineering',
  'HR',
  'legal',
  'marketing',
  'operations',
  'contractors',
];
const blocksOf = (body: string) => body.split(/\n(?=## )/);

const variant = (n: number): Article => {
  const base = pick(DEMO_ARTICLES);
  const donor = pick(DEMO_ARTICLES);
  const office = pick(OFFICES);
  const team = pick(AUDIENCES);
  const series = `${base.category.split('/')[0]?.slice(0, 3).toUpperCase()}-${1000 + Math.floor(random() * 9000)}`;
  const [intro = '', ...sections] = blocksOf(base.body);
  const borrowed = shuffle(blocksOf(donor.body).slice(1)).slice(0, 1);
  return {
    ...base,
    id: `${base.id}-${n}`,
    title: `${base.title} (${office}, ${team})`,
    body: [
      intro,
      `This version applies to the ${office} office and the ${team} team, asset series ${series}.`,
      ...shuffle([...sections, ...borrowed]),
    ].join('\n\n'),
    tags: [...base.tags, office.toLowerCase(), team.toLowerCase()],
    audience: random() < 0.15 ? 'internal' : 'public',
    status: random() < 0.05 ? 'draft' : 'published',
  };
};

export const scaledArticles = (count: number): Article[] =>
  Array.from({ length: count }, (_, n) => variant(n));
