import { escapeHtml } from '#shared/domain/html-entities';
import { analyze } from './analyze.ts';

/**
 * Highlighted excerpts for search hits. The index reports which of its terms matched a document
 * ("password", "login", "printer"); here each word of the plain text is analyzed the same way to
 * find where those terms occur, so "pw" in a query marks "passwords" in the text and "wifi" marks
 * "Wi-Fi". Output is HTML: text escaped, matches in `<mark>`.
 */

/** A word as a reader sees it, with inner apostrophes and hyphens ("can't", "Wi-Fi"). */
const WORD = /[\p{L}\p{N}]+(?:['\u2019-][\p{L}\p{N}]+)*/gu;

interface Word {
  start: number;
  end: number;
  terms: readonly string[];
}

// Words repeat across articles and queries; analyzing each once keeps snippets cheap at 5,000
// articles. Bounded so a long-lived search container cannot grow it without limit.
const CACHE_LIMIT = 50_000;
const termCache = new Map<string, readonly string[]>();
const termsOf = (text: string): readonly string[] => {
  let terms = termCache.get(text);
  if (!terms) {
    if (termCache.size >= CACHE_LIMIT) termCache.clear();
    terms = analyze(text);
    termCache.set(text, terms);
  }
  return terms;
};

const wordsOf = (text: string): Word[] =>
  [...text.matchAll(WORD)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    terms: termsOf(match[0]),
  }));

/**
 * Which words carry a matched term, and which term. Two-word phrases the analyzer folds into one
 * term ("sign in" → login, "C: drive" → disk) mark both words.
 */
const matchedTerms = (
  text: string,
  words: readonly Word[],
  matched: ReadonlySet<string>,
): (string | undefined)[] => {
  const marks = words.map((word) => word.terms.find((term) => matched.has(term)));
  for (let i = 0; i + 1 < words.length; i++) {
    const [first, second] = [words[i], words[i + 1]] as [Word, Word];
    if (marks[i] || marks[i + 1] || !/^[\s:-]+$/.test(text.slice(first.end, second.start))) continue;
    const own = new Set([...first.terms, ...second.terms]);
    const phrase = termsOf(text.slice(first.start, second.end)).find(
      (term) => !own.has(term) && matched.has(term),
    );
    if (phrase) marks[i] = marks[i + 1] = phrase;
  }
  return marks;
};

const render = (
  text: string,
  words: readonly Word[],
  marks: readonly (string | undefined)[],
  from: number,
  to: number,
): string => {
  let html = '';
  let at = words[from]?.start ?? 0;
  for (let i = from; i <= to; i++) {
    const word = words[i] as Word;
    html += escapeHtml(text.slice(at, word.start).replace(/\s+/g, ' '));
    const shown = escapeHtml(text.slice(word.start, word.end));
    html += marks[i] ? `<mark>${shown}</mark>` : shown;
    at = word.end;
  }
  return html;
};

/** The whole text, escaped, with every matched word marked (for titles). */
export const highlight = (text: string, matched: ReadonlySet<string>): string => {
  const words = wordsOf(text);
  if (words.length === 0) return escapeHtml(text);
  const marks = matchedTerms(text, words, matched);
  const last = words.length - 1;
  return (
    escapeHtml(text.slice(0, words[0]?.start)) +
    render(text, words, marks, 0, last) +
    escapeHtml(text.slice(words[last]?.end))
  );
};

/** Words of context shown before the first match of an excerpt. */
const LEAD_IN = 4;

/**
 * A short excerpt (about `maxChars` characters, whole words) around the densest cluster of
 * matched terms, escaped, matches marked; "…" where text was cut. With no match in the text it is
 * the beginning of the text.
 */
export const snippet = (text: string, matched: ReadonlySet<string>, maxChars = 200): string => {
  const words = wordsOf(text);
  if (words.length === 0) return '';
  const marks = matchedTerms(text, words, matched);
  const windowFrom = (from: number) => {
    let to = from;
    while (to + 1 < words.length && (words[to + 1] as Word).end - (words[from] as Word).start <= maxChars)
      to++;
    return to;
  };

  let best = { from: 0, to: windowFrom(0), score: -1 };
  marks.forEach((mark, i) => {
    if (!mark) return;
    const from = Math.max(0, i - LEAD_IN);
    const to = windowFrom(from);
    const distinct = new Set(marks.slice(from, to + 1).filter(Boolean));
    const count = marks.slice(from, to + 1).filter(Boolean).length;
    // Distinct terms first (a window about "vpn" and "drive" beats one saying "vpn" three times).
    const score = distinct.size * 100 + count;
    if (score > best.score) best = { from, to, score };
  });

  const { from, to } = best;
  const before = from > 0 ? '… ' : '';
  const after = to < words.length - 1 ? ' …' : '';
  return before + render(text, words, marks, from, to) + after;
};
