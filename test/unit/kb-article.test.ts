import { describe, expect, it } from 'vitest';
import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import {
  ArticleIdSchema,
  ArticlePatchSchema,
  createArticle,
  creationRevision,
  draftFromResolution,
  linkTicket,
  NewArticleSchema,
  reviseArticle,
} from '#shared/kb/article';
import { markdownToText } from '#shared/kb/markdown-text';

const AT = '2026-02-01T10:00:00.000Z';
const LATER = '2026-02-02T10:00:00.000Z';

const draft = () =>
  createArticle(
    'kb-plotter',
    NewArticleSchema.parse({ title: 'Plotter', body: 'Load the roll.', category: 'hardware/printer' }),
    't1@example.com',
    AT,
  );

describe('Module: kb/article', () => {
  describe('Schema: NewArticleSchema', () => {
    it('defaults to an internal draft with no tags', () => {
      const input = NewArticleSchema.parse({
        title: ' Plotter ',
        body: 'Load the roll.',
        category: 'hardware/printer',
      });
      expect(input).toEqual({
        title: 'Plotter',
        body: 'Load the roll.',
        tags: [],
        category: 'hardware/printer',
        audience: 'internal',
        status: 'draft',
        linkedTickets: [],
      });
    });

    it('lower-cases and de-duplicates tags', () => {
      const input = NewArticleSchema.parse({
        title: 'x',
        body: 'y',
        category: 'general',
        tags: ['VPN', 'vpn', 'Work from home'],
      });
      expect(input.tags).toEqual(['vpn', 'work from home']);
    });

    it.each([
      ['an empty title', { title: ' ', body: 'y', category: 'general' }],
      ['a category that is not a slug', { title: 'x', body: 'y', category: 'Hardware Printer' }],
      ['a tag with markup', { title: 'x', body: 'y', category: 'general', tags: ['<b>'] }],
      ['an unknown audience', { title: 'x', body: 'y', category: 'general', audience: 'everyone' }],
      ['an unknown field', { title: 'x', body: 'y', category: 'general', version: 3 }],
      ['a body over the limit', { title: 'x', body: 'y'.repeat(50_001), category: 'general' }],
    ])('rejects %s', (_case, input) => {
      expect(NewArticleSchema.safeParse(input).success).toBe(false);
    });
  });

  describe('Schema: ArticlePatchSchema', () => {
    it('rejects an empty patch', () => {
      expect(ArticlePatchSchema.safeParse({}).success).toBe(false);
    });
  });

  describe('Schema: ArticleIdSchema', () => {
    it.each([
      ['kb-password-reset', true],
      ['01hzx3k9', true],
      ['KB-1', false],
      ['../etc', false],
      ['', false],
    ])('%s is valid: %s', (id, valid) => {
      expect(ArticleIdSchema.safeParse(id).success).toBe(valid);
    });
  });

  describe('Function: createArticle', () => {
    it('starts at version 1, created and updated by the author', () => {
      const article = draft();
      expect(article).toMatchObject({
        version: 1,
        createdBy: 't1@example.com',
        updatedAt: AT,
        status: 'draft',
      });
      expect(article.publishedAt).toBeUndefined();
      expect(creationRevision(article)).toEqual({
        articleId: 'kb-plotter',
        version: 1,
        at: AT,
        by: 't1@example.com',
        changed: ['title', 'body', 'tags', 'category', 'audience', 'status'],
      });
    });
  });

  describe('Function: reviseArticle', () => {
    it('bumps the version and records who changed which fields', () => {
      // Act
      const revised = reviseArticle(
        draft(),
        { body: 'Load the paper roll.', tags: ['plotter'] },
        'sup@example.com',
        LATER,
      );

      // Assess
      expect(revised?.article).toMatchObject({
        version: 2,
        body: 'Load the paper roll.',
        tags: ['plotter'],
        updatedBy: 'sup@example.com',
        updatedAt: LATER,
        createdBy: 't1@example.com',
      });
      expect(revised?.revision).toEqual({
        articleId: 'kb-plotter',
        version: 2,
        at: LATER,
        by: 'sup@example.com',
        changed: ['body', 'tags'],
      });
    });

    it('makes no new version for a patch that changes nothing', () => {
      expect(
        reviseArticle(draft(), { title: 'Plotter', tags: [] }, 'sup@example.com', LATER),
      ).toBeUndefined();
    });

    it('stamps the first publication and keeps it when published again', () => {
      // Act
      const published = reviseArticle(draft(), { status: 'published' }, 'sup@example.com', LATER)?.article;
      const unpublished =
        published && reviseArticle(published, { status: 'draft' }, 'sup@example.com', LATER)?.article;
      const again =
        unpublished &&
        reviseArticle(unpublished, { status: 'published' }, 'sup@example.com', '2026-03-01T00:00:00.000Z');

      // Assess
      expect(published?.publishedAt).toBe(LATER);
      expect(again?.article.publishedAt).toBe(LATER);
      expect(again?.article.version).toBe(4);
    });
  });

  describe('Function: draftFromResolution', () => {
    it('drafts an internal article linked to the ticket, from its symptom and resolution', () => {
      // Act
      const article = draftFromResolution(
        {
          number: 1042,
          subject: 'Plotter prints blank pages',
          description: 'The A0 plotter on floor 2 feeds paper but prints nothing.',
          resolution: 'Replaced the print head cartridge and ran the alignment routine.',
          category: 'hardware/printer',
          tags: ['plotter', 'Floor-2'],
        },
        'kb-plotter-blank-pages',
        't3@example.com',
        AT,
      );

      // Assess
      expect(article).toMatchObject({
        id: 'kb-plotter-blank-pages',
        title: 'Plotter prints blank pages',
        audience: 'internal',
        status: 'draft',
        linkedTickets: [1042],
        category: 'hardware/printer',
        tags: ['plotter', 'floor-2'],
        createdBy: 't3@example.com',
      });
      expect(article.body).toContain('The A0 plotter on floor 2 feeds paper but prints nothing.');
      expect(article.body).toContain('Replaced the print head cartridge');
      expect(article.body).toContain('#1042');
    });

    it('falls back to a general category', () => {
      const article = draftFromResolution(
        { number: 7, subject: 'x', description: 'y', resolution: 'z', tags: [] },
        'kb-7',
        't3@example.com',
        AT,
      );
      expect(article.category).toBe('general');
    });
  });

  describe('Function: linkTicket', () => {
    it('links a ticket once', () => {
      const linked = linkTicket(linkTicket(draft(), 42), 42);
      expect(linked.linkedTickets).toEqual([42]);
    });
  });
});

