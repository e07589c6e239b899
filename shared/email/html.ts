import sanitizeHtml from 'sanitize-html';
import { decodeHtmlEntities, withoutTags } from '#shared/domain/html-entities';

/**
 * Mail HTML is written by strangers and shown to agents: only markup that cannot run code, load
 * anything remote or leave the page survives.
 *
 * - Images only from `cid:` (the message's own inline attachments). Remote images are dropped:
 *   they are how senders track when, where and by whom a mail was read.
 * - Links keep http(s)/mailto/tel targets and open without a referrer or opener.
 * - No `style` attributes or `<style>` blocks: CSS can fetch URLs and overlay the agent UI.
 * - `<head>`, `<title>`, Outlook's `<xml>` blocks and scripts are dropped with their text.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center'],
  allowedAttributes: {
    a: ['href', 'name', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign'],
    '*': ['dir', 'lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid'] },
  allowProtocolRelative: false,
  // No style attribute is allowed, so none is parsed (and the bundles carry no CSS parser).
  parseStyleAttributes: false,
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'head', 'title', 'xml'],
  // Deeply nested markup costs the renderer and the text conversion time for nothing a mail needs.
  nestingLimit: 100,
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }),
  },
};

/**
 * An `<img>` of the sanitized markup without a `src`: a remote image whose address was dropped
 * (a tracking pixel, mostly). The sanitizer writes every attribute as ` name` or ` name="value"`
 * with the value escaped, so the match steps over whole attributes: a `>` or ` src=` inside
 * another attribute's value neither ends it early nor passes for a source.
 */
const IMAGE_WITHOUT_SOURCE = /<img(?:\s(?!src[\s=/>])[^\s="/>]+(?:="[^"]*")?)*\s*\/?>/g;

/**
 * Dropping those images in the sanitizer (its `exclusiveFilter`) cuts each out of the output
 * written so far, a copy of it per image: 10 MB of table rows with an image each took 155 s,
 * against 1.7 s for the sanitizer alone and this pass after it.
 */
export const sanitizeMailHtml = (html: string): string =>
  sanitizeHtml(html, OPTIONS).replace(IMAGE_WITHOUT_SOURCE, '').trim();

/**
 * A plain rendering of HTML that already went through {@link sanitizeMailHtml}. Only the fallback
 * for HTML mailparser refused to convert (too long or too deep): the sanitized markup is
 * well-formed and attribute values are escaped, so dropping tags with a regular expression is safe
 * here, where it would not be on raw HTML.
 */
export const textFromSafeHtml = (safeHtml: string): string =>
  decodeHtmlEntities(
    safeHtml
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<li[^>]*>/gi, '\n- ')
      .replace(/<\/(p|div|h[1-6]|tr|table|blockquote|pre|ul|ol)>/gi, '\n')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/**
 * How much of unsanitized HTML {@link textOfUnsanitizedHtml} reads: its words are many times what a
 * ticket keeps of a mail's text (20,000 characters), and the whole of a 40 MB message would take
 * over a gigabyte of strings to convert, more than the intake has.
 */
const UNSANITIZED_HTML_CHARS_READ = 1 << 20;

/**
 * The words of HTML that could not be sanitized in time, as plain text, never as markup: every
 * tag out (what a tag holds, a script's code too, stays as words), entities decoded; only the first
 * {@link UNSANITIZED_HTML_CHARS_READ} characters (`withoutTags`).
 */
export const textOfUnsanitizedHtml = (html: string): string =>
  decodeHtmlEntities(withoutTags(html.slice(0, UNSANITIZED_HTML_CHARS_READ)))
    .replace(/\t|[ \t]{2,}/g, ' ')
    .replace(/ *\n\s*/g, '\n')
    .trim();
