import type { Article } from './article.ts';
import type { ArticleStore } from './article-store.ts';
import type { IndexStore } from './index-store.ts';
import { markdownToText } from './markdown-text.ts';
import { ArticleIndex, type IndexedArticle } from './search-index.ts';

/**
 * Building the search index from articles: their Markdown bodies become plain text (marked).
 * Only what writes the index needs this (the stream processor, tests, the evaluation); functions
 * that search load a built index (`ArticleIndex.fromJSON`) and carry no Markdown parser.
 */

const toIndexed = (article: Article): IndexedArticle => ({
  id: article.id,
  title: article.title,
  tags: article.tags,
  category: article.category,
  body: markdownToText(article.body),
  audience: article.audience,
  status: article.status,
});

/** The index of these articles; the last of several articles with one id wins, as `putArticle` would have it. */
export const buildIndex = (articles: Iterable<Article>): ArticleIndex => {
  const byId = new Map<string, Article>();
  for (const article of articles) byId.set(article.id, article);
  return ArticleIndex.fromIndexed([...byId.values()].map(toIndexed));
};

/** Add the article to the index, or replace the indexed version of it. */
export const putArticle = (index: ArticleIndex, article: Article): void =>
  index.putIndexed(toIndexed(article));

/**
 * Builds the index from every article and saves it: what the stream processor does when articles
 * change. The build time is taken before the articles are read, so it orders builds by what they
 * saw; it is wall-clock time (not the desk's clock, which the local stack may move): it orders
 * physical reads.
 */
export const rebuildIndex = async (
  articles: Pick<ArticleStore, 'allArticles'>,
  target: Pick<IndexStore, 'save'>,
): Promise<{ articles: number; saved: boolean }> => {
  const builtAt = new Date();
  const all: Article[] = [];
  for await (const article of articles.allArticles()) all.push(article);
  const saved = await target.save(buildIndex(all), { builtAt });
  return { articles: all.length, saved };
};
