import { createRequire } from 'node:module';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type charsets from '#shared/email/charset-decoding';
import { convert, decode, encodingExists, getCodec, getDecoder } from '#shared/email/charset-decoding';

/**
 * Mail charsets decoded by Node's TextDecoder in place of iconv-lite's code pages
 * (`#shared/email/charset-decoding`). iconv-lite itself (imported here by path, as vitest resolves
 * it) writes the bytes and is the reference the decoding is held to.
 */

const SAMPLES: [charset: string, text: string][] = [
  ['gb2312', '打印机卡纸了，请帮忙'],
  ['gbk', '显示器闪烁'],
  ['big5', '印表機無法列印'],
  ['shift_jis', 'プリンターが紙詰まりです'],
  ['euc-jp', 'パスワードを忘れました'],
  ['euc-kr', '프린터가 고장났습니다'],
  ['koi8-r', 'Принтер не печатает'],
  ['windows-1251', 'Не работает VPN'],
  ['iso-8859-2', 'Drukarka nie działa, żółć'],
  ['windows-1252', 'Café – “quoted” €5'],
  ['utf-16le', 'Printer ✓ 打印'],
  ['utf-16be', 'Printer ✓ 打印'],
];

/** `bytes` cut into pieces of `size` bytes, written one by one to a chunk decoder. */
const inChunks = (charset: string, bytes: Uint8Array, size: number): string => {
  const decoder = getDecoder(charset);
  let text = '';
  for (let at = 0; at < bytes.length; at += size) text += decoder.write(bytes.subarray(at, at + size));
  return text + (decoder.end() ?? '');
};

describe('Module: charset-decoding', () => {
  it.each(SAMPLES)('decodes %s as iconv-lite does', (charset, text) => {
    const bytes = iconv.encode(text, charset);
    expect(decode(bytes, charset)).toBe(text);
    expect(decode(bytes, charset)).toBe(iconv.decode(bytes, charset));
  });

  it.each(SAMPLES)(
    'decodes %s the same in chunks of any size: no character split in two',
    (charset, text) => {
      const bytes = iconv.encode(text, charset);
      for (const size of [1, 2, 3, 5, 7]) expect(inChunks(charset, bytes, size), `${size}`).toBe(text);
    },
  );

  it('reads ISO-2022-JP (what encoding-japanese read for libmime) through convert', () => {
    // "テスト" in ISO-2022-JP: ESC $ B, three JIS X 0208 pairs, ESC ( B
    const bytes = Buffer.from('1b24422546253925481b2842', 'hex');
    expect(convert(bytes, { from: 'ISO-2022-JP' })).toBe('テスト');
    expect(convert(bytes, { from: 'JIS' })).toBe('テスト');
  });

  it('reads Latin-1 and ASCII labels as Windows-1252, as mail clients write them', () => {
    expect(decode(Buffer.from([0x93, 0x41, 0x94, 0x80]), 'iso-8859-1')).toBe('“A”€');
    expect(decode(Buffer.from([0xe9]), 'latin1')).toBe('é');
  });

  it('takes the byte order of UTF-16 and UTF-32 from a BOM or, without one, from the text', () => {
    const text = 'Reset my password';
    expect(decode(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]), 'utf-16')).toBe(
      text,
    );
    expect(decode(iconv.encode(text, 'utf-16be'), 'UTF-16')).toBe(text);
    expect(decode(iconv.encode(text, 'utf-16le'), 'utf16')).toBe(text);
    for (const charset of ['utf-32le', 'utf-32be']) {
      const bytes = iconv.encode(`${text} 😀`, charset);
      expect(decode(bytes, charset), charset).toBe(`${text} 😀`);
      expect(decode(bytes, 'utf-32'), charset).toBe(`${text} 😀`);
      for (const size of [1, 3, 4, 5])
        expect(inChunks('utf-32', bytes, size), `${charset} ${size}`).toBe(`${text} 😀`);
    }
  });

  it('answers one codec per encoding, whichever name reaches it (libmime compares codecs)', () => {
    expect(getCodec('GB2312')).toBe(getCodec('gbk'));
    expect(getCodec('ks_c_5601-1987')).toBe(getCodec('EUC-KR'));
    expect(getCodec('cp936')).toBe(getCodec('gbk'));
    expect(getCodec('utf-7')).toBe(getCodec('base64'));
  });

  it('knows UTF-7 and the transfer encodings (libmime refuses them) and not what the platform cannot read', () => {
    for (const known of ['utf-7', 'unicode-1-1-utf-7', 'utf7-imap', 'base64', 'hex', 'UTF-32', 'macintosh'])
      expect(encodingExists(known), known).toBe(true);
    for (const unknown of ['cp437', 'iso-2022-kr', 'hz-gb-2312', 'x-unknown', ''])
      expect(encodingExists(unknown), unknown).toBe(false);
    expect(() => getCodec('cp437')).toThrow("Encoding not recognized: 'cp437'");
  });

  it('is what the mail libraries load for iconv-lite and encoding-japanese (the bundles alias them to it)', () => {
    const fromLibmime = createRequire(createRequire(import.meta.url).resolve('libmime'));
    for (const name of ['iconv-lite', 'encoding-japanese']) {
      const loaded = fromLibmime(name) as { default?: unknown; decode?: unknown };
      expect(loaded.decode ?? (loaded.default as typeof charsets | undefined)?.decode, name).toBeTypeOf(
        'function',
      );
      expect(typeof (loaded as typeof charsets).convert, name).toBe('function');
      expect((loaded as typeof charsets).getCodec('gb2312'), name).toHaveProperty('chunkDecoder');
    }
  });
});