describe('Module: local demo articles', () => {
  const words = (markdown: string) => markdownToText(markdown).split(/\s+/).length;

  it('has at least 30 public published articles, internal runbooks and drafts', () => {
    const count = (predicate: (a: (typeof DEMO_ARTICLES)[number]) => boolean) =>
      DEMO_ARTICLES.filter(predicate).length;
    expect(count((a) => a.audience === 'public' && a.status === 'published')).toBeGreaterThanOrEqual(30);
    expect(count((a) => a.audience === 'internal' && a.status === 'published')).toBeGreaterThanOrEqual(3);
    expect(count((a) => a.status === 'draft')).toBeGreaterThanOrEqual(2);
  });

  it('uses unique, valid ids', () => {
    const ids = DEMO_ARTICLES.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(ArticleIdSchema.safeParse(id).success, id).toBe(true);
  });

  it.each(DEMO_ARTICLES.map((a) => [a.id, a] as const))(
    '%s is valid content of 150 to 400 words',
    (_id, article) => {
      const { title, body, tags, category, audience, status } = article;
      expect(NewArticleSchema.parse({ title, body, tags, category, audience, status })).toMatchObject({
        title,
        tags,
      });
      expect(words(body)).toBeGreaterThanOrEqual(150);
      expect(words(body)).toBeLessThanOrEqual(400);
    },
  );
});
