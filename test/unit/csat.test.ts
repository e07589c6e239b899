import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretsManagerKeyring } from '#shared/csat/adapters/secrets-manager';
import { checkSurveyToken, signSurveyToken, staticKeyring, surveyTicketOf } from '#shared/csat/survey-link';
import { parseCsatReply } from '#shared/domain/csat';

describe('Function: parseCsatReply', () => {
  it.each([
    ['4', { score: 4 }],
    ['4 - quick, thanks', { score: 4, comment: 'quick, thanks' }],
    ['4 – quick', { score: 4, comment: 'quick' }],
    ['5 stars', { score: 5 }],
    ['1 star', { score: 1 }],
    ['5 ★★★★★', { score: 5 }],
    ['4 stars - quick', { score: 4, comment: 'quick' }],
    ['4/5', { score: 4 }],
    ['4 / 5', { score: 4 }],
    ['4/5 great', { score: 4, comment: 'great' }],
    ['3 out of 5 - fine', { score: 3, comment: 'fine' }],
    ['score: 2', { score: 2 }],
    ['2)', { score: 2 }],
    ['5!', { score: 5 }],
    ['4. quick', { score: 4, comment: 'quick' }],
    ['\n\n  3: ok\nand one more thing', { score: 3, comment: 'ok\nand one more thing' }],
  ])('reads %j as a rating', (text, expected) => {
    expect(parseCsatReply(text)).toEqual(expected);
  });

  it.each([
    // A number in words: the survey asks for a digit, and words begin sentences.
    'four',
    'One more thing: the printer',
    // A longer number, or a score outside 1–5.
    '12 printers',
    '10/10',
    '4.5',
    '0',
    '6',
    // A number followed by words reads as a report, not a rating: it stays a reply.
    '3 printers are still down',
    'thanks!',
    '',
  ])('does not read %j as a rating', (text) => {
    expect(parseCsatReply(text)).toBeUndefined();
  });
});

describe('Function: signSurveyToken / checkSurveyToken', () => {
  const k1 = { id: 'k1', secret: Buffer.from('the first key') };
  const k2 = { id: 'k2', secret: Buffer.from('the second key') };
  const expires = new Date('2026-12-07T10:00:00.000Z');
  const before = new Date('2026-12-01T10:00:00.000Z');

  it('round-trips: a token checks out for its ticket and requester until it expires', async () => {
    // Act
    const token = await signSurveyToken(staticKeyring([k1]), 1042, 'ann@example.com', expires);

    // Assess
    expect(surveyTicketOf(token)).toBe(1042);
    expect(await checkSurveyToken(staticKeyring([k1]), token, 'ann@example.com', before)).toBe('valid');
    expect(await checkSurveyToken(staticKeyring([k1]), token, 'ann@example.com', expires)).toBe('expired');
  });

  it('finds a changed ticket, expiry, signature, key id or requester forged, and garbage malformed', async () => {
    // Prepare
    const keyring = staticKeyring([k1]);
    const token = await signSurveyToken(keyring, 1042, 'ann@example.com', expires);
    const [id, ticket, expiry, signature] = token.split('.') as [string, string, string, string];
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;

    // Act / Assess
    const check = (candidate: string, requester = 'ann@example.com') =>
      checkSurveyToken(keyring, candidate, requester, before);
    expect(await check([id, '1043', expiry, signature].join('.'))).toBe('forged');
    expect(await check([id, ticket, String(Number(expiry) + 86_400), signature].join('.'))).toBe('forged');
    expect(await check([id, ticket, expiry, flipped].join('.'))).toBe('forged');
    expect(await check(['k9', ticket, expiry, signature].join('.'))).toBe('forged');
    expect(await check(token, 'bob@example.com')).toBe('forged');
    expect(await check('not-a-token')).toBe('malformed');
    expect(surveyTicketOf('not-a-token')).toBeUndefined();
  });

  it('checks an expired token as forged when it is also tampered with (the signature first)', async () => {
    const token = await signSurveyToken(staticKeyring([k1]), 1042, 'ann@example.com', expires);
    const tampered = token.replace('.1042.', '.1043.');
    expect(await checkSurveyToken(staticKeyring([k1]), tampered, 'ann@example.com', expires)).toBe('forged');
  });

  it('still verifies links signed with the previous key after a rotation, and signs new ones with the current', async () => {
    // Prepare: a link sent before the rotation
    const old = await signSurveyToken(staticKeyring([k1]), 1042, 'ann@example.com', expires);

    // Act: k2 becomes current, k1 previous
    const rotated = staticKeyring([k2, k1]);
    const fresh = await signSurveyToken(rotated, 1042, 'ann@example.com', expires);

    // Assess
    expect(await checkSurveyToken(rotated, old, 'ann@example.com', before)).toBe('valid');
    expect(fresh.startsWith('k2.')).toBe(true);
    expect(await checkSurveyToken(rotated, fresh, 'ann@example.com', before)).toBe('valid');
    // Two rotations later the first key is gone
    expect(
      await checkSurveyToken(
        staticKeyring([{ id: 'k3', secret: Buffer.from('x') }, k2]),
        old,
        'ann@example.com',
        before,
      ),
    ).toBe('forged');
  });
});

