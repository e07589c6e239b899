import { VersionMismatchError } from '#shared/domain/errors';
import type { Article, ArticleRevision } from '#shared/kb/article';
import type { Page, PageRequest } from '#shared/store/query-page';

/**
 * The port through which the knowledge base reaches its articles, their history, their listings
 * and the deflection counters. The DynamoDB adapter (`adapters/dynamodb.ts`) implements it;
 * the search index is not here (it lives in the KB bucket, see `shared/kb/index-store.ts`).
 */

/** What a listing shows of an article: everything but the body and the bookkeeping. */
export type ArticleSummary = Pick<
  Article,
  'id' | 'title' | 'tags' | 'category' | 'audience' | 'status' | 'version' | 'updatedAt' | 'publishedAt'
>;

export interface ArticleListQuery {
  /** Requesters' and anonymous callers' lists: public, published articles only. */
  publicOnly: boolean;
  /** At most one of tag and category; neither lists every article. */
  tag?: string;
  category?: string;
}

export interface DeflectionCount {
  /** Times someone said an article solved their problem. */
  deflections: number;
  /** Of those, the times it also resolved their ticket (self-served). */
  selfServed: number;
}

/** Who said an article solved it, and on which UTC day: one deflection each. */
export interface DeflectionMark {
  /** `yyyy-mm-dd`, UTC. */
  day: string;
  /** A person's id (with the ticket it resolved, if any), or `source:<hash>` for an anonymous caller. */
  who: string;
}

/** An article's If-Match names a version that is no longer current (412, like a ticket's). */
export class ArticleVersionMismatchError extends VersionMismatchError {
  constructor(expected: number, actual: number) {
    super(expected, actual);
    this.message = `The article is at version ${actual}, not ${expected}; fetch it again and retry.`;
  }
}

export interface ArticleStore {
  /** Writes a new article and its first history entry; false when the id is taken. */
  createArticle(article: Article): Promise<boolean>;
  getArticle(id: string): Promise<Article | undefined>;
  /**
   * Writes the next version (`next`, with its history entry) conditional on the article still
   * being at `previous.version`: ArticleVersionMismatchError when it moved on, NotFoundError when
   * it is gone. Links to tickets are not part of a version (see `linkTicket`) and are kept.
   */
  updateArticle(previous: Article, next: Article, revision: ArticleRevision): Promise<void>;
  /** Deletes the article at `current.version` (same errors as `updateArticle`) and its history. */
  deleteArticle(current: Article): Promise<void>;
  /**
   * Records that a ticket was solved with (or documented in) the article. No new version: a
   * link is a fact about the article's use, not an edit, and must not make an author's If-Match
   * fail. Nothing happens when the article is gone, the ticket is linked already, or the article
   * has as many links as it may hold.
   */
  linkTicket(id: string, ticketNumber: number): Promise<void>;
  /** A page of summaries in id order. */
  listArticles(query: ArticleListQuery, page: PageRequest): Promise<Page<ArticleSummary>>;
  /** The article's history, oldest first. */
  revisions(id: string, page: PageRequest): Promise<Page<ArticleRevision>>;
  /** Every article, drafts and internal ones included, read consistently: what the index is built from. */
  allArticles(): AsyncIterable<Article>;
  /**
   * Counts one deflection of the article (and of the desk), atomically, once per mark: false when
   * this mark was counted already (the same person, article and day), and nothing is counted.
   */
  recordDeflection(
    articleId: string,
    options: { selfServed: boolean; once: DeflectionMark },
  ): Promise<boolean>;
  /** The counts of one article, or of the whole desk without an id. */
  deflections(articleId?: string): Promise<DeflectionCount>;
}
