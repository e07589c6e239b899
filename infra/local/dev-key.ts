import { randomBytes, randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { groupsFor, normalizeEmail, type Role } from '#shared/domain/principal';
import type { Tier } from '#shared/domain/ticket-fields';
import { PROJECT_ROOT } from './lambda.ts';

/**
 * The local stand-in for Cognito's signing key: one ES256 key pair per checkout, generated on
 * first use and kept in `.tierdesk/` (git-ignored), so tokens minted by `npm run token` keep
 * working across restarts of `npm start`. Tokens carry the claims of a Cognito ID token.
 */

const DEV_ISSUER = 'tierdesk-local';
const DEV_AUDIENCE = 'tierdesk-local';
const DEV_KEY_FILE = resolve(PROJECT_ROOT, '.tierdesk', 'dev-jwk.json');
const ALG = 'ES256';
export const DEFAULT_TTL = '12h';

export interface DevKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/**
 * Creates the file only if it does not exist, atomically: a test run and a developer's
 * `npm run token` may race for the first key, and both must end up with the same one.
 */
export const writeOnce = (file: string, content: string): void => {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const draft = `${file}.${randomUUID()}.tmp`;
  writeFileSync(draft, content, { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
};

const readJwk = (file: string): JWK | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(
      `${file} is not a readable key (${(error as Error).message}); delete it to get a new one.`,
    );
  }
};

export const loadDevKey = async (file: string = DEV_KEY_FILE): Promise<DevKey> => {
  let jwk = readJwk(file);
  if (!jwk) {
    const pair = await generateKeyPair(ALG, { extractable: true });
    const fresh = await exportJWK(pair.privateKey);
    writeOnce(
      file,
      `${JSON.stringify({ ...fresh, alg: ALG, use: 'sig', kid: await calculateJwkThumbprint(fresh) })}\n`,
    );
    jwk = readJwk(file) as JWK;
  }
  const { d: _private, ...publicJwk } = jwk;
  return {
    kid: jwk.kid ?? (await calculateJwkThumbprint(publicJwk)),
    privateKey: (await importJWK(jwk, ALG)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, ALG)) as CryptoKey,
  };
};

export interface DevIdentity {
  email: string;
  role: Role;
  /** Agents only: the tiers they work in. */
  tiers?: readonly Tier[];
}

/** The identity claims of a Cognito ID token for this person (no registered claims). */
export const devClaims = ({ email, role, tiers = [] }: DevIdentity): JWTPayload => {
  const id = normalizeEmail(email);
  return {
    sub: id,
    email: id,
    email_verified: true,
    'cognito:username': id,
    'cognito:groups': groupsFor(role, tiers),
    token_use: 'id',
  };
};

/** `ttl` in jose's notation: `3600` (seconds), `30m`, `12h`, `7d`. */
export const signDevToken = async (key: DevKey, identity: DevIdentity, ttl: string | number = DEFAULT_TTL) =>
  new SignJWT({ ...devClaims(identity), auth_time: Math.floor(Date.now() / 1000) })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(typeof ttl === 'number' ? Math.floor(Date.now() / 1000) + ttl : ttl)
    .sign(key.privateKey);

/** What API Gateway's JWT authorizer checks: signature, issuer, audience, expiry. Throws otherwise. */
export const verifyDevToken = async (key: DevKey, token: string): Promise<JWTPayload> => {
  const { payload } = await jwtVerify(token, key.publicKey, {
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    algorithms: [ALG],
    requiredClaims: ['exp'],
  });
  return payload;
};

const CSAT_KEY_FILE = resolve(PROJECT_ROOT, '.tierdesk', 'csat-keys.json');

/**
 * The local stand-in for the CSAT secret: one random key per checkout, kept in `.tierdesk/` so
 * survey links in mail the local stack sent keep working across restarts. The value is what
 * `TIERDESK_CSAT_KEYS` holds: the keys, current first.
 */
export const devCsatKeys = (): string => {
  try {
    return readFileSync(CSAT_KEY_FILE, 'utf8');
  } catch {
    writeOnce(CSAT_KEY_FILE, JSON.stringify([{ id: 'dev', secret: randomBytes(32).toString('base64') }]));
    return readFileSync(CSAT_KEY_FILE, 'utf8');
  }
};
