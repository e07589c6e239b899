import { textSchema } from '#shared/domain/text';
import * as z from '#shared/runtime/zod';

/**
 * A knowledge-base article as the domain sees it: pure types and rules, nothing about DynamoDB,
 * HTTP or S3. The body is Markdown; HTML and plain text are derived from it (`render.ts`) and
 * never the source of truth: the HTML its writer rendered is kept beside it as a cache
 * (`rendered.ts`).
 */

export const ARTICLE_AUDIENCES = ['public', 'internal'] as const;
/** `public`: requesters and anonymous callers may read it once published; `internal`: staff only. */
export type ArticleAudience = (typeof ARTICLE_AUDIENCES)[number];

export const ARTICLE_STATUSES = ['draft', 'published'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export interface Article {
  /** Stable and URL-safe: the `{id}` of `/kb/articles/{id}`. */
  id: string;
  title: string;
  /** Markdown. */
  body: string;
  tags: string[];
  /** A lower-case slug such as `hardware/printer`, the same vocabulary as ticket categories. */
  category: string;
  audience: ArticleAudience;
  status: ArticleStatus;
  /** Starts at 1, +1 on every change: the optimistic-locking version, as for tickets. */
  version: number;
  /** Tickets this article came from or solved, by number. */
  linkedTickets: number[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** When it was first published; kept when it is unpublished and published again. */
  publishedAt?: string;
  /** The body's HTML as the writer rendered it (`rendered.ts`); absent when too large to keep. */
  rendered?: RenderedBody;
}

/** An article body's HTML and the version of the renderer that made it (`rendered.ts`). */
export interface RenderedBody {
  renderer: number;
  html: string;
}

/** The fields an author writes; everything else is bookkeeping. */
export const ARTICLE_CONTENT_FIELDS = ['title', 'body', 'tags', 'category', 'audience', 'status'] as const;
export type ArticleContentField = (typeof ARTICLE_CONTENT_FIELDS)[number];
export type ArticleContent = Pick<Article, ArticleContentField>;

/** One entry of an article's history: who changed which fields, when, producing which version. */
export interface ArticleRevision {
  articleId: string;
  version: number;
  at: string;
  by: string;
  changed: ArticleContentField[];
}

export const KB_LIMITS = {
  id: 100,
  title: 200,
  body: 50_000,
  tags: 20,
  tag: 40,
  category: 60,
  linkedTickets: 100,
} as const;

/** Lower-case slugs: they appear in URLs and in seeded demo content (`kb-password-reset`). */
export const ArticleIdSchema = /* @__PURE__ */ z.built(() =>
  z
    .string()
    .check(
      z.regex(/^[a-z0-9][a-z0-9-]*$/, 'article ids are lower-case slugs like "kb-password-reset"'),
      z.maxLength(KB_LIMITS.id),
    ),
);

const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u;
export const ArticleTagSchema = /* @__PURE__ */ z.built(() =>
  z.pipe(
    z.string().check(
      z.trim(),
      z.minLength(1),
      z.maxLength(KB_LIMITS.tag),
      z.regex(TAG_PATTERN, 'tags are letters, digits, spaces, ".", "_" and "-"'),
      // The OpenAPI generator writes a flagged regex as `source/u`; a JSON Schema pattern is the bare source.
      z.meta({ pattern: TAG_PATTERN.source }),
    ),
    z.transform((tag: string) => tag.toLowerCase()),
  ),
);

export const ArticleCategorySchema = /* @__PURE__ */ z.built(() =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1),
      z.maxLength(KB_LIMITS.category),
      z.regex(/^[a-z0-9][a-z0-9/_-]*$/, 'categories are lower-case slugs like "hardware/printer"'),
    ),
);

const content = /* @__PURE__ */ z.built(() => ({
  title: textSchema(KB_LIMITS.title),
  body: textSchema(KB_LIMITS.body),
  tags: z.pipe(
    z.array(ArticleTagSchema).check(z.maxLength(KB_LIMITS.tags)),
    z.transform((tags: string[]) => [...new Set(tags)]),
  ),
  category: ArticleCategorySchema,
  audience: z.enum(ARTICLE_AUDIENCES),
  status: z.enum(ARTICLE_STATUSES),
}));

