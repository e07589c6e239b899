import MiniSearch, { type Options, type SearchOptions, type SearchResult } from 'minisearch';
import {
  ANALYZER_VERSION,
  analyzeQuery,
  processTerm,
  QUERY_LIMITS,
  queryTerms,
  tokenize,
} from './analyze.ts';
import type { ArticleAudience, ArticleStatus } from './article.ts';
import { highlight, snippet } from './snippet.ts';
import { type ArticleScope, inScope, PUBLIC_SCOPE } from './visibility.ts';

/**
 * Full-text search over articles (MiniSearch, BM25+). The index holds every article, drafts and
 * internal ones included, with their audience and status, so one index serves every caller:
 * visibility is applied to the ranked results, before the limit, never by building an index
 * per audience.
 *
 * The index is plain data: built where articles change, serialized to one JSON object (S3 on
 * AWS), loaded by the search function once per container. Everything needed for a hit (title,
 * snippet text, visibility) is stored in it, so a query never reads the table.
 */

/** What the index stores per article: the searchable text and what a hit shows. */
/** An article as the index holds it (see `index-build.ts`, which makes one from an article). */
export interface IndexedArticle {
  id: string;
  title: string;
  tags: string[];
  category: string;
  /** Plain text of the Markdown body. */
  body: string;
  audience: ArticleAudience;
  status: ArticleStatus;
}

type StoredFields = Omit<IndexedArticle, 'id'>;

const FIELDS = ['title', 'tags', 'category', 'body'] satisfies (keyof IndexedArticle)[];
const STORED_FIELDS = [
  'title',
  'tags',
  'category',
  'body',
  'audience',
  'status',
] satisfies (keyof StoredFields)[];

/**
 * Field weights: a word in the title or a tag says what the article is about; the same word in
 * the body may be a passing mention ("see the VPN article").
 */
const FIELD_BOOSTS: Record<(typeof FIELDS)[number], number> = { title: 3, tags: 2, category: 1.5, body: 1 };

/** How much heavier a ticket's subject weighs than its description when suggesting articles. */
const SUBJECT_WEIGHT = 3;

/**
 * Suggestions are pushed at people (in the create response, in the acknowledgment mail), so each
 * must be *about* something the requester wrote: a word of the ticket (not merely a related
 * term) matches the article's title, tags or category. A ticket about a parking permit then gets
 * no suggestions rather than five articles that mention a card reader in passing. Search results
 * were asked for, and keep their tail.
 */
const TOPIC_FIELDS = ['title', 'tags', 'category'] satisfies (typeof FIELDS)[number][];

/**
 * Matching beyond the exact term, for the heaviest terms of a query (`QUERY_LIMITS.expandedTerms`;
 * a query's terms reach MiniSearch heaviest first, so `position` is the term's rank). Prefix,
 * from four letters: "print" finds "printer", "config" finds "configuration" (three letters
 * would expand to half the vocabulary). Fuzzy: one typo in five letters ("pasword", "outlok"),
 * two from ten letters, in words up to `fuzzyTermLength.max` letters. Terms with digits
 * ("caa20002", "0x8024") are codes and match exactly.
 */
const isCode = (term: string) => /\d/.test(term);
export const expansionOf = (term: string, position: number): { prefix: boolean; fuzzy: number | false } => {
  if (position >= QUERY_LIMITS.expandedTerms || isCode(term)) return { prefix: false, fuzzy: false };
  const { min, max } = QUERY_LIMITS.fuzzyTermLength;
  return { prefix: term.length >= 4, fuzzy: term.length >= min && term.length <= max ? 0.2 : false };
};
const SEARCH_OPTIONS: SearchOptions = {
  boost: FIELD_BOOSTS,
  prefix: (term, position) => expansionOf(term, position).prefix,
  fuzzy: (term, position) => expansionOf(term, position).fuzzy,
  maxFuzzy: QUERY_LIMITS.maxEditDistance,
  weights: { prefix: 0.5, fuzzy: 0.45 },
};

