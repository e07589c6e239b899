import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Article } from '#shared/kb/article';
import { buildIndex, putArticle } from '#shared/kb/index-build';
import { markdownToText } from '#shared/kb/markdown-text';

/**
 * The index build converts each body once per version in a process (`#shared/kb/index-build`):
 * the stream processor rebuilds from every article on each change, and a body may take up to a
 * second to convert. The real conversion runs; the spy only counts it.
 */
vi.mock('#shared/kb/markdown-text', async (importOriginal) => {
  const real = await importOriginal<typeof import('#shared/kb/markdown-text')>();
  return { markdownToText: vi.fn(real.markdownToText) };
});

const converted = vi.mocked(markdownToText);

const article = (id: string, body: string, version = 1): Article => ({
  id,
  title: `Article ${id}`,
  body,
  tags: [],
  category: 'general',
  audience: 'public',
  status: 'published',
  version,
  linkedTickets: [],
  createdAt: '2026-01-05T09:00:00.000Z',
  createdBy: 'kb-editor@example.com',
  updatedAt: '2026-01-05T09:00:00.000Z',
  updatedBy: 'kb-editor@example.com',
});

describe('Function: buildIndex, converting bodies', () => {
  beforeEach(() => {
    buildIndex([]);
    converted.mockClear();
  });

  it('converts only the bodies that changed since the last build, and finds every article', () => {
    // Arrange
    buildIndex([article('kb-a', 'The **plotter** jams.'), article('kb-b', 'Toner is _low_.')]);
    converted.mockClear();

    // Act
    const index = buildIndex([
      article('kb-a', 'The **plotter** jams.'),
      article('kb-b', 'Toner is _empty_.', 2),
      article('kb-c', 'Scanner glass.'),
    ]);

    // Assess
    expect(converted.mock.calls).toEqual([['Toner is _empty_.'], ['Scanner glass.']]);
    expect(index.search('plotter').map((hit) => hit.id)).toEqual(['kb-a']);
    expect(index.search('empty').map((hit) => hit.id)).toEqual(['kb-b']);
    expect(index.search('low')).toEqual([]);
  });

  it('forgets articles a build no longer has: one that comes back is converted again', () => {
    // Arrange
    buildIndex([article('kb-a', 'Reset the router.')]);
    buildIndex([]);
    converted.mockClear();

    // Act
    const index = buildIndex([article('kb-a', 'Reset the router.')]);

    // Assess
    expect(converted).toHaveBeenCalledTimes(1);
    expect(index.search('router').map((hit) => hit.id)).toEqual(['kb-a']);
  });

  it('converts an article put into a built index once, and a rebuild with it converts nothing', () => {
    // Arrange
    const index = buildIndex([article('kb-a', 'Reset the router.')]);

    // Act
    putArticle(index, article('kb-b', 'Replace the fuser.'));
    const rebuilt = buildIndex([article('kb-a', 'Reset the router.'), article('kb-b', 'Replace the fuser.')]);

    // Assess
    expect(converted.mock.calls).toEqual([['Reset the router.'], ['Replace the fuser.']]);
    expect(index.search('fuser').map((hit) => hit.id)).toEqual(['kb-b']);
    expect(rebuilt.search('fuser').map((hit) => hit.id)).toEqual(['kb-b']);
  });
});
