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

interface BodyText {
  body: string;
  text: string;
}

/**
 * Each article's body as last indexed in this process, with its text, by article id. The stream
 * processor rebuilds the index from every article on each change: only bodies that changed since
 * are converted again (a body may take up to a second, `markdown-text.ts`). A build keeps the
 * articles it indexed and forgets the rest, so this holds what the index holds.
 */
let bodyTexts = new Map<string, BodyText>();

const textOf = (article: Article, into: Map<string, BodyText>): string => {
  const known = bodyTexts.get(article.id);
  const text = known?.body === article.body ? known.text : markdownToText(article.body);
  into.set(article.id, { body: article.body, text });
  return text;
};

const toIndexed = (article: Article, texts: Map<string, BodyText>): IndexedArticle => ({
  id: article.id,
  title: article.title,
  tags: article.tags,
  category: article.category,
  body: textOf(article, texts),
  audience: article.audience,
  status: article.status,
});

/** The index of these articles; the last of several articles with one id wins, as `putArticle` would have it. */
export const buildIndex = (articles: Iterable<Article>): ArticleIndex => {
  const byId = new Map<string, Article>();
  for (const article of articles) byId.set(article.id, article);
  const texts = new Map<string, BodyText>();
  const index = ArticleIndex.fromIndexed([...byId.values()].map((article) => toIndexed(article, texts)));
  bodyTexts = texts;
  return index;
};

/** Add the article to the index, or replace the indexed version of it. */
export const putArticle = (index: ArticleIndex, article: Article): void =>
  index.putIndexed(toIndexed(article, bodyTexts));

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
