/**
 * Mail charsets decoded by the platform: Node's `TextDecoder` (ICU) reads every charset of the
 * WHATWG Encoding Standard, the set browsers and mail clients read, so the intake needs no code
 * pages of its own. iconv-lite's tables are 480 KiB of the intake's bundle and its GBK codec is
 * built at import, 30 % of the intake's cold start together.
 *
 * This module is the part of iconv-lite's API that libmime and `charset.ts` use (`decode`,
 * `encodingExists`, `getCodec`, `getDecoder`), and of encoding-japanese's (`convert`, which
 * libmime uses for ISO-2022-JP): the bundles alias both packages to it (`infra/constructs/
 * lambda-function.ts`), and the tests and the local stack load it in their place
 * (`register-charset-decoding.ts`), so what they check is what runs.
 *
 * How it reads compared with iconv-lite, as the Encoding Standard has it:
 * - ISO-8859-1, US-ASCII and their aliases read as Windows-1252 (what every client writes under
 *   those names), ISO-8859-9 as Windows-1254, GB2312 as GBK, KS_C_5601-1987 as EUC-KR.
 * - UTF-16 without a byte order takes it from a BOM or from the text, as iconv-lite does; UTF-32
 *   (not in the standard) is read here.
 * - UTF-7 and the transfer encodings iconv-lite also offers (base64, hex) exist, as libmime
 *   expects, and read as UTF-8: libmime refuses them as charsets before decoding anything.
 * - Charsets the standard does not have (DOS code pages but 866, ISO-2022-KR, HZ) do not exist:
 *   libmime then reads the bytes as UTF-8, as it does for any name it does not know.
 */

/** A stream decoder: text for each chunk, a multi-byte character split between chunks kept whole. */
export interface ChunkDecoder {
  write(chunk: Uint8Array): string;
  end(): string | undefined;
}

/** One per encoding, whatever name reached it (libmime compares codecs by identity). */
export interface Codec {
  encoding: string;
  decoder: (bytes: Uint8Array) => string;
  chunkDecoder: () => ChunkDecoder;
}

/** Names iconv-lite knows that the Encoding Standard does not label. */
const ALIASES: Record<string, string> = {
  cp936: 'gbk',
  ms936: 'gbk',
  euccn: 'gbk',
  cp949: 'euc-kr',
  ms949: 'euc-kr',
  uhc: 'euc-kr',
  cp950: 'big5',
  ms950: 'big5',
  cp932: 'shift_jis',
  ms932: 'shift_jis',
  sjis: 'shift_jis',
  eucjp: 'euc-jp',
  jis: 'iso-2022-jp',
  cp866: 'ibm866',
  tis620: 'windows-874',
  binary: 'latin1',
};

/** UTF-7 and the transfer encodings: known, and read as UTF-8 (see above). */
const AS_UTF8 = /^(?:utf7(?:imap)?|unicode11utf7|base64|hex)$/;
const UTF32 = /^(?:utf32|ucs4)(le|be)?$/;

const codecs = new Map<string, Codec>();

/** iconv-lite's form of a name: lower case, letters and digits only (`UTF-8` → `utf8`). */
const compact = (name: string): string =>
  name
    .toLowerCase()
    .replace(/:\d{4}$/, '')
    .replace(/[^0-9a-z]/g, '');

/**
 * The codec of `encoding`, made once from its chunk decoder: a whole buffer is decoded as one
 * chunk and the end, so both ways read the same.
 */
const cached = (encoding: string, chunkDecoder: () => ChunkDecoder): Codec => {
  let codec = codecs.get(encoding);
  if (!codec) {
    const decoder = (bytes: Uint8Array) => {
      const whole = chunkDecoder();
      return whole.write(bytes) + (whole.end() ?? '');
    };
    codec = { encoding, decoder, chunkDecoder };
    codecs.set(encoding, codec);
  }
  return codec;
};

const textDecoderCodec = (encoding: string): Codec =>
  cached(encoding, () => {
    const decoder = new TextDecoder(encoding);
    return {
      write: (chunk) => decoder.decode(chunk, { stream: true }),
      end: () => decoder.decode() || undefined,
    };
  });

/**
 * UTF-16 or UTF-32 without a byte order: a BOM's, else big-endian when more of the first 100
 * characters read as ASCII that way (iconv-lite's guess), little-endian otherwise.
 */
