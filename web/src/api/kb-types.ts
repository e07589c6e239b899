import type { output } from 'zod';
import type { ArticleHitsSchema, ArticleSchema } from '#shared/http/kb-schemas';

/** The knowledge base's answers, typed from the API's own zod schemas (type-only imports). */
export type Article = output<typeof ArticleSchema>;
export type ArticleHits = output<typeof ArticleHitsSchema>;
export type ArticleHit = ArticleHits['items'][number];
