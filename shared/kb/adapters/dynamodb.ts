import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ContentionError, NotFoundError } from '#shared/domain/errors';
import {
  type Article,
  ArticleIdSchema,
  type ArticleRevision,
  creationRevision,
  KB_LIMITS,
} from '#shared/kb/article';
import {
  type ArticleListQuery,
  type ArticleStore,
  type ArticleSummary,
  ArticleVersionMismatchError,
  type DeflectionCount,
} from '#shared/kb/article-store';
import { inScope, PUBLIC_SCOPE } from '#shared/kb/visibility';
import { decodeCursor, encodeCursor, invalidCursor } from '#shared/store/cursor';
import {
  type ArticleList,
  type ArticleListAudience,
  type ArticleListPosition,
  articleKey,
  articleListKey,
  articleListPartition,
  articleListPosition,
  articleListsOf,
  articleRevisionKey,
  deflectionCounterKey,
  type Key,
  REVISION_PREFIX,
  type RevisionPosition,
  revisionPosition,
} from '#shared/store/keys';
import { keyAttributes, TABLE } from '#shared/store/table';
import type { Page, PageRequest } from '#shared/tickets/ticket-store';

type Item = Record<string, unknown>;
type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

const ENTITY = {
  article: 'article',
  revision: 'article_revision',
  listing: 'article_listing',
  counter: 'kb_counter',
} as const;

const KEY_ATTRIBUTES = new Set([...keyAttributes(), 'entity']);

/** Strips the storage attributes off an item, leaving the entity as the domain knows it. */
const entityOf = <T>(item: Item): T =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !KEY_ATTRIBUTES.has(name))) as T;

const summaryOf = (article: Article): ArticleSummary => ({
  id: article.id,
  title: article.title,
  tags: article.tags,
  category: article.category,
  audience: article.audience,
  status: article.status,
  version: article.version,
  updatedAt: article.updatedAt,
  ...(article.publishedAt ? { publishedAt: article.publishedAt } : {}),
});

/** Requesters' lists hold what requesters may read; staff lists hold everything. */
const audiencesOf = (article: Article): ArticleListAudience[] =>
  inScope(PUBLIC_SCOPE, article) ? ['staff', 'public'] : ['staff'];

const listingKeys = (article: Article): Key[] =>
  audiencesOf(article).flatMap((audience) =>
    articleListsOf(article).map((list) => articleListKey(audience, list, article.id)),
  );

const keyString = (key: Key) => `${key.pk}\u0000${key.sk}`;

/** The fields a new version writes: everything an author changes, and the bookkeeping of the change. */
const VERSIONED_FIELDS = [
  'title',
  'body',
  'tags',
  'category',
  'audience',
  'status',
  'version',
  'updatedAt',
  'updatedBy',
  'publishedAt',
] as const satisfies (keyof Article)[];

const ArticleListPositionSchema: z.ZodType<ArticleListPosition> = z.strictObject({ id: ArticleIdSchema });
const RevisionPositionSchema: z.ZodType<RevisionPosition> = z.strictObject({
  version: z.number().int().min(1),
});

/** The most DynamoDB requests one page of a list may take (a page may hit the 1 MB response cap). */
const PAGE_QUERIES = 3;
/** DynamoDB's batch limits. */
const BATCH_GET = 100;
const BATCH_WRITE = 25;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const backoff = (attempt: number) => sleep(Math.random() * Math.min(250, 8 * 2 ** attempt));

const cancellationCode = (error: unknown, position: number): string | undefined =>
  error instanceof TransactionCanceledException ? error.CancellationReasons?.[position]?.Code : undefined;

