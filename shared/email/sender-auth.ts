import { splitAddress } from './address.ts';

/**
 * Whom a mail's From line may speak for. PRODUCT ("Trusting mail"): a From proves nothing by
 * itself, so what a mail may do depends on who it claims to be and on what the sender's domain
 * says about it through SPF, DKIM and DMARC.
 *
 * - Mail that claims to come from desk staff or a vendor acts only when it is authenticated: a
 *   DMARC pass, or a DKIM or SPF pass for a domain aligned with the From domain. Otherwise it is
 *   quarantined: a forged agent must not put a public reply on a ticket, nor a forged vendor meet
 *   a contract clock.
 * - Mail from anyone else that the From domain's own records disown (a forgery of a domain that
 *   publishes SPF, DKIM or DMARC) is `restrict`ed: it may open a ticket, since a real requester
 *   is never lost, but the intake answers it with nothing, adds no watchers and threads it only by
 *   a Message-ID Tierdesk sent, never by a subject token or plus-address alone.
 * - Mail from a domain that publishes nothing cannot be judged either way and keeps the
 *   participant rules of the threading.
 *
 * The results come from whoever verified the mail: SES on AWS (its receipt and its own
 * Authentication-Results header, see `authentication-results.ts`), mailauth in the local SMTP
 * stand-in. Whether the From domain "publishes" a mechanism is read from those results, the same
 * way on both: `dmarc=none` is a domain without a DMARC record, SPF `none` for an aligned MAIL
 * FROM is one without an SPF record, and a DKIM key is known to exist only through a signature
 * of that domain in the mail (a selector cannot be looked up without one). So a domain that
 * publishes DKIM keys but neither SPF nor DMARC looks like one that publishes nothing when a
 * forger simply leaves the signature out: publishing DMARC is what makes forgeries visible.
 */

/** RFC 8601 result keywords, as this module reads them. */
export type AuthResult =
  | 'pass'
  | 'fail'
  | 'softfail'
  | 'neutral'
  | 'none'
  | 'policy'
  | 'temperror'
  | 'permerror';

const KEYWORDS: Readonly<Record<string, AuthResult>> = {
  pass: 'pass',
  fail: 'fail',
  hardfail: 'fail',
  softfail: 'softfail',
  neutral: 'neutral',
  none: 'none',
  policy: 'policy',
  temperror: 'temperror',
  temperr: 'temperror',
  permerror: 'permerror',
  permerr: 'permerror',
  // Nothing was checked: as good as no result.
  skipped: 'none',
  declined: 'none',
};

/** A verifier's result keyword as one of {@link AuthResult}; an unknown word asserts nothing. */
export const authResultOf = (keyword: string): AuthResult =>
  KEYWORDS[keyword.trim().toLowerCase()] ?? 'neutral';

/** What a verifier found out about a mail, in the terms of RFC 8601. */
export interface MailAuthentication {
  /** DMARC for the From domain; `none` when the domain publishes no DMARC record. */
  dmarc?: {
    result: AuthResult /** The From (or organizational) domain it was evaluated for. */;
    domain?: string;
  };
  /** One entry per DKIM signature, with its signing domain (d=). */
  dkim: readonly { result: AuthResult; domain: string }[];
  /** SPF of the MAIL FROM domain. */
  spf?: { result: AuthResult; domain: string };
}

/**
 * What the mail claims to be: `staff` when the directory knows the From address as an agent,
 * supervisor or admin; `vendor` when it is a configured vendor's address.
 */
export type SenderClaim = 'staff' | 'vendor' | 'other';

export type AuthMechanism = 'dmarc' | 'dkim' | 'spf';

export type SenderAuthReason =
  | 'dmarc-pass'
  | 'aligned-dkim-pass'
  | 'aligned-spf-pass'
  | 'dmarc-fail'
  | 'aligned-dkim-fail'
  | 'aligned-spf-fail'
  /** A DNS lookup failed on the way: neither a pass nor a forgery. */
  | 'temporary-error'
  /** No result for the From domain: it publishes nothing that applies to this mail. */
  | 'nothing-published'
  /** Nobody verified the mail (a path without a verifier). */
  | 'not-verified';

/** What the authentication of a mail says about its From domain; recorded on what the mail becomes. */
export interface SenderAuth {
  /**
   * `pass`: a mechanism vouches for the From domain. `fail`: the domain's own records disown the
   * mail. `none`: neither.
   */
  verdict: 'pass' | 'fail' | 'none';
  reason: SenderAuthReason;
  /** The mechanism that passed, or failed. */
  mechanism?: AuthMechanism;
  /** The deciding result in RFC 8601 words, e.g. `dkim=pass header.d=printco.example`. */
  detail: string;
}

export type SenderTrustQuarantineReason = 'unauthenticated-staff' | 'unauthenticated-vendor';

