import { randomUUID } from 'node:crypto';
import { decodeJwt, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { devClaims } from '#infra/local/dev-key';
import { Failures, type VerifyPromise } from './promise.ts';
import { sharedStack } from './stack.ts';

/**
 * Tokens: every JWT route refuses a caller without a valid token with API Gateway's own 401 —
 * none, malformed, `alg: none`, expired, not yet valid, another issuer or audience, signed by
 * another key, tampered with after signing.
 */

const agent = { email: 'priya@example.com', role: 'agent', tiers: [1] } as const;
const now = () => Math.floor(Date.now() / 1000);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const tokens: VerifyPromise = {
  name: 'tokens',
  async run() {
    const stack = await sharedStack();
    const valid = await stack.token(agent);
    const { iss, aud } = decodeJwt(valid);
    const claims = { ...devClaims(agent), auth_time: now() };
    const sign = (payload: JWTPayload, key = stack.devKey.privateKey, kid = stack.devKey.kid) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setIssuedAt()
        .setJti(randomUUID())
        .sign(key);
    const stranger = await generateKeyPair('ES256');
    const [header, payload, signature] = valid.split('.') as [string, string, string];
    const tampered = { ...decodeJwt(valid), 'cognito:groups': ['admins'] };

    const cases: Record<string, string | undefined> = {
      none: undefined,
      'empty bearer': '',
      malformed: 'not.a.jwt',
      'not base64': '%%%.%%%.%%%',
      'alg none': `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      'alg none, no signature part': `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}`,
      expired: await sign({ ...claims, iss, aud, exp: now() - 60 }),
      'not yet valid': await sign({ ...claims, iss, aud, nbf: now() + 3600, exp: now() + 7200 }),
      'another issuer': await sign({
        ...claims,
        iss: 'https://cognito-idp.example.com/pool',
        aud,
        exp: now() + 3600,
      }),
      'another audience': await sign({ ...claims, iss, aud: 'someone-else', exp: now() + 3600 }),
      'no expiry': await sign({ ...claims, iss, aud }),
      'another key': await sign({ ...claims, iss, aud, exp: now() + 3600 }, stranger.privateKey),
      'tampered claims': `${header}.${base64url(tampered)}.${signature}`,
      'signature of another token': `${header}.${payload}.${(await stack.token({ email: 'x@example.com', role: 'admin' })).split('.')[2]}`,
    };
    const routes = ['/tickets', '/tickets/1', '/kb/articles', '/kb/search?q=vpn'];

    const failures = new Failures();
    let requests = 0;
    for (const [label, token] of Object.entries(cases)) {
      for (const path of routes) {
        const headers: Record<string, string> =
          token === undefined ? {} : { authorization: `Bearer ${token}` };
        const response = await stack.api(path, { headers });
        requests++;
        const body = JSON.stringify(response.body);
        if (response.status !== 401 || body !== '{"message":"Unauthorized"}')
          failures.add(`${label} on GET ${path}: ${response.status} ${body.slice(0, 120)}`);
      }
    }
    // The control: the valid token is let through, so the refusals above are the token's doing.
    const control = await stack.api('/tickets', { headers: { authorization: `Bearer ${valid}` } });
    if (control.status !== 200) failures.add(`a valid token was refused: ${control.status}`);
    return {
      figures: `${Object.keys(cases).length} kinds of bad token × ${routes.length} routes = ${requests} requests → 401, a valid token → 200`,
      ...failures.report(),
    };
  },
};
