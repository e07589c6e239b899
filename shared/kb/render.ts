import { micromark } from 'micromark';
import { gfmAutolinkLiteral, gfmAutolinkLiteralHtml } from 'micromark-extension-gfm-autolink-literal';
import { gfmStrikethrough, gfmStrikethroughHtml } from 'micromark-extension-gfm-strikethrough';
import { gfmTable, gfmTableHtml } from 'micromark-extension-gfm-table';
import type { CompileContext, HtmlExtension, Token } from 'micromark-util-types';
import { UnprocessableError } from '#shared/domain/errors';
import { escapeHtml } from '#shared/domain/html-entities';
import { valueWithin } from '#shared/runtime/time-limit';

/**
 * Article bodies are Markdown written by agents. HTML clients get it rendered to markup that is
 * safe as it is: an author, or an attacker with an agent's account, must not be able to run
 * script in a requester's browser, style the page or track its readers. The search index and
 * snippets get plain text (`markdown-text.ts`).
 *
 * Safe by construction rather than by cleaning: micromark writes only the elements Markdown
 * stands for (headings, paragraphs, lists, quotes, code, emphasis, links, tables), escapes every
 * character of text and attribute it writes, and with its defaults passes no HTML of the body
 * through. What it would still write that an article may not contain is taken out as it writes
 * (raw HTML, below) or from its output, whose every tag it wrote itself (images and link targets,
 * `renderMarkdown`). micromark does its work when it parses, not when it loads: the functions that
 * write articles carry no HTML parser, sanitizer or prebuilt grammar (they had been 1.9 times a
 * bare DynamoDB client's import time, most of it marked building its regular expressions and
 * sanitize-html its parser).
 */

/** Text of a raw HTML block without its tags (`<div>Note</div>` reads "Note"). */
const withoutTags = (html: string): string => html.replace(/<[^>]*>?/g, '');

/**
 * Raw HTML in a body is not markup: inline tags and comments (`htmlText`) leave nothing, and
 * the text between them stays text; an HTML block (`htmlFlow`) leaves its text, escaped. What
 * micromark would write instead is the HTML escaped, which reads as code in an article.
 */
const RAW_HTML_AS_TEXT: HtmlExtension = {
  exit: {
    htmlTextData() {},
    htmlFlowData(this: CompileContext, token: Token) {
      this.raw(this.encode(withoutTags(this.sliceSerialize(token))));
    },
  },
};

const MARKDOWN = {
  extensions: [gfmTable(), gfmStrikethrough(), gfmAutolinkLiteral()],
  htmlExtensions: [gfmTableHtml(), gfmStrikethroughHtml(), gfmAutolinkLiteralHtml(), RAW_HTML_AS_TEXT],
};

/**
 * Where an article may link: the web and mail, and the desk's own pages. micromark already
 * empties a target of any scheme but http(s), mailto, irc(s) and xmpp (after decoding character
 * references, so `jav&#x61;script:` is caught); a protocol-relative `//host` would leave the desk
 * under the reader's scheme.
 */
const LINKABLE = /^(?:https?:|mailto:|[/#?](?![/\\]))/i;

/** `<img src alt title />` as micromark writes it; the alt text is already escaped. */
const IMAGE = /<img src="[^"]*" alt="([^"]*)"(?: title="[^"]*")? \/>/g;

/**
 * An `<a href title>` or `</a>` as micromark writes it. Every one in its output is its own (text
 * escapes `<`), but links can nest: an autolink (`<https://…>`) inside a link's text is a link
 * inside a link, so tags are matched as a stack, not as pairs.
 */
const LINK_TAG = /<a href="([^"]*)"((?: title="[^"]*")?)>|<\/a>/g;

/**
 * Links leave the help desk: the target page gets neither the opener nor the referrer. A link
 * whose target the desk does not link to, and any link inside another, keeps only its text.
 */
const checkedLinks = (html: string): string => {
  const open: boolean[] = [];
  return html.replace(LINK_TAG, (_tag, href: string | undefined, title: string | undefined) => {
    if (href === undefined) return open.pop() ? '</a>' : '';
    const kept = open.length === 0 && LINKABLE.test(href);
    open.push(kept);
    return kept ? `<a href="${href}"${title ?? ''} rel="noopener noreferrer nofollow">` : '';
  });
};

/** Markdown → HTML that is safe to put into a page as it is. */
export const renderMarkdown = (source: string): string =>
  checkedLinks(
    // No images: a remote image in a help article is a tracking pixel in every reader's browser.
    // What the author said it shows stays.
    micromark(source, MARKDOWN).replace(IMAGE, '$1'),
  );

/**
 * The longest one body may take to render. An ordinary article takes milliseconds; micromark's
 * time grows with the square of the count of some constructs in a row (setext underlines, list
 * markers, `>` markers, emphasis delimiters with nothing between them), so that a body at the
 * length limit made of nothing else would take half a minute, past any function's timeout.
 * It is wall-clock time, and a 512 MB function has about a third of a vCPU: on AWS it admits
 * bodies that one core of a developer's machine renders in up to about 0.6 s (there, 68,000
 * characters of paragraphs take about 0.2 s, a list of 2,000 items nested in pairs 0.3 s, one of
 * 4,000 items 0.8 s).
 */
export const RENDER_BUDGET_MS = 2_000;

/** {@link renderMarkdown} given at most `budgetMs`; undefined when the body takes longer. */
export const renderMarkdownWithin = (source: string, budgetMs = RENDER_BUDGET_MS): string | undefined =>
  valueWithin(budgetMs, () => renderMarkdown(source));

const TOO_SLOW_TO_RENDER =
  `formatting this Markdown takes longer than ${RENDER_BUDGET_MS / 1000} s, so it was not saved: ` +
  'long runs of one construct make it slow (headings underlined with = or -, list or quote markers, ' +
  '* or _ with nothing between them); split the article or write those parts as plain text';

/**
 * The renderer of the functions that write articles: a body that cannot be rendered within the
 * budget is refused (422, `body.body`), so no article is kept that every reader would wait for.
 */
export const renderArticleBody = (source: string): string => {
  const html = renderMarkdownWithin(source);
  if (html === undefined) {
    throw new UnprocessableError('The article body cannot be formatted', [
      { field: 'body.body', message: TOO_SLOW_TO_RENDER },
    ]);
  }
  return html;
};

/**
 * The renderer of the functions that read articles, for a body whose HTML was not kept: within
 * the budget, or else the Markdown shown as it is written (escaped, preformatted), so that a read
 * answers in bounded time whatever was stored before bodies were held to the budget.
 */
export const renderArticleForReading = (source: string): string =>
  renderMarkdownWithin(source) ?? `<pre>${escapeHtml(source)}</pre>`;
