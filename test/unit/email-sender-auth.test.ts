import { describe, expect, it } from 'vitest';
import {
  type AuthResult,
  aligned,
  authResultOf,
  type MailAuthentication,
  type SenderClaim,
  type SenderTrust,
  senderTrust,
} from '#shared/email/sender-auth';

/** Results as a verifier reports them; `dkim` lists signatures as `result:domain`. */
const results = (spec: {
  dmarc?: AuthResult | `${AuthResult}:${string}`;
  dkim?: `${AuthResult}:${string}`[];
  spf?: `${AuthResult}:${string}`;
}): MailAuthentication => {
  const split = (value: string) => {
    const [result, domain] = value.split(':') as [AuthResult, string | undefined];
    return { result, domain };
  };
  const dmarc = spec.dmarc ? split(spec.dmarc) : undefined;
  const spf = spec.spf ? split(spec.spf) : undefined;
  return {
    dkim: (spec.dkim ?? []).map((entry) => split(entry) as { result: AuthResult; domain: string }),
    ...(dmarc && { dmarc: { result: dmarc.result, ...(dmarc.domain && { domain: dmarc.domain }) } }),
    ...(spf && { spf: spf as { result: AuthResult; domain: string } }),
  };
};

type Expected = [
  SenderTrust['action'],
  verdict: 'pass' | 'fail' | 'none',
  reason: string,
  mechanism?: string,
  quarantine?: string,
];