export type SenderTrust =
  /** The participant rules apply; staff and vendors act as who they are. */
  | { action: 'accept'; auth: SenderAuth }
  /** A forgery of someone outside the desk: it may open a ticket, and nothing more. */
  | { action: 'restrict'; auth: SenderAuth }
  | { action: 'quarantine'; reason: SenderTrustQuarantineReason; auth: SenderAuth };

export interface SenderTrustInput {
  /** The From address. */
  from: string;
  claim: SenderClaim;
  /** Undefined when nobody verified the mail. */
  authentication?: MailAuthentication;
}

const bare = (domain: string): string => domain.trim().toLowerCase().replace(/\.$/, '');

const inside = (inner: string, outer: string): boolean => outer.includes('.') && inner.endsWith(`.${outer}`);

/**
 * Relaxed alignment (RFC 7489 §3.1) compares organizational domains, which takes the Public
 * Suffix List: `example.co.uk` and `attacker.co.uk` share their last two labels, not an owner.
 * Without the list, this asks for the same domain or one a subdomain of the other (the shorter
 * one with at least two labels): that never joins two registrants, since the owner of a domain
 * controls the names below it. Sibling subdomains (`mail.example.com` signing for
 * `it.example.com`) align only through a DMARC pass, which SES and mailauth compute with the list
 * and which is read first.
 */
export const aligned = (domain: string, fromDomain: string): boolean => {
  const a = bare(domain);
  const b = bare(fromDomain);
  if (!a || !b) return false;
  return a === b || inside(a, b) || inside(b, a);
};

const verdict = (
  value: SenderAuth['verdict'],
  reason: SenderAuthReason,
  detail: string,
  mechanism?: AuthMechanism,
): SenderAuth => ({ verdict: value, reason, ...(mechanism && { mechanism }), detail });

/** The authentication of a mail from `from`, as the table in `test/unit/email-sender-auth.test.ts` reads it. */
const senderAuth = (from: string, authentication: MailAuthentication | undefined): SenderAuth => {
  if (!authentication) return verdict('none', 'not-verified', 'not verified');
  const fromDomain = bare(splitAddress(from)?.domain ?? '');
  // The domain's own DMARC verdict comes first: it applies the alignment the domain asked for
  // (strict or relaxed, by the Public Suffix List), which the checks below only approximate.
  const dmarc =
    authentication.dmarc &&
    (authentication.dmarc.domain === undefined || aligned(authentication.dmarc.domain, fromDomain))
      ? authentication.dmarc
      : undefined;
  const dmarcDetail = `dmarc=${dmarc?.result} header.from=${fromDomain}`;
  if (dmarc?.result === 'pass') return verdict('pass', 'dmarc-pass', dmarcDetail, 'dmarc');
  if (dmarc?.result === 'fail') return verdict('fail', 'dmarc-fail', dmarcDetail, 'dmarc');

  const dkim = authentication.dkim.filter((signature) => aligned(signature.domain, fromDomain));
  const spf =
    authentication.spf && aligned(authentication.spf.domain, fromDomain) ? authentication.spf : undefined;
  const dkimWith = (result: AuthResult) => dkim.find((signature) => signature.result === result);
  const dkimDetail = (signature: { result: AuthResult; domain: string }) =>
    `dkim=${signature.result} header.d=${signature.domain}`;
  const spfDetail = `spf=${spf?.result} smtp.mailfrom=${spf?.domain}`;

  const dkimPass = dkimWith('pass');
  if (dkimPass) return verdict('pass', 'aligned-dkim-pass', dkimDetail(dkimPass), 'dkim');
  if (spf?.result === 'pass') return verdict('pass', 'aligned-spf-pass', spfDetail, 'spf');
  const dkimFail = dkimWith('fail');
  if (dkimFail) return verdict('fail', 'aligned-dkim-fail', dkimDetail(dkimFail), 'dkim');
  if (spf?.result === 'fail' || spf?.result === 'softfail')
    return verdict('fail', 'aligned-spf-fail', spfDetail, 'spf');
  if ([dmarc, spf, ...dkim].some((result) => result?.result === 'temperror')) {
    return verdict('none', 'temporary-error', `a DNS lookup for ${fromDomain} failed`);
  }
  return verdict('none', 'nothing-published', `no SPF, DKIM or DMARC result for ${fromDomain}`);
};

export const senderTrust = ({ from, claim, authentication }: SenderTrustInput): SenderTrust => {
  const auth = senderAuth(from, authentication);
  if (claim !== 'other') {
    return auth.verdict === 'pass'
      ? { action: 'accept', auth }
      : { action: 'quarantine', reason: `unauthenticated-${claim}`, auth };
  }
  return { action: auth.verdict === 'fail' ? 'restrict' : 'accept', auth };
};
