import { optionalTextSchema, textSchema } from '#shared/domain/text';
import {
  ARTICLE_AUDIENCES,
  ARTICLE_CONTENT_FIELDS,
  ARTICLE_STATUSES,
  ArticleCategorySchema,
  ArticleIdSchema,
  ArticlePatchSchema,
  ArticleTagSchema,
  NewArticleSchema,
} from '#shared/kb/article';
import type { ArticleHit } from '#shared/kb/search-index';
import * as z from '#shared/runtime/zod';
import { CursorSchema, LIMITS, LimitSchema, pageSchema, TicketViewSchema } from './schemas.ts';

/**
 * The knowledge base's zod schemas: requests of the `/kb/...` routes and what they answer. Like
 * `schemas.ts`, the same objects validate in the handlers and generate the OpenAPI document;
 * article content rules themselves live in `shared/kb/article.ts`.
 */

const KB_HTTP_LIMITS = {
  query: 500,
  searchResults: 50,
  defaultSearchResults: 10,
  suggestions: 10,
  defaultSuggestions: 5,
} as const;

export const ArticlePathSchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    id: ArticleIdSchema.check(
      z.meta({ description: 'The article id, a slug', example: 'kb-password-reset' }),
    ),
  }),
);

export const NewArticleBodySchema = /* @__PURE__ */ z.built(() =>
  NewArticleSchema.check(
    z.meta({
      id: 'NewArticle',
      description:
        'Starts as an internal draft unless it says otherwise; publishing, or a public article, needs a supervisor, an admin or a Tier 3 agent.',
    }),
  ),
);

export const ArticlePatchBodySchema = /* @__PURE__ */ z.built(() =>
  ArticlePatchSchema.check(
    z.meta({
      id: 'ArticlePatch',
      description: 'The fields to change (at least one); the others keep their value.',
    }),
  ),
);

export const ListArticlesQuerySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      tag: z.optional(ArticleTagSchema),
      category: z.optional(ArticleCategorySchema),
      limit: LimitSchema,
      cursor: CursorSchema,
    })
    .check(
      z.refine((query) => query.tag === undefined || query.category === undefined, {
        path: ['category'],
        message: 'list by tag or by category, not both',
      }),
    ),
);

export const SearchQuerySchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    q: textSchema(KB_HTTP_LIMITS.query).check(z.meta({ description: 'What the caller typed' })),
    limit: z._default(
      z.coerce.number().check(z.int(), z.gte(1), z.lte(KB_HTTP_LIMITS.searchResults)),
      KB_HTTP_LIMITS.defaultSearchResults,
    ),
  }),
);

export const SuggestBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      subject: z._default(optionalTextSchema(LIMITS.subject), ''),
      description: z._default(optionalTextSchema(LIMITS.description), ''),
      limit: z._default(
        z.int().check(z.gte(1), z.lte(KB_HTTP_LIMITS.suggestions)),
        KB_HTTP_LIMITS.defaultSuggestions,
      ),
    })
    .check(
      z.refine((ticket) => ticket.subject !== '' || ticket.description !== '', {
        path: ['subject'],
        message: 'write a subject or a description to get suggestions for',
      }),
      z.meta({ id: 'Suggest', description: 'The ticket being written' }),
    ),
);

export const DeflectionBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      articleId: ArticleIdSchema,
      ticket: z.optional(z.int().check(z.positive())).check(
        z.meta({
          description: 'Your own unresolved ticket the article solved: it is resolved as self-served',
        }),
      ),
    })
    .check(z.meta({ id: 'Deflection', description: '"This article solved it"' })),
);

const dateTime = /* @__PURE__ */ z.built(() => z.iso.datetime());

/** What every article listing shows; the article itself adds its body and bookkeeping. */
const ARTICLE_SUMMARY_FIELDS = /* @__PURE__ */ z.built(() => ({
  id: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  category: z.string(),
  audience: z.enum(ARTICLE_AUDIENCES),
  status: z.enum(ARTICLE_STATUSES),
  version: z.int().check(z.positive()),
  updatedAt: dateTime,
  publishedAt: z.optional(dateTime),
}));

export const ArticleSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      ...ARTICLE_SUMMARY_FIELDS,
      body: z.string().check(z.meta({ description: 'Markdown, as written' })),
      html: z
        .string()
        .check(z.meta({ description: 'The body rendered to sanitized HTML, safe to put into a page' })),
      createdAt: dateTime,
      createdBy: z.optional(z.string()).check(z.meta({ description: 'Staff only' })),
      updatedBy: z.optional(z.string()).check(z.meta({ description: 'Staff only' })),
      linkedTickets: z
        .optional(z.array(z.int().check(z.positive())))
        .check(z.meta({ description: 'Staff only: tickets the article came from or solved' })),
    })
    .check(z.meta({ id: 'Article' })),
);

export const ArticleSummarySchema = /* @__PURE__ */ z.built(() =>
  z.object(ARTICLE_SUMMARY_FIELDS).check(z.meta({ id: 'ArticleSummary' })),
);
export const ArticlePageSchema = /* @__PURE__ */ z.built(() =>
  pageSchema(ArticleSummarySchema, 'ArticlePage'),
);

export const ArticleRevisionSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      articleId: z.string(),
      version: z.int().check(z.positive()),
      at: dateTime,
      by: z.string(),
      changed: z.array(z.enum(ARTICLE_CONTENT_FIELDS)),
    })
    .check(z.meta({ id: 'ArticleRevision' })),
);
export const ArticleRevisionPageSchema = /* @__PURE__ */ z.built(() =>
  pageSchema(ArticleRevisionSchema, 'ArticleRevisionPage'),
);

const ArticleHitSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      id: z.string(),
      title: z.string(),
      titleHtml: z
        .string()
        .check(z.meta({ description: 'The title, HTML-escaped, matched words in <mark>' })),
      category: z.string(),
      tags: z.array(z.string()),
      audience: z.enum(ARTICLE_AUDIENCES),
      status: z.enum(ARTICLE_STATUSES),
      score: z.number(),
      snippet: z
        .string()
        .check(z.meta({ description: 'An excerpt around the matches, HTML-escaped, matches in <mark>' })),
    })
    .check(z.meta({ id: 'ArticleHit' })),
);

export const ArticleHitsSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({ items: z.array(ArticleHitSchema).check(z.meta({ description: 'Best first' })) })
    .check(z.meta({ id: 'ArticleHits' })),
);

export const AnonymousDeflectionBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({ articleId: ArticleIdSchema })
    .check(
      z.meta({ id: 'AnonymousDeflection', description: '"This article solved it", without signing in' }),
    ),
);

export const DeflectionResultSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      articleId: z.string(),
      selfServed: z
        .boolean()
        .check(z.meta({ description: 'true: the named ticket was resolved with the article' })),
      counted: z.boolean().check(
        z.meta({
          description:
            'false: you (or this address) already said so today; a deflection counts once per person, article and day',
        }),
      ),
      ticket: z.optional(TicketViewSchema),
    })
    .check(z.meta({ id: 'DeflectionResult' })),
);

// ---- views: what leaves the API --------------------------------------------------------------

export const hitsView = (hits: readonly ArticleHit[]) => ArticleHitsSchema.parse({ items: hits });