/**
 * A new article. It starts as a draft unless the author says otherwise (and may publish: see
 * `visibility.ts`), and as `internal` unless the author chooses `public`: who outside the desk
 * reads an article should be a decision, not a default.
 */
export const NewArticleSchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    title: content.title,
    body: content.body,
    tags: z._default(content.tags, []),
    category: content.category,
    audience: z._default(content.audience, 'internal'),
    status: z._default(content.status, 'draft'),
    linkedTickets: z._default(
      z.array(z.int().check(z.positive())).check(z.maxLength(KB_LIMITS.linkedTickets)),
      [],
    ),
  }),
);
export type NewArticle = z.output<typeof NewArticleSchema>;

export const ArticlePatchSchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      title: z.optional(content.title),
      body: z.optional(content.body),
      tags: z.optional(content.tags),
      category: z.optional(content.category),
      audience: z.optional(content.audience),
      status: z.optional(content.status),
    })
    .check(
      z.refine((patch) => Object.keys(patch).length > 0, { message: 'name at least one field to change' }),
    ),
);
export type ArticlePatch = z.output<typeof ArticlePatchSchema>;

export const createArticle = (id: string, input: NewArticle, by: string, at: string): Article => ({
  id,
  title: input.title,
  body: input.body,
  tags: input.tags,
  category: input.category,
  audience: input.audience,
  status: input.status,
  version: 1,
  linkedTickets: [...new Set(input.linkedTickets)],
  createdAt: at,
  createdBy: by,
  updatedAt: at,
  updatedBy: by,
  ...(input.status === 'published' ? { publishedAt: at } : {}),
});

const sameValue = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b;

/** The content fields whose value the patch actually changes, in a stable order. */
const changedFields = (article: ArticleContent, patch: ArticlePatch): ArticleContentField[] =>
  ARTICLE_CONTENT_FIELDS.filter(
    (field) => patch[field] !== undefined && !sameValue(patch[field], article[field]),
  );

/**
 * Apply an author's change: the next version and its history entry, or `undefined` when the
 * patch changes nothing (no new version for a no-op save).
 */
export const reviseArticle = (
  article: Article,
  patch: ArticlePatch,
  by: string,
  at: string,
): { article: Article; revision: ArticleRevision } | undefined => {
  const changed = changedFields(article, patch);
  if (changed.length === 0) return undefined;
  const next: Article = { ...article, ...patch, version: article.version + 1, updatedAt: at, updatedBy: by };
  if (next.status === 'published' && !article.publishedAt) next.publishedAt = at;
  return { article: next, revision: { articleId: article.id, version: next.version, at, by, changed } };
};

/** The first history entry, for symmetry with {@link reviseArticle}. */
export const creationRevision = (article: Article): ArticleRevision => ({
  articleId: article.id,
  version: article.version,
  at: article.createdAt,
  by: article.createdBy,
  changed: [...ARTICLE_CONTENT_FIELDS],
});

export const linkTicket = (article: Article, ticketNumber: number): Article =>
  article.linkedTickets.includes(ticketNumber)
    ? article
    : { ...article, linkedTickets: [...article.linkedTickets, ticketNumber] };

/**
 * "Document the fix": a draft, internal article from a resolved ticket, linked to it. A person
 * turns it into a proper article (and decides whether requesters may read it) before publishing.
 */
export const draftFromResolution = (
  ticket: {
    number: number;
    subject: string;
    description: string;
    resolution: string;
    category?: string;
    tags: string[];
  },
  id: string,
  by: string,
  at: string,
): Article =>
  createArticle(
    id,
    {
      title: ticket.subject.trim().slice(0, KB_LIMITS.title) || `Ticket #${ticket.number}`,
      body: [
        '## Symptom',
        '',
        ticket.description.trim(),
        '',
        '## Resolution',
        '',
        ticket.resolution.trim(),
        '',
        `_Drafted from ticket #${ticket.number}._`,
      ]
        .join('\n')
        .slice(0, KB_LIMITS.body),
      // Ticket tags follow a stricter pattern than article tags, so they are valid here as they are.
      tags: [...new Set(ticket.tags.map((tag) => tag.toLowerCase()))].slice(0, KB_LIMITS.tags),
      category: ticket.category ?? 'general',
      audience: 'internal',
      status: 'draft',
      linkedTickets: [ticket.number],
    },
    by,
    at,
  );
