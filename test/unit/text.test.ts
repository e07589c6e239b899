import { describe, expect, it } from 'vitest';
import { CONTROL_CHARACTER_MESSAGE, optionalTextSchema, textSchema } from '#shared/domain/text';

describe('Module: text', () => {
  describe('Function: textSchema', () => {
    it.each([
      ['plain text', 'Printer jammed', true],
      ['tab and line breaks', 'Line one\n\tLine two\r\nLine three', true],
      ['letters of any script and emoji', 'Drucker klemmt — 打印机卡纸 🖨️', true],
      ['NUL', 'Printer\u0000jammed', false],
      ['BEL', 'Printer\u0007', false],
      ['an ESC colour sequence', '\u001b[31mred', false],
      ['vertical tab', 'a\u000bb', false],
      ['DEL', 'a\u007fb', false],
      ['a C1 control', 'a\u0085b', false],
    ])('%s → accepted: %s', (_label, text, accepted) => {
      const result = textSchema(200).safeParse(text);
      expect(result.success).toBe(accepted);
      if (!result.success) expect(result.error.issues[0]?.message).toBe(CONTROL_CHARACTER_MESSAGE);
    });

    it('trims, and refuses what is empty after trimming or longer than its limit', () => {
      expect(textSchema(10).parse('  jam  ')).toBe('jam');
      expect(textSchema(10).safeParse('   ').success).toBe(false);
      expect(textSchema(3).safeParse('four').success).toBe(false);
    });
  });

  describe('Function: optionalTextSchema', () => {
    it('accepts empty text but not control characters', () => {
      expect(optionalTextSchema(10).parse('')).toBe('');
      expect(optionalTextSchema(10).safeParse('\u0000').success).toBe(false);
    });
  });
});
