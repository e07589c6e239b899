import { describe, expect, it } from 'vitest';
import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import { ANALYZER_VERSION, QUERY_LIMITS, queryTerms } from '#shared/kb/analyze';
import type { Article } from '#shared/kb/article';
import { buildIndex, putArticle } from '#shared/kb/index-build';
import { ArticleIndex, expansionOf, IndexFormatError, suggestionQuery } from '#shared/kb/search-index';
import { STAFF_SCOPE } from '#shared/kb/visibility';
import { LABELLED_QUERIES } from '#test/kb/queries';

const demo = (id: string): Article => {
  const found = DEMO_ARTICLES.find((article) => article.id === id);
  if (!found) throw new Error(`no demo article ${id}`);
  return found;
};

const article = (overrides: Partial<Article> & Pick<Article, 'id' | 'title' | 'body'>): Article => ({
  tags: [],
  category: 'general',
  audience: 'public',
  status: 'published',
  version: 1,
  linkedTickets: [],
  createdAt: '2026-01-05T09:00:00.000Z',
  createdBy: 'kb-editor@example.com',
  updatedAt: '2026-01-05T09:00:00.000Z',
  updatedBy: 'kb-editor@example.com',
  ...overrides,
});

const ids = (hits: { id: string }[]) => hits.map((hit) => hit.id);