describe('Function: senderTrust', () => {
  // claim × From × what the verifier found → action, verdict, reason, mechanism, quarantine reason
  // biome-ignore format: a table reads best one row to a line
  const table: [string, SenderClaim, string, MailAuthentication | undefined, Expected][] = [
    // Staff: only an authenticated mail acts.
    ['staff, DMARC pass', 'staff', 'priya@example.com', results({ dmarc: 'pass' }), ['accept', 'pass', 'dmarc-pass', 'dmarc']],
    ['staff, aligned DKIM pass, no DMARC record', 'staff', 'priya@example.com', results({ dmarc: 'none', dkim: ['pass:example.com'] }), ['accept', 'pass', 'aligned-dkim-pass', 'dkim']],
    ['staff, DKIM pass by a parent domain', 'staff', 'priya@it.example.com', results({ dkim: ['pass:example.com'] }), ['accept', 'pass', 'aligned-dkim-pass', 'dkim']],
    ['staff, DKIM pass by a subdomain', 'staff', 'priya@example.com', results({ dkim: ['pass:mail.example.com'] }), ['accept', 'pass', 'aligned-dkim-pass', 'dkim']],
    ['staff, aligned SPF pass', 'staff', 'priya@example.com', results({ spf: 'pass:example.com' }), ['accept', 'pass', 'aligned-spf-pass', 'spf']],
    ['staff, SPF pass through a bounce subdomain', 'staff', 'priya@example.com', results({ spf: 'pass:bounce.example.com' }), ['accept', 'pass', 'aligned-spf-pass', 'spf']],
    ['staff, one of two signatures aligned', 'staff', 'priya@example.com', results({ dkim: ['pass:mailer.example', 'pass:example.com'] }), ['accept', 'pass', 'aligned-dkim-pass', 'dkim']],
    ['staff, DMARC pass for the organizational domain', 'staff', 'priya@it.example.com', results({ dmarc: 'pass:example.com' }), ['accept', 'pass', 'dmarc-pass', 'dmarc']],
    ['staff, unsigned, domain publishes nothing', 'staff', 'priya@example.com', results({ dmarc: 'none', spf: 'none:example.com' }), ['quarantine', 'none', 'nothing-published', undefined, 'unauthenticated-staff']],
    ['staff, not verified at all', 'staff', 'priya@example.com', undefined, ['quarantine', 'none', 'not-verified', undefined, 'unauthenticated-staff']],
    ['staff, DMARC fail', 'staff', 'priya@example.com', results({ dmarc: 'fail' }), ['quarantine', 'fail', 'dmarc-fail', 'dmarc', 'unauthenticated-staff']],
    ['staff, DMARC fail wins over a relaxed DKIM pass (adkim=s)', 'staff', 'priya@example.com', results({ dmarc: 'fail', dkim: ['pass:mail.example.com'] }), ['quarantine', 'fail', 'dmarc-fail', 'dmarc', 'unauthenticated-staff']],
    ['staff, DMARC pass of another From domain is ignored', 'staff', 'priya@example.com', results({ dmarc: 'pass:attacker.example' }), ['quarantine', 'none', 'nothing-published', undefined, 'unauthenticated-staff']],
    ['staff, DKIM pass by an unrelated domain', 'staff', 'priya@example.com', results({ dkim: ['pass:attacker.example'] }), ['quarantine', 'none', 'nothing-published', undefined, 'unauthenticated-staff']],
    ['staff, DKIM pass by a look-alike domain', 'staff', 'priya@example.com', results({ dkim: ['pass:badexample.com'] }), ['quarantine', 'none', 'nothing-published', undefined, 'unauthenticated-staff']],
    ['staff, DKIM pass by a sibling under a public suffix', 'staff', 'priya@example.co.uk', results({ dkim: ['pass:attacker.co.uk'] }), ['quarantine', 'none', 'nothing-published', undefined, 'unauthenticated-staff']],
    ['staff, DKIM pass by a top-level domain', 'staff', 'priya@example.com', results({ dkim: ['pass:com'] }), ['quarantine', 'none', 'nothing-published', undefined, 'unauthenticated-staff']],
    ['staff, SPF pass of the forger’s MAIL FROM', 'staff', 'priya@example.com', results({ spf: 'pass:attacker.example' }), ['quarantine', 'none', 'nothing-published', undefined, 'unauthenticated-staff']],
    ['staff, aligned DKIM fail', 'staff', 'priya@example.com', results({ dkim: ['fail:example.com'] }), ['quarantine', 'fail', 'aligned-dkim-fail', 'dkim', 'unauthenticated-staff']],
    ['staff, DKIM key not found', 'staff', 'priya@example.com', results({ dkim: ['neutral:example.com'] }), ['quarantine', 'none', 'nothing-published', undefined, 'unauthenticated-staff']],
    ['staff, SPF softfail', 'staff', 'priya@example.com', results({ spf: 'softfail:example.com' }), ['quarantine', 'fail', 'aligned-spf-fail', 'spf', 'unauthenticated-staff']],
    ['staff, DMARC lookup failed', 'staff', 'priya@example.com', results({ dmarc: 'temperror' }), ['quarantine', 'none', 'temporary-error', undefined, 'unauthenticated-staff']],
    // Vendors: the same rule, their own reason.
    ['vendor, DMARC pass', 'vendor', 'cases@printco.example', results({ dmarc: 'pass', dkim: ['pass:printco.example'] }), ['accept', 'pass', 'dmarc-pass', 'dmarc']],
    ['vendor, DKIM pass without DMARC', 'vendor', 'cases@printco.example', results({ dkim: ['pass:printco.example'] }), ['accept', 'pass', 'aligned-dkim-pass', 'dkim']],
    ['vendor, forged (DMARC fail)', 'vendor', 'cases@printco.example', results({ dmarc: 'fail', spf: 'fail:printco.example' }), ['quarantine', 'fail', 'dmarc-fail', 'dmarc', 'unauthenticated-vendor']],
    ['vendor, domain publishes nothing', 'vendor', 'cases@printco.example', results({ dmarc: 'none' }), ['quarantine', 'none', 'nothing-published', undefined, 'unauthenticated-vendor']],
    ['vendor, not verified', 'vendor', 'cases@printco.example', undefined, ['quarantine', 'none', 'not-verified', undefined, 'unauthenticated-vendor']],
    // Anyone else: a forgery is restricted, everything else keeps the participant rules.
    ['other, authenticated', 'other', 'carol@contoso.example', results({ dmarc: 'pass' }), ['accept', 'pass', 'dmarc-pass', 'dmarc']],
    ['other, aligned SPF pass beats a broken DKIM signature', 'other', 'carol@contoso.example', results({ dkim: ['fail:contoso.example'], spf: 'pass:contoso.example' }), ['accept', 'pass', 'aligned-spf-pass', 'spf']],
    ['other, upper-case From domain', 'other', 'Carol@CONTOSO.example', results({ dkim: ['pass:contoso.example'] }), ['accept', 'pass', 'aligned-dkim-pass', 'dkim']],
    ['other, DMARC fail', 'other', 'carol@contoso.example', results({ dmarc: 'fail' }), ['restrict', 'fail', 'dmarc-fail', 'dmarc']],
    ['other, DMARC fail with the forger’s own SPF pass', 'other', 'carol@contoso.example', results({ dmarc: 'fail', spf: 'pass:attacker.example' }), ['restrict', 'fail', 'dmarc-fail', 'dmarc']],
    ['other, aligned SPF fail, no DMARC record', 'other', 'carol@contoso.example', results({ dmarc: 'none', spf: 'fail:contoso.example' }), ['restrict', 'fail', 'aligned-spf-fail', 'spf']],
    ['other, aligned SPF softfail', 'other', 'carol@contoso.example', results({ spf: 'softfail:contoso.example' }), ['restrict', 'fail', 'aligned-spf-fail', 'spf']],
    ['other, aligned DKIM fail (a tampered signature)', 'other', 'carol@contoso.example', results({ dkim: ['fail:contoso.example'] }), ['restrict', 'fail', 'aligned-dkim-fail', 'dkim']],
    ['other, SPF fail of an unrelated MAIL FROM', 'other', 'carol@contoso.example', results({ spf: 'fail:mailer.example' }), ['accept', 'none', 'nothing-published']],
    ['other, aligned SPF neutral (?all)', 'other', 'carol@contoso.example', results({ spf: 'neutral:contoso.example' }), ['accept', 'none', 'nothing-published']],
    ['other, aligned SPF permerror (a broken record)', 'other', 'carol@contoso.example', results({ spf: 'permerror:contoso.example' }), ['accept', 'none', 'nothing-published']],
    ['other, a DNS lookup failed', 'other', 'carol@contoso.example', results({ spf: 'temperror:contoso.example' }), ['accept', 'none', 'temporary-error']],
    ['other, domain publishes nothing', 'other', 'alice@example.com', results({ dmarc: 'none', spf: 'none:example.com', dkim: [] }), ['accept', 'none', 'nothing-published']],
    ['other, not verified', 'other', 'alice@example.com', undefined, ['accept', 'none', 'not-verified']],
  ];

  it.each(table)('%s (%s %s)', (_, claim, from, authentication, expected) => {
    const [action, verdict, reason, mechanism, quarantine] = expected;

    const trust = senderTrust({ from, claim, ...(authentication && { authentication }) });

    expect(trust.action).toBe(action);
    expect(trust.auth).toMatchObject({ verdict, reason });
    expect(trust.auth.mechanism).toBe(mechanism);
    expect(trust.action === 'quarantine' ? trust.reason : undefined).toBe(quarantine);
    expect(trust.auth.detail).not.toBe('');
  });

  it('says in its detail which result decided', () => {
    expect(
      senderTrust({
        from: 'a@printco.example',
        claim: 'vendor',
        authentication: results({ dkim: ['pass:printco.example'] }),
      }).auth.detail,
    ).toBe('dkim=pass header.d=printco.example');
    expect(
      senderTrust({ from: 'a@contoso.example', claim: 'other', authentication: results({ dmarc: 'fail' }) })
        .auth.detail,
    ).toBe('dmarc=fail header.from=contoso.example');
  });
});

describe('Function: aligned', () => {
  const table: [string, string, boolean][] = [
    ['example.com', 'example.com', true],
    ['EXAMPLE.com.', 'example.com', true],
    ['mail.example.com', 'example.com', true],
    ['example.com', 'it.example.com', true],
    ['mail.example.com', 'it.example.com', false],
    ['badexample.com', 'example.com', false],
    ['attacker.co.uk', 'example.co.uk', false],
    ['com', 'example.com', false],
    ['', 'example.com', false],
  ];
  it.each(table)('%s with %s: %s', (domain, fromDomain, expected) => {
    expect(aligned(domain, fromDomain)).toBe(expected);
  });
});

describe('Function: authResultOf', () => {
  it.each([
    ['pass', 'pass'],
    ['PASS', 'pass'],
    ['hardfail', 'fail'],
    ['temperr', 'temperror'],
    ['skipped', 'none'],
    ['bogus', 'neutral'],
  ])('%s → %s', (keyword, expected) => {
    expect(authResultOf(keyword)).toBe(expected);
  });
});
