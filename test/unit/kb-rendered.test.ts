import { describe, expect, it } from 'vitest';
import { articleView } from '#shared/http/kb-views';
import { type Article, createArticle } from '#shared/kb/article';
import { renderMarkdown } from '#shared/kb/render';
import { keptHtml, MAX_KEPT_HTML_BYTES, RENDERER_VERSION, withRendered } from '#shared/kb/rendered';

/**
 * An article's HTML is rendered by the function that writes a version and kept with it, so that
 * reading renders nothing; an article without it (older, too large, another renderer) is
 * rendered when read.
 */

const article = (body: string): Article =>
  createArticle(
    'kb-vpn',
    {
      title: 'Connect to the VPN',
      body,
      tags: [],
      category: 'network/vpn',
      audience: 'public',
      status: 'published',
      linkedTickets: [],
    },
    'sup@example.com',
    '2026-12-04T10:00:00.000Z',
  );

describe('Module: kb/rendered', () => {
  describe('Function: withRendered', () => {
    it('keeps the HTML the renderer makes, tagged with the renderer version', () => {
      const kept = withRendered(article('Open **GlobalProtect**.'), renderMarkdown);

      expect(kept.rendered).toEqual({
        renderer: RENDERER_VERSION,
        html: '<p>Open <strong>GlobalProtect</strong>.</p>',
      });
      expect(keptHtml(kept)).toBe(kept.rendered?.html);
    });

    it('keeps no HTML larger than its limit, and drops what an earlier version kept', () => {
      const earlier = withRendered(article('short'), renderMarkdown);
      const links = '[a](https://example.com/a) '.repeat(2_000);

      const large = withRendered({ ...earlier, body: links }, renderMarkdown);

      expect(Buffer.byteLength(renderMarkdown(links))).toBeGreaterThan(MAX_KEPT_HTML_BYTES);
      expect(large.rendered).toBeUndefined();
      expect('rendered' in large).toBe(false);
    });
  });

  describe('Function: keptHtml', () => {
    it('gives nothing for HTML of another renderer version, or none', () => {
      expect(
        keptHtml({ ...article('x'), rendered: { renderer: RENDERER_VERSION + 1, html: '<p>x</p>' } }),
      ).toBe(undefined);
      expect(keptHtml(article('x'))).toBeUndefined();
    });
  });
});

describe('Module: http/kb-views', () => {
  describe('Function: articleView', () => {
    it('answers with the kept HTML and never the cache itself', async () => {
      // Arrange: kept HTML that the renderer would not make, to tell the two apart
      const kept: Article = {
        ...article('Open it.'),
        rendered: { renderer: RENDERER_VERSION, html: '<p>kept</p>' },
      };

      // Act
      const view = await articleView(kept, { staff: false });

      // Assess
      expect(view.html).toBe('<p>kept</p>');
      expect(view).not.toHaveProperty('rendered');
      expect(view).not.toHaveProperty('createdBy');
    });

    it('renders the body when no HTML is kept, or when another renderer kept it', async () => {
      const body = 'Hello <script>alert(1)</script> **world**';
      const stale: Article = {
        ...article(body),
        rendered: { renderer: RENDERER_VERSION - 1, html: '<p>old</p>' },
      };

      expect((await articleView(article(body), { staff: true })).html).toBe(renderMarkdown(body));
      expect((await articleView(stale, { staff: true })).html).toBe(renderMarkdown(body));
      expect((await articleView(stale, { staff: true })).html).not.toMatch(/script|old/);
    });
  });
});
