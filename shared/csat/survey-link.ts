import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The survey link's token: HMAC-SHA256 over (ticket, requester, expiry) with the desk's CSAT key,
 * so the link answers for one ticket, as its requester, until it expires, and nobody can make
 * one. The token names the key it was signed with: after a rotation the previous key still
 * verifies the links already sent, new links are signed with the current one.
 *
 * `<key id>.<ticket>.<expiry, epoch seconds>.<signature, base64url>`; the requester is not in the
 * token (a link in a forwarded mail should not show who it was for), only in what is signed.
 */

export interface CsatKey {
  id: string;
  secret: Buffer;
}

/** The keys links are signed and verified with: the current one, and those still accepted. */
export interface CsatKeyring {
  current(): Promise<CsatKey>;
  /** A key still accepted (the current or the previous one), by id. */
  byId(id: string): Promise<CsatKey | undefined>;
}

/** How long a survey link answers after the ticket closed. */
export const SURVEY_LINK_TTL_MS = 14 * 24 * 3_600_000;

const TOKEN = /^([A-Za-z0-9_-]{1,40})\.(\d{1,10})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

const signature = (key: CsatKey, ticket: number, requester: string, expires: number): Buffer =>
  createHmac('sha256', key.secret)
    .update(`tierdesk-csat\n${key.id}\n${ticket}\n${requester}\n${expires}`)
    .digest();

export const signSurveyToken = async (
  keyring: CsatKeyring,
  ticket: number,
  requester: string,
  expiresAt: Date,
): Promise<string> => {
  const key = await keyring.current();
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${key.id}.${ticket}.${expires}.${signature(key, ticket, requester, expires).toString('base64url')}`;
};

/** The ticket a token names, before it is verified (the requester to verify against is on the ticket). */
export const surveyTicketOf = (token: string): number | undefined => {
  const match = TOKEN.exec(token);
  return match ? Number(match[2]) : undefined;
};

export type SurveyTokenCheck = 'valid' | 'malformed' | 'forged' | 'expired';

/** Checks a token against the ticket's requester; expiry is checked after the signature. */
export const checkSurveyToken = async (
  keyring: CsatKeyring,
  token: string,
  requester: string,
  now: Date,
): Promise<SurveyTokenCheck> => {
  const match = TOKEN.exec(token);
  if (!match?.[1] || !match[4]) return 'malformed';
  const key = await keyring.byId(match[1]);
  if (!key) return 'forged';
  const expires = Number(match[3]);
  const expected = signature(key, Number(match[2]), requester, expires);
  const given = Buffer.from(match[4], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
  return now.getTime() >= expires * 1000 ? 'expired' : 'valid';
};

/** A keyring from its keys: the first signs, every one verifies. */
export const staticKeyring = (keys: readonly CsatKey[]): CsatKeyring => {
  const [current] = keys;
  if (!current) throw new Error('A CSAT keyring needs at least one key.');
  return {
    current: async () => current,
    byId: async (id) => keys.find((key) => key.id === id),
  };
};
