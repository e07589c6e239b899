import { isUtf8 } from 'node:buffer';
import { analyse } from 'chardet';
import { decode as decodeCharset, encodingExists } from './charset-decoding.ts';

/**
 * Mail whose text is in a charset it does not declare, as older and East Asian clients write it:
 * raw 8-bit header values without RFC 2047 encoded words (a GB2312 or Shift_JIS subject and
 * sender name, a Latin-1 attachment file name), and text parts without a charset, or labelled
 * us-ascii or UTF-8 while they are not (an ISO-2022-JP body behind `charset=us-ascii`).
 * mailparser reads undeclared header bytes as UTF-8 and such a body in the declared charset, so
 * the text comes out as replacement characters or escape sequences.
 *
 * {@link declareCharsets} rewrites the message mailparser reads, never the one kept: header fields
 * that are not valid UTF-8 are decoded and written back as UTF-8 (RFC 6532, which mailparser
 * reads), and a text part whose bytes its label does not fit gets the charset detected for it.
 * Detection (chardet) runs only on bytes that are not valid UTF-8 or carry ISO-2022 escapes, and
 * counts only when it is confident; otherwise the bytes are left for mailparser as they came.
 * Header fields follow the charset the message declares or is detected in for its text, when it
 * decodes them cleanly: a name or subject is too short to be recognized on its own. A Latin-1
 * label, declared or detected, reads as Windows-1252, as mail means it (`charset-decoding.ts`).
 */

/**
 * chardet's confidence (0–100) from which a guess counts. Below it, a short sample scores 10 for
 * every East Asian charset alike, and a wrong guess would garble what mailparser might have read.
 */
const MIN_CONFIDENCE = 50;
/** The bytes chardet reads: plenty to tell a charset, and a 40 MB body does not take seconds. */
const MAX_SAMPLE_BYTES = 64 * 1024;
/** The deepest multipart nesting looked into; mailparser stops well before mail gets deeper. */
const MAX_DEPTH = 50;

/** Labels whose bytes a detected charset may replace: no label, or one the bytes break. */
const WEAK_LABELS = new Set(['', 'us-ascii', 'ascii', 'utf-8', 'utf8']);
/** ISO-2022 shifts into a double-byte set (`ESC $ B`, `ESC $ @`, `ESC $ A`, `ESC $ ) C`). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ISO-2022 shifts begin with ESC
const ISO_2022_SHIFT = /\x1b\$[@AB)]/;

interface Field {
  name: string;
  /** Offsets in the raw message: the field with its folded lines, without the final line break. */
  start: number;
  end: number;
}

interface Entity {
  fields: Field[];
  /** Where a new header field goes: the start of the header block. */
  headerStart: number;
  contentType?: Field;
  type: string;
  params: Record<string, string>;
  encoding: string;
  attachment: boolean;
  bodyStart: number;
  bodyEnd: number;
}

export const declareCharsets = (raw: Buffer): Buffer => {
  // Every byte as one character, so offsets in the text are offsets in the message.
  const text = raw.toString('latin1');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC marks ISO-2022 text, 7-bit as it is
  if (!/[\x80-\xff\x1b]/.test(text)) return raw;
  const entities: Entity[] = [];
  collect(text, 0, text.length, 0, entities);

  const bodyCharsets = new Map<Entity, string>();
  for (const entity of entities) {
    const charset = undeclaredBodyCharset(entity, raw);
    if (charset) bodyCharsets.set(entity, charset);
  }
  const undeclared = new Set(
    entities.flatMap((entity) =>
      entity.fields.filter((field) => notUtf8(raw.subarray(field.start, field.end))),
    ),
  );
  const headerCharset =
    undeclared.size > 0 ? headerCharsetOf(raw, [...undeclared], entities, bodyCharsets) : undefined;
  if (bodyCharsets.size === 0 && !headerCharset) return raw;

  const edits: { start: number; end: number; bytes: Buffer }[] = [];
  for (const entity of entities) {
    const charset = bodyCharsets.get(entity);
    for (const field of entity.fields) {
      const decode = headerCharset !== undefined && undeclared.has(field);
      const declare = charset !== undefined && field === entity.contentType;
      if (!decode && !declare) continue;
      const bytes = raw.subarray(field.start, field.end);
      let value = decode ? decodeCharset(bytes, headerCharset) : bytes.toString('latin1');
      if (declare) value = withCharset(value, charset);
      edits.push({
        start: field.start,
        end: field.end,
        bytes: Buffer.from(value, decode ? 'utf8' : 'latin1'),
      });
    }
    if (charset && !entity.contentType) {
      const field = Buffer.from(`Content-Type: ${entity.type}; charset=${charset}\r\n`, 'latin1');
      edits.push({ start: entity.headerStart, end: entity.headerStart, bytes: field });
    }
  }
  // An inserted field goes before an edited one at the same place (the first of the block).
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const edit of edits) {
    pieces.push(raw.subarray(at, edit.start), edit.bytes);
    at = edit.end;
  }
  pieces.push(raw.subarray(at));
  return Buffer.concat(pieces);
};

