import { Marked, type Token, type Tokens } from 'marked';
import { decodeHtmlEntities, withoutTags } from '#shared/domain/html-entities';
import { valueWithin } from '#shared/runtime/time-limit';

/**
 * Article bodies as plain text, for the search index and its snippets: no HTML rendering here
 * (`render.ts` has that), so functions that only search stay small.
 */

// Our own instance: `marked.use()` elsewhere in the process must not change how articles read.
const markdown = new Marked({ gfm: true, breaks: false });

const BLOCKS = new Set(['paragraph', 'heading', 'blockquote', 'list_item']);

const textOf = (tokens: readonly Token[] | undefined): string => (tokens ?? []).map(tokenText).join('');

const tokenText = (token: Token): string => {
  switch (token.type) {
    case 'space':
    case 'hr':
    case 'br':
    case 'def':
    case 'checkbox':
      return '\n';
    case 'code':
      return `\n${(token as Tokens.Code).text}\n`;
    case 'html':
      return withoutTags((token as Tokens.HTML).text);
    case 'image':
      return (token as Tokens.Image).text;
    case 'list':
      return (token as Tokens.List).items.map((item) => `${textOf(item.tokens)}\n`).join('');
    case 'table': {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => `${cells.map((cell) => textOf(cell.tokens)).join(' ')}\n`;
      return row(table.header) + table.rows.map(row).join('');
    }
    default: {
      if ('tokens' in token && Array.isArray(token.tokens)) {
        return textOf(token.tokens) + (BLOCKS.has(token.type) ? '\n' : '');
      }
      return 'text' in token && typeof token.text === 'string' ? token.text : '';
    }
  }
};

/**
 * The longest a body may take to lex. marked is slow on some runs of emphasis: 10,000 characters
 * of `a(*` take over a second, 50,000 of `_a` three. Each article of an index build gets this
 * (the watchdog costs about 0.1 ms a call), and each article's text is lexed once per version in
 * a process (`index-build.ts`).
 */
const LEX_BUDGET_MS = 1_000;

/**
 * A body's words without its markup, for a body marked cannot lex: HTML tags, and the characters
 * Markdown uses for markup, become spaces. Rougher than {@link lexedText} (link targets stay), but
 * every word is still found.
 */
const roughText = (source: string): string =>
  decodeHtmlEntities(withoutTags(source).replace(/[\\`*_~#>|[\]()!]+/g, ' '));

const lexedText = (source: string): string => decodeHtmlEntities(textOf(markdown.lexer(source)));

/**
 * The text of a body, whatever it holds. marked recurses once per level of nesting, so a few
 * thousand list or quote markers in a row (`1. 1. 1. …`, `>>>…`) overflow the stack, and it is slow
 * on some long runs of emphasis. One such article must not stop the index from being built for
 * all: a body it cannot lex, or not within the budget, is indexed by its {@link roughText}.
 */
const bodyText = (source: string): string => {
  try {
    const text = valueWithin(LEX_BUDGET_MS, () => lexedText(source));
    if (text !== undefined) return text;
  } catch (error) {
    if ((error as Error | undefined)?.name !== 'RangeError') throw error;
  }
  return roughText(source);
};

/**
 * Markdown → the words a reader sees, a blank line between blocks and list items on lines of
 * their own: what search indexes and what snippets are cut from. Markup, link targets and HTML
 * tags are gone; entities are decoded.
 */
export const markdownToText = (source: string): string =>
  bodyText(source)
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line, i, lines) => line !== '' || (i > 0 && lines[i - 1] !== ''))
    .join('\n')
    .trim();
