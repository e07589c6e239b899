/**
 * Names and headers of the objects Tierdesk keeps in S3 (mail attachments, uploaded files): keys
 * that need no escaping, and the headers that make a file a download, never a page.
 */

/** At most this many characters of a file name go into a key; the full name is in the listing. */
const MAX_KEY_NAME = 100;

/**
 * A file name as a key segment: ASCII letters, digits, `.`, `-` and `_` only, so that the key
 * needs no escaping in a URL, a console or a shell. The name people see keeps its own spelling
 * (Content-Disposition and the listing on the ticket).
 */
export const keySafeName = (filename: string): string => {
  const ascii = filename
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '');
  return ascii.slice(-MAX_KEY_NAME) || 'attachment';
};

/** `attachment; filename="…"` with the ASCII fallback and the UTF-8 name (RFC 6266). */
export const contentDisposition = (filename: string): string =>
  `attachment; filename="${keySafeName(filename)}"; filename*=UTF-8''${encodeURIComponent(
    filename.toWellFormed(),
  ).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/**
 * The sender names the content type; only a plain `type/subtype` goes into a header (anything
 * else would be refused by the HTTP client, or worse, be interpreted).
 */
export const headerSafeType = (contentType: string): string =>
  /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i.test(contentType)
    ? contentType
    : 'application/octet-stream';