/**
 * Bytes in some other charset than UTF-8. Text that is UTF-8 but for a few broken sequences (a
 * stray byte, a line cut short) stays UTF-8: decoding all of it in a guessed charset would
 * garble the rest, and chardet takes such text for a Latin charset with confidence.
 */
const notUtf8 = (bytes: Buffer): boolean => {
  if (isUtf8(bytes)) return false;
  let broken = 0;
  let decoded = 0;
  for (const char of bytes.subarray(0, MAX_SAMPLE_BYTES).toString('utf8')) {
    if (char === '\uFFFD') broken += 1;
    else if (char > '\u007f') decoded += 1;
  }
  return broken >= decoded;
};

const detect = (bytes: Buffer): string | undefined => {
  const [best] = analyse(bytes.subarray(0, MAX_SAMPLE_BYTES));
  if (!best || best.confidence < MIN_CONFIDENCE) return undefined;
  const charset = best.name;
  return encodingExists(charset) || /^iso-2022-jp$/i.test(charset) ? charset : undefined;
};

/** The charset of a text part whose label does not fit its bytes; undefined when it fits or is unknown. */
const undeclaredBodyCharset = (entity: Entity, raw: Buffer): string | undefined => {
  if (!['text/plain', 'text/html'].includes(entity.type) || entity.attachment) return undefined;
  const label = (entity.params.charset ?? '').toLowerCase();
  if (!WEAK_LABELS.has(label)) return undefined;
  const body = transferDecoded(raw.subarray(entity.bodyStart, entity.bodyEnd), entity.encoding);
  const broken = notUtf8(body);
  // ISO-2022 is 7-bit, so valid UTF-8: only its shifts give it away, and only without a label
  // of UTF-8, which has no use for them.
  const shifted = !label.startsWith('utf') && ISO_2022_SHIFT.test(body.toString('latin1'));
  if (!broken && !shifted) return undefined;
  const charset = detect(body);
  return charset && !/^utf-?8$/i.test(charset) ? charset : undefined;
};

/**
 * The charset of the header fields that are not UTF-8: the one the message's text is in (as
 * declared, or detected above) when it decodes them all cleanly, else what they are detected in.
 */
const headerCharsetOf = (
  raw: Buffer,
  fields: readonly Field[],
  entities: readonly Entity[],
  bodyCharsets: ReadonlyMap<Entity, string>,
): string | undefined => {
  // The values only: field names and other ASCII make chardet take short East Asian text for Latin.
  const bytes = Buffer.concat(
    fields.map((field) => {
      const whole = raw.subarray(field.start, field.end);
      return whole.subarray(whole.indexOf(':') + 1);
    }),
  );
  const candidates = entities.flatMap((entity) => {
    const charset = bodyCharsets.get(entity) ?? entity.params.charset;
    return charset && !WEAK_LABELS.has(charset.toLowerCase()) ? [charset] : [];
  });
  const clean = candidates.find(
    (charset) => encodingExists(charset) && !decodeCharset(bytes, charset).includes('\uFFFD'),
  );
  if (clean) return clean;
  const detected = detect(bytes);
  return detected && encodingExists(detected) ? detected : undefined;
};

/** `text/plain; charset=us-ascii; format=flowed` → the same with `charset=<charset>`. */
const withCharset = (field: string, charset: string): string => {
  const param = /;\s*charset\s*=\s*(?:"[^"]*"|[^;\s]*)/i;
  return param.test(field)
    ? field.replace(param, `; charset=${charset}`)
    : `${field.trimEnd()}; charset=${charset}`;
};