const byteOrderOf = (bytes: Uint8Array, unit: 2 | 4): 'le' | 'be' => {
  if (unit === 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'be';
  if (unit === 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'le';
  if (unit === 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff) return 'be';
  if (unit === 4 && bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) return 'le';
  let little = 0;
  let big = 0;
  for (let at = 0; at + unit <= Math.min(bytes.length, 100 * unit); at += unit) {
    const first = bytes[at] ?? 0;
    const last = bytes[at + unit - 1] ?? 0;
    const middle = unit === 4 ? (bytes[at + 1] ?? 0) | (bytes[at + 2] ?? 0) : 0;
    if (middle !== 0) continue;
    if (first !== 0 && first < 0x80 && last === 0) little++;
    if (first === 0 && last !== 0 && last < 0x80) big++;
  }
  return big > little ? 'be' : 'le';
};

/** How many bytes a chunk decoder of unknown byte order waits for before it decides. */
const GUESS_BYTES = 200;

/** A codec that picks its byte order from the first bytes, then decodes with `codecOf(order)`. */
const guessingCodec = (encoding: string, unit: 2 | 4, codecOf: (order: 'le' | 'be') => Codec): Codec =>
  cached(encoding, () => {
    let head: Uint8Array[] | undefined = [];
    let held = 0;
    let decoder: ChunkDecoder | undefined;
    const release = (): string => {
      const bytes = Buffer.concat(head ?? []);
      head = undefined;
      decoder = codecOf(byteOrderOf(bytes, unit)).chunkDecoder();
      return decoder.write(bytes);
    };
    return {
      write: (chunk) => {
        if (decoder) return decoder.write(chunk);
        head?.push(Uint8Array.from(chunk));
        held += chunk.length;
        return held < GUESS_BYTES ? '' : release();
      },
      end: () => {
        const text = decoder ? '' : release();
        return text + (decoder?.end() ?? '') || undefined;
      },
    };
  });

/** UTF-32 of one byte order, which the Encoding Standard leaves out: code points, U+FFFD for none. */
const utf32Codec = (order: 'le' | 'be'): Codec => {
  const text = (bytes: Uint8Array, start: number, end: number): string => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const chars: string[] = [];
    for (let at = start; at + 4 <= end; at += 4) {
      const code = view.getUint32(at, order === 'le');
      const valid = code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
      chars.push(valid ? String.fromCodePoint(code) : '\uFFFD');
    }
    return chars.join('');
  };
  return cached(`utf-32${order}`, () => {
    let rest = new Uint8Array(0);
    let started = false;
    return {
      write: (chunk) => {
        const bytes = Buffer.concat([rest, chunk]);
        const whole = bytes.length - (bytes.length % 4);
        rest = Uint8Array.from(bytes.subarray(whole));
        const decoded = text(bytes, 0, whole);
        if (started || decoded === '') return decoded;
        started = true;
        // A byte order mark opens the text; it is not part of it.
        return decoded.startsWith('\uFEFF') ? decoded.slice(1) : decoded;
      },
      end: () => (rest.length ? '\uFFFD' : undefined),
    };
  });
};

const utf16Codec = (order: 'le' | 'be'): Codec => textDecoderCodec(`utf-16${order}`);

/** The codec for a charset name; throws for a charset this platform cannot read, as iconv-lite does. */
export const getCodec = (name: string): Codec => {
  const key = compact(String(name));
  if (AS_UTF8.test(key)) return textDecoderCodec('utf-8');
  const utf32 = UTF32.exec(key);
  if (utf32) {
    const order = utf32[1] as 'le' | 'be' | undefined;
    return order ? utf32Codec(order) : guessingCodec('utf-32', 4, utf32Codec);
  }
  if (key === 'utf16' || key === 'ucs2') return guessingCodec('utf-16', 2, utf16Codec);
  const label = ALIASES[key] ?? String(name).trim();
  let encoding: string;
  try {
    encoding = new TextDecoder(label).encoding;
  } catch {
    throw new Error(`Encoding not recognized: '${name}'`);
  }
  return textDecoderCodec(encoding);
};

export const encodingExists = (name: string): boolean => {
  try {
    getCodec(name);
    return true;
  } catch {
    return false;
  }
};

/** The text of `bytes` in `charset` (a string is read as bytes, one per character, as iconv-lite does). */
export const decode = (bytes: Uint8Array | string, charset: string): string =>
  getCodec(charset).decoder(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);

export const getDecoder = (charset: string): ChunkDecoder => getCodec(charset).chunkDecoder();

/**
 * encoding-japanese's `convert(bytes, { from, to: 'UNICODE', type: 'string' })`, the one way libmime
 * calls it: the Japanese charsets (ISO-2022-JP, EUC-JP, Shift_JIS) are in the Encoding Standard.
 */
export const convert = (bytes: Uint8Array, options: { from: string }): string =>
  decode(bytes, /^iso-?2022-?jp|^jis/i.test(options.from) ? 'iso-2022-jp' : options.from);

export default { decode, encodingExists, getCodec, getDecoder, convert };
