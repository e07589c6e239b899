const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * What HTML makes of the numeric references 0x80–0x9F: the characters windows-1252 has there (old
 * mail and pages write `&#150;` for an en dash), where Unicode has only invisible control codes.
 * The five windows-1252 leaves undefined stay as they are.
 */
const WINDOWS_1252 = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8DŽ\x8F\x90‘’“”•–—˜™š›œ\x9DžŸ';

/**
 * The character a numeric reference stands for, as HTML reads it: a surrogate half (which alone is
 * no character, and would make the text unencodable) becomes U+FFFD, 0x80–0x9F windows-1252's.
 */
const referenced = (code: number): string => {
  if (code >= 0xd800 && code <= 0xdfff) return '\uFFFD';
  return code >= 0x80 && code <= 0x9f ? WINDOWS_1252.charAt(code - 0x80) : String.fromCodePoint(code);
};

/**
 * Decodes the character references a plain-text rendering of HTML meets: numeric ones (decimal
 * and hex) and the few named ones sanitizers and Markdown renderers write. Anything else is left
 * as it was, so text never gains a character nobody wrote.
 */
export const decodeHtmlEntities = (text: string): string =>
  text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const code =
        entity[1]?.toLowerCase() === 'x' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? referenced(code) : whole;
    }
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });

/**
 * Markup with every tag replaced by a space, for the words of HTML nobody parsed. A tag ends at the
 * next `<` as well as at `>`, so text full of `<` costs one pass, not one per `<`.
 */
export const withoutTags = (markup: string): string => markup.replace(/<[^<>]*>/g, ' ');

/** The HTML-escaped form of plain text, for putting text into markup. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