describe('Class: SecretsManagerKeyring', () => {
  // Secrets Manager has no local engine: a stand-in for one secret's versions and their stages,
  // as put-secret-value moves them (the new version AWSCURRENT, the one before AWSPREVIOUS).
  const secretsManager = mockClient(SecretsManagerClient);
  afterEach(() => secretsManager.reset());

  const secret = () => {
    const versions: { id: string; value: string }[] = [];
    let reads = 0;
    secretsManager.on(GetSecretValueCommand).callsFake((input: { VersionStage?: string }) => {
      reads++;
      const version = input.VersionStage === 'AWSPREVIOUS' ? versions.at(-2) : versions.at(-1);
      if (!version) throw new ResourceNotFoundException({ message: 'no such version', $metadata: {} });
      return { VersionId: version.id, SecretString: version.value };
    });
    return {
      put: (id: string, value: string) => versions.push({ id, value }),
      reads: () => reads,
    };
  };
  const ARN = 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:csat-AbCdEf';
  const expires = new Date('2026-12-07T10:00:00.000Z');
  const before = new Date('2026-12-01T10:00:00.000Z');

  it('signs with AWSCURRENT under its version id, before any rotation (no AWSPREVIOUS yet)', async () => {
    // Prepare
    const versions = secret();
    versions.put('v1-0000', 'first random key');
    const keyring = new SecretsManagerKeyring(new SecretsManagerClient({}), ARN);

    // Act
    const token = await signSurveyToken(keyring, 7, 'ann@example.com', expires);

    // Assess
    expect(token.startsWith('v1-0000.7.')).toBe(true);
    expect(await checkSurveyToken(keyring, token, 'ann@example.com', before)).toBe('valid');
  });

  it('keeps verifying a link signed before a rotation with AWSPREVIOUS, and reads the secret once per container', async () => {
    // Prepare: a link signed with v1, then the secret rotated to v2
    let now = 0;
    const versions = secret();
    versions.put('v1-0000', 'first random key');
    const old = await signSurveyToken(
      new SecretsManagerKeyring(new SecretsManagerClient({}), ARN),
      7,
      'ann@example.com',
      expires,
    );
    versions.put('v2-0000', 'second random key');
    const keyring = new SecretsManagerKeyring(new SecretsManagerClient({}), ARN, () => now);
    const readsBefore = versions.reads();

    // Act
    const fresh = await signSurveyToken(keyring, 7, 'ann@example.com', expires);
    const readsAfterFirstUse = versions.reads() - readsBefore;
    now += 1_000;
    const checks = [
      await checkSurveyToken(keyring, old, 'ann@example.com', before),
      await checkSurveyToken(keyring, fresh, 'ann@example.com', before),
      await checkSurveyToken(keyring, old.replace('v1-0000', 'v9-9999'), 'ann@example.com', before),
    ];

    // Assess
    expect(fresh.startsWith('v2-0000.')).toBe(true);
    expect(checks).toEqual(['valid', 'valid', 'forged']);
    // Both stages once; an unknown key id within a minute of the read reads nothing more
    expect(readsAfterFirstUse).toBe(2);
    expect(versions.reads() - readsBefore).toBe(2);
  });

  it('learns of a rotation made by another container when a link names a version it has not seen', async () => {
    // Prepare: this container read v1; a rotation, then another container signs with v2
    let now = 0;
    const versions = secret();
    versions.put('v1-0000', 'first random key');
    const keyring = new SecretsManagerKeyring(new SecretsManagerClient({}), ARN, () => now);
    await keyring.current();
    versions.put('v2-0000', 'second random key');
    const elsewhere = await signSurveyToken(
      new SecretsManagerKeyring(new SecretsManagerClient({}), ARN),
      7,
      'ann@example.com',
      expires,
    );

    // Act: two minutes later
    now += 120_000;
    const check = await checkSurveyToken(keyring, elsewhere, 'ann@example.com', before);

    // Assess
    expect(check).toBe('valid');
    expect((await keyring.current()).id).toBe('v2-0000');
  });
});
