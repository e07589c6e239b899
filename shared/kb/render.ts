import { micromark } from 'micromark';
import { gfmAutolinkLiteral, gfmAutolinkLiteralHtml } from 'micromark-extension-gfm-autolink-literal';
import { gfmStrikethrough, gfmStrikethroughHtml } from 'micromark-extension-gfm-strikethrough';
import { gfmTable, gfmTableHtml } from 'micromark-extension-gfm-table';
import sanitizeHtml from 'sanitize-html';

/**
 * Article bodies are Markdown written by agents. HTML clients get it rendered and sanitized
 * (an author, or an attacker with an agent's account, must not be able to run script in a
 * requester's browser). The search index and snippets get plain text (`markdown-text.ts`), so
 * the functions that only search never load the sanitizer.
 */

/**
 * CommonMark with the GitHub extensions help articles use (tables, ~~strikethrough~~, bare URLs as
 * links), by micromark: a state machine that does its work when it parses, not when it loads (the
 * Markdown parser it replaced built its grammar's regular expressions at import, 20 ms of every
 * cold start of the functions that write articles). Raw HTML and every link target go through
 * as written: the sanitizer below is the one place that decides what an article may contain.
 */
const MARKDOWN = {
  allowDangerousHtml: true,
  allowDangerousProtocol: true,
  extensions: [gfmTable(), gfmStrikethrough(), gfmAutolinkLiteral()],
  htmlExtensions: [gfmTableHtml(), gfmStrikethroughHtml(), gfmAutolinkLiteralHtml()],
};

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'strong',
    'em',
    'del',
    'ul',
    'ol',
    'li',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  // No images: a remote image in a help article is a tracking pixel in every reader's browser.
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // No style attribute is allowed, so none is parsed (and the bundles carry no CSS parser).
  parseStyleAttributes: false,
  // Links leave the help desk: the target page gets neither the opener nor the referrer.
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
};

/** Markdown → HTML that is safe to put into a page as it is. */
export const renderMarkdown = (source: string): string => sanitizeHtml(micromark(source, MARKDOWN), SANITIZE);