/** Shared by building and loading: MiniSearch requires the very same options for both. */
const ENGINE_OPTIONS: Options<IndexedArticle> = {
  fields: FIELDS,
  storeFields: STORED_FIELDS,
  stringifyField: (value, _field) => (Array.isArray(value) ? value.join(' ') : String(value)),
  tokenize: (text, _field) => tokenize(text),
  processTerm: (term, _field) => processTerm(term),
  searchOptions: SEARCH_OPTIONS,
};

export interface ArticleHit {
  id: string;
  title: string;
  /** The title, HTML-escaped, matched words in `<mark>`. */
  titleHtml: string;
  category: string;
  tags: string[];
  audience: ArticleAudience;
  status: ArticleStatus;
  score: number;
  /** A short excerpt of the body around the matches, HTML-escaped, matched words in `<mark>`. */
  snippet: string;
}

export interface SearchOptionsForCaller {
  /** At most this many hits (default 10). */
  limit?: number;
  /** What the caller may read (`articleScope(viewer)`); requesters' scope by default. */
  scope?: ArticleScope;
}

/** The serialized index was written by another format or analyzer version: rebuild it from the articles. */
export class IndexFormatError extends Error {
  override readonly name = 'IndexFormatError';
}

const FORMAT = 'tierdesk-kb-index';

interface SerializedIndex {
  format: typeof FORMAT;
  analyzer: string;
  engine: Parameters<typeof MiniSearch.loadJS>[0];
}

export class ArticleIndex {
  private constructor(private readonly engine: MiniSearch<IndexedArticle>) {}

  /**
   * An index of articles already in the index's form. Building one from articles (Markdown to
   * plain text) is `index-build.ts`'s: functions that only search do not carry a Markdown parser.
   */
  static fromIndexed(documents: readonly IndexedArticle[]): ArticleIndex {
    const engine = new MiniSearch<IndexedArticle>(ENGINE_OPTIONS);
    engine.addAll([...documents]);
    return new ArticleIndex(engine);
  }

  static empty(): ArticleIndex {
    return ArticleIndex.fromIndexed([]);
  }

