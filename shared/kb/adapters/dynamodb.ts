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
  type DeflectionMark,
} from '#shared/kb/article-store';
import { type RequestWindows, type WindowLimit, windowOf } from '#shared/kb/request-windows';
import { inScope, PUBLIC_SCOPE } from '#shared/kb/visibility';
import * as z from '#shared/runtime/zod';
import { expiringCount } from '#shared/store/counter';
import { type PositionSchema, positionSchema } from '#shared/store/cursor';
import { KB_ENTITY } from '#shared/store/entities';
import {
  backoff,
  cancellationCode,
  isConditionalCheckFailed,
  isTransactionConflict,
} from '#shared/store/errors';
import { chunks, entityOf, epochSeconds, type Item } from '#shared/store/items';
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
  deflectionMarkKey,
  type Key,
  REVISION_PREFIX,
  type RevisionPosition,
  requestWindowKey,
  revisionPosition,
} from '#shared/store/keys';
import { batchGetItems, type Page, type PageRequest, queryPage } from '#shared/store/query-page';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '#shared/store/sdk';
import { TABLE } from '#shared/store/table';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** A deflection mark is read only on its day; two days keep it past any clock skew, then TTL deletes it. */
const MARK_TTL_SECONDS = 2 * 24 * 60 * 60;

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
  'rendered',
] as const satisfies (keyof Article)[];

const ArticleListPositionSchema: PositionSchema<ArticleListPosition> = /* @__PURE__ */ positionSchema(() =>
  z.strictObject({ id: ArticleIdSchema }),
);
const RevisionPositionSchema: PositionSchema<RevisionPosition> = /* @__PURE__ */ positionSchema(() =>
  z.strictObject({
    version: z.int().check(z.gte(1)),
  }),
);

/** DynamoDB's batch limits. */
const BATCH_GET = 100;
const BATCH_WRITE = 25;

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
    // HTML the new body has none of (too large to keep, or not rendered) must not outlive it.
    const removes = next.rendered === undefined ? ['#rendered'] : [];
    if (removes.length > 0) names['#rendered'] = 'rendered';
    const kept = new Set(listingKeys(next).map(keyString));
    const writes: TransactItems = [
      {
        // An update, not a put: ticket links added meanwhile (`linkTicket`) are kept.
        Update: {
          TableName: this.tableName,
          Key: articleKey(previous.id),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
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
      if (!isConditionalCheckFailed(error)) throw error;
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
    const result = await queryPage(
      this.db,
      this.tableName,
      { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partition } },
      {
        partition,
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
    const result = await queryPage(
      this.db,
      this.tableName,
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :revisions)',
        ExpressionAttributeValues: { ':pk': pk, ':revisions': REVISION_PREFIX },
      },
      {
        partition: pk,
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
        const items = await batchGetItems(
          this.db,
          this.tableName,
          batch.map((id) => ({ ...articleKey(id) })),
          {
            consistentRead: true,
          },
        );
        const articles = items.map((item) => entityOf<Article>(item));
        // Listing order (by id); an article deleted since the listing was read is skipped.
        yield* articles.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      }
    }
  }

  async recordDeflection(
    articleId: string,
    { selfServed, once }: { selfServed: boolean; once: DeflectionMark },
  ): Promise<boolean> {
    const count = (key: Key) => ({
      Update: {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'ADD deflections :one, selfServed :selfServed SET entity = :entity',
        ExpressionAttributeValues: {
          ':one': 1,
          ':selfServed': selfServed ? 1 : 0,
          ':entity': KB_ENTITY.kbCounter,
        },
      },
    });
    // The mark and the counts in one transaction: a repeat finds the mark and counts nothing.
    const mark = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...deflectionMarkKey(articleId, once.day, once.who),
          entity: KB_ENTITY.deflectionMark,
          // The reports count a deflection without a ticket; one with a ticket is its self-served resolution.
          selfServed,
          [TABLE.timeToLiveAttribute]: epochSeconds(new Date(`${once.day}T00:00:00Z`)) + MARK_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [mark, count(deflectionCounterKey(articleId)), count(deflectionCounterKey())],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationCode(error, 0) === 'ConditionalCheckFailed') return false;
      throw this.contention(error, articleId);
    }
  }

  async deflections(articleId?: string): Promise<DeflectionCount> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: deflectionCounterKey(articleId) }),
    );
    return { deflections: Number(Item?.deflections ?? 0), selfServed: Number(Item?.selfServed ?? 0) };
  }

  private articleItem(article: Article): Item {
    return { ...articleKey(article.id), entity: KB_ENTITY.article, ...article };
  }

  private revisionItem(revision: ArticleRevision): Item {
    return {
      ...articleRevisionKey(revision.articleId, revision.version),
      entity: KB_ENTITY.articleRevision,
      ...revision,
    };
  }

  private listingPuts(article: Article): TransactItems {
    const summary = summaryOf(article);
    return listingKeys(article).map((key) => ({
      Put: { TableName: this.tableName, Item: { ...key, entity: KB_ENTITY.articleListing, ...summary } },
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
    return isTransactionConflict(error)
      ? new ContentionError(`Article ${id} is changing too fast; try again in a moment.`)
      : error;
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
}

/**
 * The request windows of anonymous sources: one counter item per source, route group and window,
 * raised by a conditional UpdateItem that fails once the window is full, deleted by TTL a window
 * after it ends.
 */
export class DynamoRequestWindows implements RequestWindows {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async admit(bucket: string, source: string, limit: WindowLimit, at: Date): Promise<boolean> {
    const { start, end } = windowOf(limit, at);
    try {
      await this.db.send(
        new UpdateCommand(
          expiringCount(
            this.tableName,
            requestWindowKey(bucket, source, start),
            KB_ENTITY.requestWindow,
            end + limit.windowSeconds,
            limit.requests,
          ),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
