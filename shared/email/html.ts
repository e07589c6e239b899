import sanitizeHtml from 'sanitize-html';
import { decodeHtmlEntities } from '#shared/domain/html-entities';

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
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

export const sanitizeMailHtml = (html: string): string => sanitizeHtml(html, OPTIONS).trim();

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
