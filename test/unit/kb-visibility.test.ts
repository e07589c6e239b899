import { describe, expect, it } from 'vitest';
import type { Article, ArticleAudience, ArticleStatus } from '#shared/kb/article';
import { buildIndex } from '#shared/kb/index-build';
import {
  articleScope,
  canChangeArticle,
  canDocumentFixes,
  canPublishArticles,
  canReadArticle,
  inScope,
  type KbViewer,
  suggestionScope,
} from '#shared/kb/visibility';
import { people } from '#test/support/fixtures';

const viewers = {
  anonymous: undefined,
  requester: people.alice,
  'no groups': people.carol,
  'tier 1': people.t1,
  'tier 2': people.t2,
  'tier 1+2': people.t12,
  'tier 3': people.t3,
  supervisor: people.sup,
  admin: people.admin,
} satisfies Record<string, KbViewer>;
type ViewerName = keyof typeof viewers;

const state = (audience: ArticleAudience, status: ArticleStatus) => ({ audience, status });
const PUBLIC_PUBLISHED = state('public', 'published');
const INTERNAL_PUBLISHED = state('internal', 'published');
const PUBLIC_DRAFT = state('public', 'draft');
const INTERNAL_DRAFT = state('internal', 'draft');

/** Every cell of viewer × audience × status → may read. */
const READ_TABLE: [ViewerName, ArticleAudience, ArticleStatus, boolean][] = (
  [
    ['anonymous', false],
    ['requester', false],
    ['no groups', false],
    ['tier 1', true],
    ['tier 2', true],
    ['tier 1+2', true],
    ['tier 3', true],
    ['supervisor', true],
    ['admin', true],
  ] as const
).flatMap(([viewer, staff]) => [
  [viewer, 'public', 'published', true],
  [viewer, 'internal', 'published', staff],
  [viewer, 'public', 'draft', staff],
  [viewer, 'internal', 'draft', staff],
]);

const articleAs = (audience: ArticleAudience, status: ArticleStatus): Article => ({
  id: `kb-${audience}-${status}`,
  title: `Printer offline (${audience} ${status})`,
  body: 'When the printer shows offline, cancel the jobs in the print queue and restart the laptop.',
  tags: ['printer'],
  category: 'hardware/printer',
  audience,
  status,
  version: 1,
  linkedTickets: [],
  createdAt: '2026-01-05T09:00:00.000Z',
  createdBy: 'kb-editor@example.com',
  updatedAt: '2026-01-05T09:00:00.000Z',
  updatedBy: 'kb-editor@example.com',
});

