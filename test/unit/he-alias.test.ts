import { describe, expect, it } from 'vitest';
import he from '#shared/email/he';

/** What bundles resolve `he` to encodes as he 1.2's `encode` does with its default options. */
describe('shared/email/he (the bundled stand-in for he)', () => {
  it.each([
    ['Ann <ann@example.com>', 'Ann &#x3C;ann@example.com&#x3E;'],
    [
      'Ça va? "quoted" & \'single\' `tick`',
      '&#xC7;a va? &#x22;quoted&#x22; &#x26; &#x27;single&#x27; &#x60;tick&#x60;',
    ],
    ['emoji 😀 and 日本語', 'emoji &#x1F600; and &#x65E5;&#x672C;&#x8A9E;'],
    ['ctrl\u0001\u007f\u009d tab\tnl\n', 'ctrl&#x1;&#x7F;&#x9D; tab&#x9;nl\n'],
    ['plain', 'plain'],
  ])('encodes %j as he does', (text, encoded) => {
    expect(he.encode(text)).toBe(encoded);
  });

  it('escapes only the characters unsafe in HTML', () => {
    expect(he.escape('<a href="x">Ça & `y`</a>')).toBe(
      '&#x3C;a href=&#x22;x&#x22;&#x3E;Ça &#x26; &#x60;y&#x60;&#x3C;/a&#x3E;',
    );
  });
});
