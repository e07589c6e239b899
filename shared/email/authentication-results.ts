import type { ParsedMail } from './parse.ts';
import { type AuthResult, authResultOf, type MailAuthentication } from './sender-auth.ts';
import type { SesReceiptVerdicts } from './verdicts.ts';

/**
 * What SES found out about a received mail, as the sender-authentication policy reads it.
 *
 * The receipt's `spfVerdict`, `dkimVerdict` and `dmarcVerdict` name no domain, and alignment is
 * about domains: which domain signed (DKIM d=) and which MAIL FROM SPF checked. The signing
 * domains come from the Authentication-Results header SES prepends to the stored message:
 *
 *     Authentication-Results: amazonses.com;
 *      spf=pass (spfCheck: domain of example.com designates 192.0.2.1 as permitted sender)
 *      client-ip=192.0.2.1; envelope-from=ann@example.com; helo=mail.example.com;
 *      dkim=pass header.i=@example.com;
 *      dmarc=pass header.from=example.com;
 *
 * Only that one header is believed: the topmost Authentication-Results, and only when its
 * authserv-id is SES's. SES adds its headers above everything the sender wrote, so an
 * Authentication-Results further down (or a top one in another's name) is the sender's own
 * claim. The receipt's verdicts, which are not in the message at all, have the last word: a
 * header pass counts only when the receipt's verdict for that mechanism passed too.
 */

const SES_AUTHSERV_ID = 'amazonses.com';

/** One `method=result property=value …` of an Authentication-Results header. */
interface ResultInfo {
  method: string;
  result: string;
  /** `header.d`, `smtp.mailfrom`, …, lower-cased names; the first value of each. */
  properties: Record<string, string>;
}

interface AuthenticationResultsHeader {
  authservId: string;
  results: ResultInfo[];
}

/** Methods of the IANA registry that can start a result; SES writes other `name=value` pairs too. */
const METHODS = new Set([
  'arc',
  'auth',
  'bimi',
  'dkim',
  'dkim-atps',
  'dmarc',
  'dnswl',
  'domainkeys',
  'iprev',
  'rrvs',
  'sender-id',
  'smime',
  'spf',
  'vbr',
]);

/** The value without RFC 5322 comments (nested), quoted strings left as they are. */
const withoutComments = (value: string): string => {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index] as string;
    if (char === '\\' && (quoted || depth > 0)) {
      if (depth === 0) out += value.slice(index, index + 2);
      index += 1;
    } else if (depth === 0 && char === '"') {
      quoted = !quoted;
      out += char;
    } else if (!quoted && char === '(') {
      depth += 1;
      out += depth === 1 ? ' ' : '';
    } else if (!quoted && char === ')' && depth > 0) {
      depth -= 1;
    } else if (depth === 0) {
      out += char;
    }
  }
  return out;
};

/** Splits on `;` outside quoted strings. */
const statements = (value: string): string[] => {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of value) {
    if (char === '"') quoted = !quoted;
    if (char === ';' && !quoted) {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  parts.push(current.trim());
  return parts.filter(Boolean);
};

const PAIR = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\/\d+)?\s*=\s*("(?:[^"\\]|\\.)*"|[^\s"]+)$/;