const transferDecoded = (body: Buffer, encoding: string): Buffer => {
  if (encoding === 'base64') return Buffer.from(body.toString('latin1'), 'base64');
  if (encoding !== 'quoted-printable') return body;
  const decoded = body
    .toString('latin1')
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(decoded, 'latin1');
};

/** The entities of the message from `start` to `end`, parts of multiparts included, in order. */
const collect = (text: string, start: number, end: number, depth: number, out: Entity[]): void => {
  const blank = /\r?\n\r?\n/g;
  const headerEmpty = /^\r?\n/.exec(text.slice(start, start + 2));
  let headerEnd = start;
  let bodyStart = start + (headerEmpty?.[0].length ?? 0);
  if (!headerEmpty) {
    blank.lastIndex = start;
    const match = blank.exec(text);
    headerEnd = match && match.index < end ? match.index : end;
    bodyStart = match && match.index < end ? match.index + match[0].length : end;
  }
  const fields = fieldsOf(text, start, headerEnd);
  const header = (name: string): { field?: Field; value: string } => {
    const field = fields.find((candidate) => candidate.name === name);
    const raw = field ? text.slice(field.start, field.end) : '';
    const value = raw
      .slice(raw.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    return { ...(field && { field }), value };
  };
  const contentType = header('content-type');
  const [type = '', ...rest] = contentType.value.split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const match = /^\s*([^\s=]+)\s*=\s*"?([^"]*)"?\s*$/.exec(param);
    if (match?.[1] && match[2] !== undefined) params[match[1].toLowerCase()] = match[2];
  }
  const entity: Entity = {
    fields,
    headerStart: start,
    ...(contentType.field && { contentType: contentType.field }),
    type: type.trim().toLowerCase() || 'text/plain',
    params,
    encoding: header('content-transfer-encoding').value.toLowerCase(),
    attachment: /^attachment\b/i.test(header('content-disposition').value),
    bodyStart,
    bodyEnd: end,
  };
  out.push(entity);
  const boundary = params.boundary;
  if (!entity.type.startsWith('multipart/') || !boundary || depth >= MAX_DEPTH) return;
  for (const [partStart, partEnd] of partsOf(text, bodyStart, end, boundary))
    collect(text, partStart, partEnd, depth + 1, out);
};

/** The header fields between `start` and `end`, each with its folded lines; names lower-cased. */
const fieldsOf = (text: string, start: number, end: number): Field[] => {
  const fields: Field[] = [];
  const line = /[^\r\n]*(?:\r?\n|$)/g;
  line.lastIndex = start;
  for (let match = line.exec(text); match && match.index < end; match = line.exec(text)) {
    const content = match[0].replace(/\r?\n$/, '');
    const lineEnd = Math.min(match.index + content.length, end);
    const last = fields.at(-1);
    if (/^[ \t]/.test(content) && last) last.end = lineEnd;
    else {
      const colon = content.indexOf(':');
      if (colon > 0)
        fields.push({ name: content.slice(0, colon).trim().toLowerCase(), start: match.index, end: lineEnd });
    }
    if (match[0].length === 0) break;
  }
  return fields;
};

/** The parts of a multipart body: between its delimiter lines, up to the closing one. */
const partsOf = (text: string, start: number, end: number, boundary: string): [number, number][] => {
  const escaped = boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const delimiter = new RegExp(`^--${escaped}(--)?[ \\t]*\\r?$`, 'gm');
  delimiter.lastIndex = start;
  const parts: [number, number][] = [];
  let partStart: number | undefined;
  for (let match = delimiter.exec(text); match && match.index < end; match = delimiter.exec(text)) {
    // The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    if (partStart !== undefined)
      parts.push([partStart, Math.max(partStart, match.index - lineBreakBefore(text, match.index))]);
    if (match[1]) return parts;
    partStart = Math.min(match.index + match[0].length + 1, end);
  }
  if (partStart !== undefined) parts.push([partStart, end]);
  return parts;
};

const lineBreakBefore = (text: string, index: number): number =>
  text[index - 1] !== '\n' ? 0 : text[index - 2] === '\r' ? 2 : 1;
