import { describe, expect, it } from 'vitest';
import { type SesReceiptVerdicts, verdictDecision, verdictsFromHeaders } from '#shared/email/verdicts';
import { parsedMail } from '#test/fixtures/email/world';

const pass = { status: 'PASS' };

describe('Function: verdictDecision', () => {
  const table: [string, SesReceiptVerdicts, ReturnType<typeof verdictDecision>][] = [
    [
      'all PASS',
      { spamVerdict: pass, virusVerdict: pass, spfVerdict: pass, dkimVerdict: pass, dmarcVerdict: pass },
      { quarantine: false, notes: [] },
    ],
    ['no verdicts at all (scanning off)', {}, { quarantine: false, notes: [] }],
    [
      'spam FAIL',
      { spamVerdict: { status: 'FAIL' }, virusVerdict: pass },
      { quarantine: true, reason: 'spam', notes: ['spam FAIL'] },
    ],
    [
      'virus FAIL',
      { spamVerdict: pass, virusVerdict: { status: 'FAIL' } },
      { quarantine: true, reason: 'virus', notes: ['virus FAIL'] },
    ],
    [
      'virus and spam FAIL: virus is the reason',
      { spamVerdict: { status: 'FAIL' }, virusVerdict: { status: 'FAIL' } },
      { quarantine: true, reason: 'virus', notes: ['spam FAIL', 'virus FAIL'] },
    ],
    [
      'DMARC FAIL under p=reject',
      { dmarcVerdict: { status: 'FAIL' }, dmarcPolicy: 'REJECT' },
      { quarantine: true, reason: 'dmarc', notes: ['DMARC FAIL', 'DMARC policy REJECT'] },
    ],
    [
      'DMARC FAIL under p=quarantine',
      { dmarcVerdict: { status: 'FAIL' }, dmarcPolicy: 'quarantine' },
      { quarantine: true, reason: 'dmarc', notes: ['DMARC FAIL', 'DMARC policy QUARANTINE'] },
    ],
    [
      'DMARC FAIL under p=none: the domain asks for nothing',
      { dmarcVerdict: { status: 'FAIL' }, dmarcPolicy: 'NONE' },
      { quarantine: false, notes: ['DMARC FAIL'] },
    ],
    [
      'SPF and DKIM FAIL alone: noted, not quarantined (forwarders break them)',
      { spfVerdict: { status: 'FAIL' }, dkimVerdict: { status: 'FAIL' } },
      { quarantine: false, notes: ['SPF FAIL', 'DKIM FAIL'] },
    ],
    [
      'GRAY spam and PROCESSING_FAILED virus scan: let through, noted',
      { spamVerdict: { status: 'GRAY' }, virusVerdict: { status: 'PROCESSING_FAILED' } },
      { quarantine: false, notes: ['spam GRAY', 'virus PROCESSING_FAILED'] },
    ],
  ];

  it.each(table)('%s', (_, receipt, expected) => {
    expect(verdictDecision(receipt)).toEqual(expected);
  });
});

describe('Function: verdictsFromHeaders', () => {
  it('reads the first (SES’s own) X-SES-* verdict headers', () => {
    const mail = parsedMail({
      headers: { 'x-ses-spam-verdict': ['PASS', 'FAIL'], 'x-ses-virus-verdict': [' fail '] },
    });
    expect(verdictsFromHeaders(mail)).toEqual({
      spamVerdict: { status: 'PASS' },
      virusVerdict: { status: 'FAIL' },
    });
  });

  it('is empty for mail that never passed SES (the local SMTP server)', () => {
    expect(verdictsFromHeaders(parsedMail())).toEqual({});
  });
});