describe('Module: kb/visibility', () => {
  describe('Function: canReadArticle', () => {
    it.each(READ_TABLE)('%s reads a %s %s article: %s', (viewer, audience, status, expected) => {
      expect(canReadArticle(viewers[viewer], state(audience, status))).toBe(expected);
    });

    it('covers every viewer × audience × status', () => {
      expect(READ_TABLE).toHaveLength(Object.keys(viewers).length * 2 * 2);
    });
  });

  // The same table, through the index: what search and suggest return to each viewer.
  describe('Class: ArticleIndex (visibility of hits)', () => {
    const index = buildIndex(
      [PUBLIC_PUBLISHED, INTERNAL_PUBLISHED, PUBLIC_DRAFT, INTERNAL_DRAFT].map(({ audience, status }) =>
        articleAs(audience, status),
      ),
    );

    it.each(READ_TABLE)('%s searching finds the %s %s article: %s', (viewer, audience, status, expected) => {
      // Act
      const searched = index
        .search('printer offline', { scope: articleScope(viewers[viewer]) })
        .map((hit) => hit.id);
      const suggested = index
        .suggest(
          { subject: 'Printer offline', description: 'The printer shows offline' },
          { scope: articleScope(viewers[viewer]) },
        )
        .map((hit) => hit.id);

      // Assess
      expect(searched.includes(`kb-${audience}-${status}`)).toBe(expected);
      expect(suggested.includes(`kb-${audience}-${status}`)).toBe(expected);
    });

    it('uses the requesters’ scope when no scope is given', () => {
      expect(index.search('printer').map((hit) => hit.id)).toEqual(['kb-public-published']);
      expect(index.suggest({ subject: 'printer offline' }).map((hit) => hit.id)).toEqual([
        'kb-public-published',
      ]);
    });

    it('filters before limiting: a requester still gets `limit` public hits when internal ones rank higher', () => {
      // Prepare: internal runbooks that say "printer" far more often than the public articles
      const runbooks = Array.from({ length: 5 }, (_, i) => ({
        ...articleAs('internal', 'published'),
        id: `kb-runbook-${i}`,
        title: 'Printer printer printer offline',
        tags: ['printer', 'offline'],
      }));
      const publics = Array.from({ length: 3 }, (_, i) => ({
        ...articleAs('public', 'published'),
        id: `kb-public-${i}`,
        title: 'Ask at reception',
        body: 'Reception can help with the printer.',
        tags: [],
      }));
      const crowded = buildIndex([...runbooks, ...publics]);

      // Act
      const staffHits = crowded.search('printer offline', { limit: 2, scope: articleScope(people.t1) });
      const requesterHits = crowded.search('printer offline', {
        limit: 2,
        scope: articleScope(people.alice),
      });

      // Assess
      expect(staffHits.every((hit) => hit.id.startsWith('kb-runbook-'))).toBe(true);
      expect(requesterHits).toHaveLength(2);
      expect(requesterHits.every((hit) => hit.id.startsWith('kb-public-'))).toBe(true);
    });
  });

  describe('Function: canPublishArticles', () => {
    const table: [ViewerName, boolean][] = [
      ['requester', false],
      ['tier 1', false],
      ['tier 2', false],
      ['tier 1+2', false],
      ['tier 3', true],
      ['supervisor', true],
      ['admin', true],
    ];
    it.each(table)('%s may publish: %s', (viewer, expected) => {
      const principal = viewers[viewer];
      expect(principal && canPublishArticles(principal)).toBe(expected);
    });
  });

  describe('Function: canChangeArticle', () => {
    // change, from, to, may any agent make it (otherwise only publishers: Tier 3, supervisors, admins)
    const changes: [
      string,
      ReturnType<typeof state> | undefined,
      ReturnType<typeof state> | undefined,
      boolean,
    ][] = [
      ['create a draft', undefined, PUBLIC_DRAFT, true],
      ['edit a draft', PUBLIC_DRAFT, PUBLIC_DRAFT, true],
      ['delete a draft', INTERNAL_DRAFT, undefined, true],
      ['edit an internal published article', INTERNAL_PUBLISHED, INTERNAL_PUBLISHED, true],
      ['delete an internal published article', INTERNAL_PUBLISHED, undefined, true],
      ['create a published article', undefined, INTERNAL_PUBLISHED, false],
      ['publish an internal draft', INTERNAL_DRAFT, INTERNAL_PUBLISHED, false],
      ['publish a public draft', PUBLIC_DRAFT, PUBLIC_PUBLISHED, false],
      ['edit a public published article', PUBLIC_PUBLISHED, PUBLIC_PUBLISHED, false],
      ['make a published article public', INTERNAL_PUBLISHED, PUBLIC_PUBLISHED, false],
      ['unpublish a public article', PUBLIC_PUBLISHED, PUBLIC_DRAFT, false],
      ['delete a public published article', PUBLIC_PUBLISHED, undefined, false],
    ];
    const table = changes.flatMap(([change, current, next, anyAgent]) =>
      (Object.keys(viewers) as ViewerName[]).map((viewer) => {
        const staff = ['tier 1', 'tier 2', 'tier 1+2', 'tier 3', 'supervisor', 'admin'].includes(viewer);
        const publisher = ['tier 3', 'supervisor', 'admin'].includes(viewer);
        return [viewer, change, staff && (anyAgent || publisher), current, next] as const;
      }),
    );

    it.each(table)('%s may %s: %s', (viewer, _change, expected, current, next) => {
      expect(canChangeArticle(viewers[viewer], current, next)).toBe(expected);
    });

    it('lets no requester or anonymous caller change anything', () => {
      for (const viewer of [undefined, people.alice, people.carol]) {
        for (const [, current, next] of changes) expect(canChangeArticle(viewer, current, next)).toBe(false);
      }
    });
  });

  describe('Function: suggestionScope', () => {
    it.each(READ_TABLE)(
      '%s is suggested a %s %s article: only if published and readable',
      (viewer, audience, status, readable) => {
        expect(inScope(suggestionScope(viewers[viewer]), state(audience, status))).toBe(
          readable && status === 'published',
        );
      },
    );
  });

  describe('Function: canDocumentFixes', () => {
    it.each([
      ['requester', false],
      ['tier 1', false],
      ['tier 1+2', false],
      ['tier 3', true],
      ['supervisor', true],
      ['admin', true],
    ] as const)('%s: %s', (viewer, expected) => {
      expect(canDocumentFixes(viewers[viewer] as NonNullable<KbViewer>)).toBe(expected);
    });
  });
});
