import { describe, expect, it } from 'vitest';
import { parseAuthenticationResults, sesAuthentication } from '#shared/email/authentication-results';
import type { SesReceiptVerdicts } from '#shared/email/verdicts';

/** What SES writes on top of a message it received (unfolded, as the parser hands it on). */
const SES_HEADER = [
  'amazonses.com;',
  ' spf=pass (spfCheck: domain of printco.example designates 192.0.2.7 as permitted sender)',
  ' client-ip=192.0.2.7; envelope-from=cases@printco.example; helo=mail.printco.example;',
  ' dkim=pass header.i=@printco.example;',
  ' dmarc=pass header.from=printco.example;',
].join('');

const pass = { status: 'PASS' };
const ALL_PASS: SesReceiptVerdicts = { spfVerdict: pass, dkimVerdict: pass, dmarcVerdict: pass };

const mailWith = (headers: string[], mailFrom = 'cases@printco.example') => ({
  headers: { 'authentication-results': headers },
  envelope: { mailFrom },
});

describe('Function: parseAuthenticationResults', () => {
  it("reads SES's header, with the pairs SES puts after its SPF result's semicolon", () => {
    expect(parseAuthenticationResults(SES_HEADER)).toEqual({
      authservId: 'amazonses.com',
      results: [
        {
          method: 'spf',
          result: 'pass',
          properties: {
            'client-ip': '192.0.2.7',
            'envelope-from': 'cases@printco.example',
            helo: 'mail.printco.example',
          },
        },
        { method: 'dkim', result: 'pass', properties: { 'header.i': '@printco.example' } },
        { method: 'dmarc', result: 'pass', properties: { 'header.from': 'printco.example' } },
      ],
    });
  });

  it('reads what mailauth writes (the local stand-in)', () => {
    const header =
      'tierdesk.local; dkim=pass header.i=@example.com header.s=tierdesk-local header.a=rsa-sha256 header.b=2jK7QVbC;' +
      ' spf=none (tierdesk.local: example.com does not designate permitted sender hosts) smtp.mailfrom=priya@example.com smtp.helo=localhost;' +
      ' dmarc=none header.from=example.com';

    expect(parseAuthenticationResults(header)?.results).toEqual([
      {
        method: 'dkim',
        result: 'pass',
        properties: {
          'header.i': '@example.com',
          'header.s': 'tierdesk-local',
          'header.a': 'rsa-sha256',
          'header.b': '2jK7QVbC',
        },
      },
      {
        method: 'spf',
        result: 'none',
        properties: { 'smtp.mailfrom': 'priya@example.com', 'smtp.helo': 'localhost' },
      },
      { method: 'dmarc', result: 'none', properties: { 'header.from': 'example.com' } },
    ]);
  });

  it('keeps quoted values whole and leaves nested comments out', () => {
    const parsed = parseAuthenticationResults(
      'mx.example.net 1; dmarc=pass (p=QUARANTINE (sp=NONE) dis=NONE) header.from=example.com; auth=pass smtp.auth="ann; the admin"',
    );

    expect(parsed?.authservId).toBe('mx.example.net');
    expect(parsed?.results).toEqual([
      { method: 'dmarc', result: 'pass', properties: { 'header.from': 'example.com' } },
      { method: 'auth', result: 'pass', properties: { 'smtp.auth': 'ann; the admin' } },
    ]);
  });

  it('reads "none" as no results', () => {
    expect(parseAuthenticationResults('amazonses.com; none')).toEqual({
      authservId: 'amazonses.com',
      results: [],
    });
  });

  it.each([
    ['an empty value', ''],
    ['no authserv-id', '; dkim=pass header.d=example.com'],
    ['a result that is not a keyword', 'amazonses.com; dkim=pa$$ header.d=example.com'],
    ['a bare word where a result belongs', 'amazonses.com; dkim header.d=example.com'],
    ['pairs before any method', 'amazonses.com; header.d=example.com; dkim=pass'],
  ])('refuses %s', (_, value) => {
    expect(parseAuthenticationResults(value)).toBeUndefined();
  });
});

describe('Function: sesAuthentication', () => {
  it('takes the signing domains from the header, the SPF domain from the envelope and the verdicts from the receipt', () => {
    expect(sesAuthentication(ALL_PASS, mailWith([SES_HEADER]))).toEqual({
      dkim: [{ result: 'pass', domain: 'printco.example' }],
      spf: { result: 'pass', domain: 'printco.example' },
      dmarc: { result: 'pass', domain: 'printco.example' },
    });
  });

  it('prefers header.d to the domain of header.i, and reads every signature', () => {
    const header =
      'amazonses.com; dkim=pass header.d=printco.example header.i=@cases.printco.example; dkim=fail header.i=@list.example';

    expect(sesAuthentication({}, mailWith([header])).dkim).toEqual([
      { result: 'pass', domain: 'printco.example' },
      { result: 'fail', domain: 'list.example' },
    ]);
  });

  it('believes no Authentication-Results the sender wrote below SES’s', () => {
    const forged = 'amazonses.com; dkim=pass header.i=@example.com; dmarc=pass header.from=example.com';
    const ses =
      'amazonses.com; spf=fail smtp.mailfrom=example.com; dkim=none header.i=unknown; dmarc=fail header.from=example.com';

    const found = sesAuthentication(
      { spfVerdict: { status: 'FAIL' }, dkimVerdict: { status: 'GRAY' }, dmarcVerdict: { status: 'FAIL' } },
      mailWith([ses, forged], 'priya@example.com'),
    );

    expect(found).toEqual({
      dkim: [],
      spf: { result: 'fail', domain: 'example.com' },
      dmarc: { result: 'fail', domain: 'example.com' },
    });
  });

  it('believes no topmost header in another server’s name', () => {
    const found = sesAuthentication(
      {},
      mailWith(['mx.attacker.example; dkim=pass header.d=example.com', SES_HEADER]),
    );

    expect(found.dkim).toEqual([]);
  });

  it('lets the receipt overrule a header pass', () => {
    const found = sesAuthentication(
      {
        dkimVerdict: { status: 'FAIL' },
        spfVerdict: { status: 'GRAY' },
        dmarcVerdict: { status: 'PROCESSING_FAILED' },
      },
      mailWith([SES_HEADER]),
    );

    expect(found).toEqual({
      dkim: [{ result: 'fail', domain: 'printco.example' }],
      spf: { result: 'none', domain: 'printco.example' },
      dmarc: { result: 'temperror', domain: 'printco.example' },
    });
  });

  it('reads the header alone when the receipt carries no verdicts, and the SPF domain from it without an envelope sender', () => {
    expect(sesAuthentication({}, mailWith([SES_HEADER], ''))).toEqual({
      dkim: [{ result: 'pass', domain: 'printco.example' }],
      spf: { result: 'pass', domain: 'printco.example' },
      dmarc: { result: 'pass', domain: 'printco.example' },
    });
  });

  it('has nothing but the receipt without SES’s header', () => {
    expect(sesAuthentication(ALL_PASS, mailWith([]))).toEqual({
      dkim: [],
      spf: { result: 'pass', domain: 'printco.example' },
      dmarc: { result: 'pass' },
    });
  });
});