  /** @throws IndexFormatError when the JSON is not an index this code wrote. */
  static fromJSON(json: string): ArticleIndex {
    let parsed: Partial<SerializedIndex>;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new IndexFormatError('The knowledge-base index is not valid JSON', { cause: error });
    }
    if (parsed?.format !== FORMAT || parsed.analyzer !== ANALYZER_VERSION || !parsed.engine) {
      throw new IndexFormatError(
        `The knowledge-base index has format ${String(parsed?.format)} / analyzer ${String(parsed?.analyzer)}, ` +
          `expected ${FORMAT} / ${ANALYZER_VERSION}`,
      );
    }
    // loadJS is what MiniSearch.loadJSON does after parsing; the index is one member of our envelope.
    try {
      return new ArticleIndex(MiniSearch.loadJS(parsed.engine, ENGINE_OPTIONS));
    } catch (error) {
      throw new IndexFormatError('The knowledge-base index could not be loaded', { cause: error });
    }
  }

  /** One JSON document: the envelope (format, analyzer version) and the MiniSearch index. */
  toJSON(): string {
    const envelope: SerializedIndex = {
      format: FORMAT,
      analyzer: ANALYZER_VERSION,
      engine: this.engine.toJSON(),
    };
    return JSON.stringify(envelope);
  }

  get size(): number {
    return this.engine.documentCount;
  }

  has(id: string): boolean {
    return this.engine.has(id);
  }

  /** Add the article, or replace the indexed version of it. */
  putIndexed(indexed: IndexedArticle): void {
    if (this.engine.has(indexed.id)) this.engine.replace(indexed);
    else this.engine.add(indexed);
  }

  remove(id: string): void {
    if (this.engine.has(id)) this.engine.discard(id);
  }

  /** Ranked hits for what someone typed into a search box. */
  search(query: string, { limit = 10, scope = PUBLIC_SCOPE }: SearchOptionsForCaller = {}): ArticleHit[] {
    return this.run(analyzeQuery(query), limit, scope);
  }

  /**
   * The best articles for a ticket being written: its subject and description as one query, the
   * subject's words weighing {@link SUBJECT_WEIGHT} times more (a subject says what the ticket
   * is about; a description also says when, where and how annoying it is). Only articles about
   * something the ticket says (see {@link TOPIC_FIELDS}); none rather than weak ones.
   */
  suggest(
    ticket: { subject: string; description?: string },
    { limit = 5, scope = PUBLIC_SCOPE }: SearchOptionsForCaller = {},
  ): ArticleHit[] {
    const query = suggestionQuery(ticket);
    const topical = this.matching(query.topical, TOPIC_FIELDS);
    return this.run(new Map(query.terms), limit, scope, (result) => topical.has(result.id));
  }

  /** Ids of the articles that match any of these (analyzed) terms in these fields. */
  private matching(terms: readonly string[], fields: readonly string[]): Set<unknown> {
    if (terms.length === 0) return new Set();
    const results = this.engine.search(terms.join(' '), {
      fields: [...fields],
      tokenize: (query) => query.split(' '),
      processTerm: (term) => term,
    });
    return new Set(results.map((result) => result.id));
  }

  private run(
    terms: ReadonlyMap<string, number>,
    limit: number,
    scope: ArticleScope,
    relevant: (result: SearchResult) => boolean = () => true,
  ): ArticleHit[] {
    if (terms.size === 0 || limit <= 0) return [];
    const chosen = new Map(heaviest(terms));
    // The terms are analyzed already: hand them to MiniSearch one per token, untouched.
    const results = this.engine.search([...chosen.keys()].join(' '), {
      tokenize: (query) => query.split(' '),
      processTerm: (term) => term,
      boostTerm: (term) => chosen.get(term) ?? 1,
    });
    return results
      .filter((result) => inScope(scope, result as unknown as StoredFields) && relevant(result))
      .slice(0, limit)
      .map(toHit);
  }
}

/**
 * The terms a query looks up: heaviest first (the subject's), then in the order written, at most
 * `QUERY_LIMITS.terms`: a 20,000-character description must not turn into a thousand lookups.
 */
const heaviest = (terms: ReadonlyMap<string, number>): [string, number][] =>
  [...terms].sort(([, a], [, b]) => b - a).slice(0, QUERY_LIMITS.terms);

/**
 * What a suggestion looks up for a ticket: its terms with their weights, heaviest first (the
 * subject's words weigh {@link SUBJECT_WEIGHT} times more), and of those the words the ticket
 * itself wrote (not related terms), which an article's title, tags or category must match.
 */
export const suggestionQuery = (ticket: {
  subject: string;
  description?: string;
}): { terms: [string, number][]; topical: string[] } => {
  const weighted = analyzeQuery(ticket.description ?? '');
  analyzeQuery(ticket.subject, SUBJECT_WEIGHT, weighted);
  const terms = heaviest(weighted);
  const written = new Set([...queryTerms(ticket.subject), ...queryTerms(ticket.description ?? '')]);
  return { terms, topical: terms.map(([term]) => term).filter((term) => written.has(term)) };
};

const toHit = (result: SearchResult): ArticleHit => {
  const stored = result as unknown as StoredFields;
  const matched = new Set(result.terms);
  return {
    id: String(result.id),
    title: stored.title,
    titleHtml: highlight(stored.title, matched),
    category: stored.category,
    tags: stored.tags,
    audience: stored.audience,
    status: stored.status,
    score: Math.round(result.score * 1000) / 1000,
    snippet: snippet(stored.body, matched),
  };
};