const isConflict = (error: unknown): boolean =>
  error instanceof TransactionConflictException ||
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict'));

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export class DynamoArticleStore implements ArticleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createArticle(article: Article): Promise<boolean> {
    const writes: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: this.articleItem(article),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...this.listingPuts(article),
      {
        Put: {
          TableName: this.tableName,
          Item: this.revisionItem(creationRevision(article)),
        },
      },
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: writes }));
      return true;
    } catch (error) {
      if (cancellationCode(error, 0) === 'ConditionalCheckFailed') return false;
      throw this.contention(error, article.id);
    }
  }

  async getArticle(id: string): Promise<Article | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: articleKey(id), ConsistentRead: true }),
    );
    return Item ? entityOf<Article>(Item) : undefined;
  }

  async updateArticle(previous: Article, next: Article, revision: ArticleRevision): Promise<void> {
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':previous': previous.version };
    const sets = VERSIONED_FIELDS.filter((field) => next[field] !== undefined).map((field) => {
      names[`#${field}`] = field;
      values[`:${field}`] = next[field];
      return `#${field} = :${field}`;
    });
    const kept = new Set(listingKeys(next).map(keyString));
    const writes: TransactItems = [
      {
        // An update, not a put: ticket links added meanwhile (`linkTicket`) are kept.
        Update: {
          TableName: this.tableName,
          Key: articleKey(previous.id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk) AND #version = :previous',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...this.listingPuts(next),
      ...listingKeys(previous)
        .filter((key) => !kept.has(keyString(key)))
        .map((key) => ({ Delete: { TableName: this.tableName, Key: key } })),
      { Put: { TableName: this.tableName, Item: this.revisionItem(revision) } },
    ];
    await this.writeVersioned(previous, writes);
  }

  async deleteArticle(current: Article): Promise<void> {
    await this.writeVersioned(current, [
      {
        Delete: {
          TableName: this.tableName,
          Key: articleKey(current.id),
          ConditionExpression: 'attribute_exists(pk) AND #version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': current.version },
        },
      },
      ...listingKeys(current).map((key) => ({ Delete: { TableName: this.tableName, Key: key } })),
    ]);
    // The history goes after the article: nobody can read it without the article, and an article
    // created later under the same id starts a history of its own.
    await this.deleteRevisions(current.id);
  }

  async linkTicket(id: string, ticketNumber: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: articleKey(id),
          UpdateExpression: 'SET #links = list_append(#links, :link)',
          ConditionExpression:
            'attribute_exists(pk) AND NOT contains(#links, :number) AND size(#links) < :max',
          ExpressionAttributeNames: { '#links': 'linkedTickets' },
          ExpressionAttributeValues: {
            ':link': [ticketNumber],
            ':number': ticketNumber,
            ':max': KB_LIMITS.linkedTickets,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async listArticles(query: ArticleListQuery, page: PageRequest): Promise<Page<ArticleSummary>> {
    const list: ArticleList =
      query.tag !== undefined
        ? { kind: 'tag', tag: query.tag }
        : query.category !== undefined
          ? { kind: 'category', category: query.category }
          : { kind: 'all' };
    const audience: ArticleListAudience = query.publicOnly ? 'public' : 'staff';
    const partition = articleListPartition(audience, list);
    const result = await this.queryPage(
      partition,
      { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partition } },
      {
        position: ArticleListPositionSchema,
        startKey: (at) => ({ ...articleListKey(audience, list, at.id) }),
        positionOf: articleListPosition,
      },
      page,
    );
    return {
      items: result.items.map((item) => entityOf<ArticleSummary>(item)),
      nextCursor: result.nextCursor,
    };
  }

  async revisions(id: string, page: PageRequest): Promise<Page<ArticleRevision>> {
    const { pk } = articleKey(id);
    const result = await this.queryPage(
      pk,
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :revisions)',
        ExpressionAttributeValues: { ':pk': pk, ':revisions': REVISION_PREFIX },
      },
      {
        position: RevisionPositionSchema,
        startKey: (at) => ({ ...articleRevisionKey(id, at.version) }),
        positionOf: revisionPosition,
      },
      page,
    );
    return {
      items: result.items.map((item) => entityOf<ArticleRevision>(item)),
      nextCursor: result.nextCursor,
    };
  }

  async *allArticles(): AsyncIterable<Article> {
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': articleListPartition('staff', { kind: 'all' }) },
        ProjectionExpression: 'sk',
        // The index is rebuilt because an article just changed: that change must be in it.
        ConsistentRead: true,
      },
    );
    for await (const { Items = [] } of pages) {
      const ids = Items.map((item) => String(item[TABLE.sortKey]));
      for (const batch of chunks(ids, BATCH_GET)) {
        const articles = await this.batchGetArticles(batch);
        // Listing order (by id); an article deleted since the listing was read is skipped.
        yield* articles.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      }
    }
  }

  async recordDeflection(articleId: string, { selfServed }: { selfServed: boolean }): Promise<void> {
    await Promise.all(
      [deflectionCounterKey(articleId), deflectionCounterKey()].map((key) =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'ADD deflections :one, selfServed :selfServed SET entity = :entity',
            ExpressionAttributeValues: {
              ':one': 1,
              ':selfServed': selfServed ? 1 : 0,
              ':entity': ENTITY.counter,
            },
          }),
        ),
      ),
    );
  }

  async deflections(articleId?: string): Promise<DeflectionCount> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: deflectionCounterKey(articleId) }),
    );
    return { deflections: Number(Item?.deflections ?? 0), selfServed: Number(Item?.selfServed ?? 0) };
  }

  private articleItem(article: Article): Item {
    return { ...articleKey(article.id), entity: ENTITY.article, ...article };
  }

  private revisionItem(revision: ArticleRevision): Item {
    return {
      ...articleRevisionKey(revision.articleId, revision.version),
      entity: ENTITY.revision,
      ...revision,
    };
  }

  private listingPuts(article: Article): TransactItems {
    const summary = summaryOf(article);
    return listingKeys(article).map((key) => ({
      Put: { TableName: this.tableName, Item: { ...key, entity: ENTITY.listing, ...summary } },
    }));
  }

  /** A write whose first item is conditional on the article's version: a failed condition says why. */
  private async writeVersioned(seen: Article, writes: TransactItems): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: writes }));
    } catch (error) {
      if (cancellationCode(error, 0) !== 'ConditionalCheckFailed') throw this.contention(error, seen.id);
      const latest = await this.getArticle(seen.id);
      if (!latest) throw new NotFoundError(`Article ${seen.id} was not found.`);
      throw new ArticleVersionMismatchError(seen.version, latest.version);
    }
  }

  /** Another transaction held one of the items: the caller may retry (503, Retry-After). */
  private contention(error: unknown, id: string): unknown {
    return isConflict(error)
      ? new ContentionError(`Article ${id} is changing too fast; try again in a moment.`)
      : error;
  }

  private async batchGetArticles(ids: readonly string[]): Promise<Article[]> {
    const articles: Article[] = [];
    let keys: Item[] = ids.map((id) => ({ ...articleKey(id) }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      const { Responses, UnprocessedKeys } = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      articles.push(...(Responses?.[this.tableName] ?? []).map((item) => entityOf<Article>(item)));
      keys = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      if (keys.length > 0) await backoff(attempt);
    }
    return articles;
  }

  private async deleteRevisions(id: string): Promise<void> {
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :revisions)',
        ExpressionAttributeValues: { ':pk': articleKey(id).pk, ':revisions': REVISION_PREFIX },
        ProjectionExpression: 'pk, sk',
      },
    );
    for await (const { Items = [] } of pages) {
      for (const batch of chunks(Items, BATCH_WRITE)) {
        let requests = batch.map((key) => ({ DeleteRequest: { Key: key } }));
        for (let attempt = 0; requests.length > 0; attempt++) {
          const { UnprocessedItems } = await this.db.send(
            new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
          );
          requests = (UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
          if (requests.length > 0) await backoff(attempt);
        }
      }
    }
  }

  /**
   * One page of a Query, asking for one item more than the page holds so that a page ending the
   * list carries no cursor. A page that hits DynamoDB's 1 MB cap reads on, at most PAGE_QUERIES
   * requests, and otherwise ends short with a cursor where the reading stopped.
   */
  private async queryPage<P>(
    partition: string,
    input: Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'>,
    list: {
      position: z.ZodType<P>;
      /** The ExclusiveStartKey to resume after a position (built by keys.ts). */
      startKey: (position: P) => Item;
      positionOf: (key: Item) => P;
    },
    page: PageRequest,
  ): Promise<{ items: Item[]; nextCursor?: string }> {
    const position = decodeCursor(page.cursor, partition, list.position);
    let startKey: Item | undefined = position === undefined ? undefined : list.startKey(position);
    const items: Item[] = [];
    for (let request = 0; request < PAGE_QUERIES; request++) {
      let result: QueryCommandOutput;
      try {
        result = await this.db.send(
          new QueryCommand({
            ...input,
            TableName: this.tableName,
            Limit: page.limit + 1 - items.length,
            ExclusiveStartKey: startKey,
          }),
        );
      } catch (error) {
        // The rebuilt key is well-formed by construction; should DynamoDB still refuse it, the
        // cursor is what the caller can fix (a 400), not a fault of ours (a 500).
        if (request === 0 && position !== undefined && (error as Error).name === 'ValidationException') {
          throw invalidCursor();
        }
        throw error;
      }
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
      if (!startKey || items.length > page.limit) break;
    }
    if (items.length > page.limit) {
      const pageItems = items.slice(0, page.limit);
      return {
        items: pageItems,
        nextCursor: encodeCursor(partition, list.positionOf(pageItems.at(-1) as Item)),
      };
    }
    return { items, nextCursor: startKey ? encodeCursor(partition, list.positionOf(startKey)) : undefined };
  }
}
