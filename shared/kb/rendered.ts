import type { Article } from './article.ts';

/**
 * An article's HTML, kept with it: the writers (`create-article`, `update-article`) render the
 * Markdown once, so reading an article — the public page above all — renders nothing and its
 * function carries no Markdown parser. The Markdown stays the source of truth; the
 * HTML is a cache of it, tagged with the renderer that made it.
 */

/**
 * Bump when `render.ts` changes what a body renders to (its Markdown options, what it keeps of
 * links, images and raw HTML): HTML kept by an older renderer is then rendered again when read.
 */
export const RENDERER_VERSION = 3;

/**
 * The most HTML kept with an article, in UTF-8 bytes. With a body at its limit (50,000 characters,
 * up to 200 KB) the item stays well inside DynamoDB's 400 KB; a body whose HTML is larger (a page
 * of nothing but links) is rendered when read instead.
 */
export const MAX_KEPT_HTML_BYTES = 128 * 1024;

/** `article` with its body's HTML as `render` makes it, or without any when it is too large to keep. */
export const withRendered = (article: Article, render: (markdown: string) => string): Article => {
  const { rendered: _previous, ...rest } = article;
  const html = render(article.body);
  return Buffer.byteLength(html, 'utf8') <= MAX_KEPT_HTML_BYTES
    ? { ...rest, rendered: { renderer: RENDERER_VERSION, html } }
    : rest;
};

/** The HTML kept with `article` when this renderer made it; undefined when it must be rendered. */
export const keptHtml = (article: Article): string | undefined =>
  article.rendered?.renderer === RENDERER_VERSION ? article.rendered.html : undefined;