describe('Class: ArticleIndex', () => {
  const index = buildIndex(DEMO_ARTICLES);

  describe('Method: toJSON / fromJSON', () => {
    it('loads back an index that gives the same hits, scores and snippets for every labelled query', () => {
      // Act
      const loaded = ArticleIndex.fromJSON(index.toJSON());

      // Assess
      expect(loaded.size).toBe(DEMO_ARTICLES.length);
      for (const query of LABELLED_QUERIES) {
        const run = (target: ArticleIndex) =>
          query.kind === 'search'
            ? target.search(query.q, { scope: STAFF_SCOPE })
            : target.suggest(
                { subject: query.subject, description: query.description },
                { scope: STAFF_SCOPE },
              );
        expect(run(loaded)).toEqual(run(index));
      }
    });

    it('keeps an article put after loading, and serializes it again', () => {
      // Prepare
      const loaded = ArticleIndex.fromJSON(index.toJSON());
      const added = article({
        id: 'kb-plotter',
        title: 'Large-format plotter',
        body: 'Load the plotter roll.',
      });

      // Act
      putArticle(loaded, added);
      const reloaded = ArticleIndex.fromJSON(loaded.toJSON());

      // Assess
      expect(ids(reloaded.search('plotter roll'))[0]).toBe('kb-plotter');
    });

    it.each([
      ['not JSON', '{"format":'],
      ['another format', JSON.stringify({ format: 'other', analyzer: ANALYZER_VERSION, engine: {} })],
      [
        'another analyzer version',
        JSON.stringify({ format: 'tierdesk-kb-index', analyzer: '00000000', engine: {} }),
      ],
      ['a bare MiniSearch index', JSON.stringify({ documentCount: 0, serializationVersion: 2 })],
      [
        'a broken engine',
        JSON.stringify({ format: 'tierdesk-kb-index', analyzer: ANALYZER_VERSION, engine: { nope: true } }),
      ],
      ['null', 'null'],
    ])('refuses %s with IndexFormatError, so the caller rebuilds', (_case, json) => {
      expect(() => ArticleIndex.fromJSON(json)).toThrow(IndexFormatError);
    });
  });

  describe('Method: put / remove', () => {
    it('makes a published draft searchable for requesters, and removes a deleted article', () => {
      // Prepare
      const local = buildIndex(DEMO_ARTICLES);
      const draft = demo('kb-draft-vpn-client-migration');
      expect(ids(local.search('zero trust client'))).not.toContain(draft.id);

      // Act: publish
      putArticle(local, { ...draft, status: 'published', version: 2 });

      // Assess
      expect(ids(local.search('zero trust client'))[0]).toBe(draft.id);

      // Act: delete
      local.remove(draft.id);
      local.remove('kb-never-existed');

      // Assess
      expect(ids(local.search('zero trust client', { scope: STAFF_SCOPE }))).not.toContain(draft.id);
      expect(local.has(draft.id)).toBe(false);
    });

    it('replaces the indexed text of a changed article', () => {
      // Prepare
      const local = buildIndex([article({ id: 'kb-a', title: 'Old words', body: 'Toner cartridge.' })]);

      // Act
      putArticle(local, article({ id: 'kb-a', title: 'New words', body: 'Scanner glass.', version: 2 }));

      // Assess
      expect(local.size).toBe(1);
      expect(local.search('toner')).toEqual([]);
      expect(ids(local.search('scanner'))).toEqual(['kb-a']);
    });
  });

  describe('Method: search', () => {
    it('ranks a title match above a passing mention', () => {
      const hits = index.search('bitlocker');
      expect(hits[0]?.id).toBe('kb-bitlocker-recovery');
    });

    it('finds articles through synonyms, abbreviations and typos', () => {
      expect(ids(index.search('pw reset')).slice(0, 1)).toEqual(['kb-password-reset']);
      expect(ids(index.search('wi fi guest')).slice(0, 1)).toEqual(['kb-wifi-connect']);
      expect(ids(index.search('2FA setup')).slice(0, 1)).toEqual(['kb-mfa-setup']);
      expect(ids(index.search('pasword expired')).slice(0, 2)).toContain('kb-password-reset');
      expect(ids(index.search('outlok outbox')).slice(0, 1)).toEqual(['kb-outlook-not-syncing']);
    });

    it('matches error codes exactly', () => {
      expect(ids(index.search('caa20002'))).toEqual(['kb-teams-login']);
    });

    it('returns nothing for an empty query or one made only of stop words', () => {
      expect(index.search('')).toEqual([]);
      expect(index.search('  please help, it is not working!!  ')).toEqual([]);
    });

    it('honours the limit', () => {
      expect(index.search('printer', { limit: 2 })).toHaveLength(2);
      expect(index.search('printer', { limit: 0 })).toEqual([]);
    });

    it('marks matched words in the title and the snippet, including synonyms', () => {
      // Act
      const [hit] = index.search('cant log in after changing pw');

      // Assess
      expect(hit?.id).toBe('kb-password-update-devices');
      expect(hit?.titleHtml).toBe(
        'Update your <mark>password</mark> everywhere after <mark>changing</mark> it',
      );
      expect(hit?.snippet).toContain('<mark>password</mark>');
      expect(hit?.snippet).toContain('<mark>sign</mark> <mark>in</mark>');
      expect(hit?.snippet.length).toBeLessThan(500);
    });

    it('escapes the HTML of titles and bodies in hits', () => {
      // Prepare
      const hostile = buildIndex([
        article({
          id: 'kb-hostile',
          title: 'Printer <img src=x onerror=alert(1)> & "quotes"',
          body: 'Type `<script>alert("printer")</script>` and a < b & c > d into the printer console.',
        }),
      ]);

      // Act
      const [hit] = hostile.search('printer');

      // Assess
      expect(hit?.titleHtml).toBe(
        '<mark>Printer</mark> &#60;img src=x onerror=alert(1)&#62; &#38; &#34;quotes&#34;',
      );
      expect(hit?.snippet).toContain(
        '&#60;script&#62;alert(&#34;<mark>printer</mark>&#34;)&#60;/script&#62;',
      );
      expect(hit?.snippet).toContain('a &#60; b &#38; c &#62; d');
      expect(hit?.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    });

    it('indexes every article when marked cannot lex one: its words are found all the same', () => {
      // Arrange: 3,000 nested quotes overflow marked's stack; 20,000 characters of `_a` take it
      // about half a second, past which the rough text would serve too.
      const deep = article({
        id: 'kb-deep',
        title: 'Quoted over and over',
        body: `${'> '.repeat(3_000)}The **plotter** jams on A0 paper.`,
      });
      const plain = article({ id: 'kb-plain', title: 'Plotter', body: 'The plotter needs A1 paper.' });

      // Act
      const built = buildIndex([deep, plain]);

      // Assess
      expect(ids(built.search('plotter')).sort()).toEqual(['kb-deep', 'kb-plain']);
      const [hit, ...others] = built.search('jams');
      expect(others).toEqual([]);
      expect(hit?.id).toBe('kb-deep');
      expect(hit?.snippet).toContain('The plotter <mark>jams</mark> on A0 paper');
    });

    it('cuts a long body around the densest matches, with ellipses', () => {
      // Prepare
      const filler = 'Lorem ipsum dolor sit amet consectetur. '.repeat(30);
      const long = buildIndex([
        article({
          id: 'kb-long',
          title: 'Long',
          body: `${filler}The docking station needs firmware. ${filler}`,
        }),
      ]);

      // Act
      const [hit] = long.search('docking station firmware');

      // Assess
      expect(hit?.snippet).toContain('<mark>docking</mark>');
      expect(hit?.snippet).toContain('<mark>firmware</mark>');
      expect(hit?.snippet.startsWith('… ')).toBe(true);
      expect(hit?.snippet.endsWith(' …')).toBe(true);
    });
  });

  describe('Method: suggest', () => {
    it('suggests the article a ticket is about, from its subject and description', () => {
      const hits = index.suggest({
        subject: 'Outlook on my iPhone',
        description: 'I got a new iphone and want my work email and calendar on it, how do I set it up?',
      });
      expect(hits[0]?.id).toBe('kb-email-mobile');
    });

    it('weighs the subject more than the description', () => {
      // Prepare: the same two topics, swapped between subject and description
      const printerFirst = index.suggest({
        subject: 'Paper jam',
        description: 'Also my VPN disconnects sometimes.',
      });
      const vpnFirst = index.suggest({
        subject: 'VPN disconnects',
        description: 'Also the printer had a paper jam.',
      });

      // Assess
      expect(printerFirst[0]?.id).toBe('kb-printer-jam');
      expect(vpnFirst[0]?.id).toBe('kb-vpn-troubleshoot');
    });

    it('suggests only public published articles by default, internal ones for staff', () => {
      const ticket = { subject: 'Account locked out again', description: 'Find the lockout source please' };
      expect(ids(index.suggest(ticket))).not.toContain('kb-runbook-lockout-source');
      expect(ids(index.suggest(ticket, { scope: STAFF_SCOPE }))).toContain('kb-runbook-lockout-source');
    });

    it('suggests nothing for a ticket no article is about', () => {
      expect(
        index.suggest({
          subject: 'Parking permit',
          description: 'Who do I talk to about getting a car parking permit for the garage?',
        }),
      ).toEqual([]);
    });

    it('answers a very long description quickly, the subject still deciding', () => {
      // Prepare: 20,000 characters of distinct words
      const rambling = Array.from({ length: 2_500 }, (_, i) => `word${i.toString(36)}x`).join(' ');

      // Act
      const started = performance.now();
      const hits = index.suggest({ subject: 'bitlocker recovery key', description: rambling });
      const elapsed = performance.now() - started;

      // Assess
      expect(hits[0]?.id).toBe('kb-bitlocker-recovery');
      expect(elapsed).toBeLessThan(1_000);
    });

    it('falls back to the description when the subject says nothing', () => {
      const hits = index.suggest({
        subject: 'Urgent!!',
        description: 'My bitlocker recovery key screen came up',
      });
      expect(hits[0]?.id).toBe('kb-bitlocker-recovery');
    });

    it('works from a subject alone', () => {
      expect(index.suggest({ subject: 'bitlocker recovery key' })[0]?.id).toBe('kb-bitlocker-recovery');
    });
  });

  describe('Query bounds: what one query may cost, whatever a stranger sends', () => {
    /** 20,000 characters of distinct words, some of them 30 letters long. */
    const rambling = Array.from({ length: 1_200 }, (_, i) =>
      i % 3 === 0 ? `${'q'.repeat(24)}${i.toString(36).padStart(6, 'z')}` : `word${i.toString(36)}x`,
    )
      .join(' ')
      .slice(0, 20_000);

    it('looks up nothing for a 10,000-letter word, in a search or a suggestion', () => {
      const word = 'a'.repeat(10_000);
      expect(queryTerms(word)).toEqual([]);
      expect(suggestionQuery({ subject: word.slice(0, 200), description: word })).toEqual({
        terms: [],
        topical: [],
      });
      expect(index.search(word)).toEqual([]);
    });

    it(`reads the first ${QUERY_LIMITS.chars} characters of a text, and looks up at most ${QUERY_LIMITS.terms} terms of at most ${QUERY_LIMITS.termLength} characters`, () => {
      expect(queryTerms(rambling)).toEqual(queryTerms(rambling.slice(0, QUERY_LIMITS.chars)));
      const { terms, topical } = suggestionQuery({ subject: rambling.slice(0, 200), description: rambling });
      expect(terms.length).toBeGreaterThan(0);
      expect(terms.length).toBeLessThanOrEqual(QUERY_LIMITS.terms);
      expect(topical.length).toBeLessThanOrEqual(QUERY_LIMITS.terms);
      for (const [term] of terms) expect(term.length).toBeLessThanOrEqual(QUERY_LIMITS.termLength);
    });

    it(`forgives typos only in words of ${QUERY_LIMITS.fuzzyTermLength.min} to ${QUERY_LIMITS.fuzzyTermLength.max} letters, at most ${QUERY_LIMITS.maxEditDistance} edits`, () => {
      expect(expansionOf('pasword', 0)).toEqual({ prefix: true, fuzzy: 0.2 });
      expect(expansionOf('prin', 0)).toEqual({ prefix: true, fuzzy: false });
      expect(expansionOf('vpn', 0)).toEqual({ prefix: false, fuzzy: false });
      expect(expansionOf('pneumonoultramicroscopic', 0).fuzzy).toBe(false);
      expect(expansionOf('0x80070005', 0)).toEqual({ prefix: false, fuzzy: false });
    });

    it(`expands (prefix, typos) only the ${QUERY_LIMITS.expandedTerms} heaviest terms; the rest match exactly`, () => {
      expect(expansionOf('printer', QUERY_LIMITS.expandedTerms - 1)).toEqual({ prefix: true, fuzzy: 0.2 });
      expect(expansionOf('printer', QUERY_LIMITS.expandedTerms)).toEqual({ prefix: false, fuzzy: false });
    });

    it('still suggests from the subject when the description is a flood', () => {
      const hits = index.suggest({ subject: 'bitlocker recovery key', description: rambling });
      expect(hits[0]?.id).toBe('kb-bitlocker-recovery');
    });
  });
});
