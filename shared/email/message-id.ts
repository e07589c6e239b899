/**
 * Message-IDs as threading and dedupe compare them. Outbound mail records its ids through
 * {@link normalizeMessageId} too, so a lookup by an id read from a reply finds them.
 */

/**
 * Without angle brackets, the domain part lower-cased (RFC 5322 compares it case-insensitively and
 * some relays re-case it), the local part as sent (it is case-sensitive).
 */
export const normalizeMessageId = (id: string): string => {
  const bare = id.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  const at = bare.lastIndexOf('@');
  return at < 0 ? bare : `${bare.slice(0, at)}${bare.slice(at).toLowerCase()}`;
};

/**
 * Every `<id>` of a header value (In-Reply-To, References, Message-ID), in order, normalized.
 * Values without brackets (seen from broken clients) fall back to whitespace-separated tokens
 * with an `@`. Comments such as `(Your message of …)` are ignored; a repeated id keeps its last
 * position, because threading reads the list from the right.
 */
export const messageIdsIn = (value: string): string[] => {
  const bracketed = [...value.matchAll(/<([^<>\s]{1,998})>/g)].map((match) => match[1] ?? '');
  const ids = bracketed.length > 0 ? bracketed : value.split(/[\s,]+/).filter((token) => token.includes('@'));
  const seen = new Set<string>();
  for (const id of ids) {
    const normalized = normalizeMessageId(id);
    if (normalized) {
      seen.delete(normalized);
      seen.add(normalized);
    }
  }
  return [...seen];
};
