import { Marked, type Token, type Tokens } from 'marked';
import { decodeHtmlEntities } from '#shared/domain/html-entities';

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
      return (token as Tokens.HTML).text.replace(/<[^>]*>/g, ' ');
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
 * Markdown → the words a reader sees, a blank line between blocks and list items on lines of
 * their own: what search indexes and what snippets are cut from. Markup, link targets and HTML
 * tags are gone; entities are decoded.
 */
export const markdownToText = (source: string): string =>
  decodeHtmlEntities(textOf(markdown.lexer(source)))
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line, i, lines) => line !== '' || (i > 0 && lines[i - 1] !== ''))
    .join('\n')
    .trim();