const pairsOf = (statement: string): [string, string][] | undefined => {
  const tokens = statement.match(/[^\s=]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^\s"]+)|\S+/g) ?? [];
  const pairs: [string, string][] = [];
  for (const token of tokens) {
    const match = PAIR.exec(token);
    if (!match) return undefined;
    pairs.push([(match[1] as string).toLowerCase(), (match[2] as string).replace(/^"|"$/g, '')]);
  }
  return pairs;
};

/**
 * An Authentication-Results header value (RFC 8601), or undefined when it does not read as one.
 * Strict about the parts that matter (the authserv-id, each result's `method=result` and its
 * `ptype.property=value` pairs); lenient about one thing SES does: it ends its SPF result with
 * `client-ip=…; envelope-from=…; helo=…;`, pairs that belong to that result although a `;`
 * precedes them.
 */
export const parseAuthenticationResults = (value: string): AuthenticationResultsHeader | undefined => {
  const [head, ...rest] = statements(withoutComments(value));
  const authservId = head?.split(/\s+/)[0]?.toLowerCase();
  if (!authservId || !/^[a-z0-9][a-z0-9._-]*$/.test(authservId)) return undefined;
  const results: ResultInfo[] = [];
  for (const statement of rest) {
    if (statement.toLowerCase() === 'none') continue;
    const pairs = pairsOf(statement);
    if (!pairs || pairs.length === 0) return undefined;
    const [[method, result], ...properties] = pairs as [[string, string], ...[string, string][]];
    const previous = results.at(-1);
    if (METHODS.has(method)) {
      if (!/^[a-z]+$/i.test(result)) return undefined;
      results.push({ method, result: result.toLowerCase(), properties: {} });
    } else if (previous) {
      properties.unshift([method, result]);
    } else {
      return undefined;
    }
    const target = results.at(-1) as ResultInfo;
    for (const [name, property] of properties) target.properties[name] ??= property;
  }
  return { authservId, results };
};

/** `ann@example.com`, `@example.com` or `example.com` → `example.com`; undefined for anything else. */
const domainIn = (value: string | undefined): string | undefined => {
  const text = value?.trim().replace(/^<|>$/g, '').toLowerCase();
  if (!text) return undefined;
  const domain = text.slice(text.lastIndexOf('@') + 1);
  // A domain name has a dot; SES writes `header.i=unknown` for a signature it could not read.
  return /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(domain) ? domain : undefined;
};

const SES_STATUS: Readonly<Record<string, AuthResult>> = {
  PASS: 'pass',
  FAIL: 'fail',
  // SES's word for "no record" (SPF, DMARC) or "not signed" (DKIM).
  GRAY: 'none',
  PROCESSING_FAILED: 'temperror',
};

const sesStatus = (verdict: { status: string } | undefined): AuthResult | undefined =>
  verdict ? (SES_STATUS[verdict.status.toUpperCase()] ?? 'neutral') : undefined;

/** The topmost Authentication-Results header, when SES wrote it. */
const sesHeader = (values: readonly string[] | undefined): AuthenticationResultsHeader | undefined => {
  const top = values?.[0];
  const parsed = top === undefined ? undefined : parseAuthenticationResults(top);
  return parsed?.authservId === SES_AUTHSERV_ID ? parsed : undefined;
};

/** A header result, held to the receipt: nothing passes that SES's verdict did not pass. */
const heldTo = (result: string, verdict: AuthResult | undefined): AuthResult => {
  const own = authResultOf(result);
  return own === 'pass' && verdict !== undefined && verdict !== 'pass' ? verdict : own;
};

export const sesAuthentication = (
  receipt: SesReceiptVerdicts,
  mail: Pick<ParsedMail, 'headers' | 'envelope'>,
): MailAuthentication => {
  const header = sesHeader(mail.headers['authentication-results']);
  const of = (method: string) => header?.results.filter((info) => info.method === method) ?? [];

  const dkimVerdict = sesStatus(receipt.dkimVerdict);
  const dkim = of('dkim').flatMap((info) => {
    const domain = domainIn(info.properties['header.d'] ?? info.properties['header.i']);
    return domain ? [{ result: heldTo(info.result, dkimVerdict), domain }] : [];
  });

  const [spfInfo] = of('spf');
  const spfDomain =
    domainIn(mail.envelope.mailFrom) ??
    domainIn(spfInfo?.properties['smtp.mailfrom'] ?? spfInfo?.properties['envelope-from']);
  const spfResult = sesStatus(receipt.spfVerdict) ?? (spfInfo && authResultOf(spfInfo.result));

  const [dmarcInfo] = of('dmarc');
  const dmarcResult = sesStatus(receipt.dmarcVerdict) ?? (dmarcInfo && authResultOf(dmarcInfo.result));
  const dmarcDomain = domainIn(dmarcInfo?.properties['header.from']);

  return {
    dkim,
    ...(spfResult && spfDomain && { spf: { result: spfResult, domain: spfDomain } }),
    ...(dmarcResult && { dmarc: { result: dmarcResult, ...(dmarcDomain && { domain: dmarcDomain }) } }),
  };
};
