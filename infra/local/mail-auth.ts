import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { authenticate, type DNSResolver, dkimSign } from 'mailauth';
import { createTransport, type SendMailOptions } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { splitAddress } from '#shared/email/address';
import { authResultOf, type MailAuthentication } from '#shared/email/sender-auth';
import { writeOnce } from './dev-key.ts';
import { PROJECT_ROOT } from './lambda.ts';

/**
 * Mail authentication on the laptop, in place of what SES does on AWS: the local SMTP stand-in
 * verifies SPF, DKIM and DMARC of every message with mailauth, against DNS answers from the table
 * below instead of real DNS; and {@link sendSignedMail} (or `npm run mail`) writes mail as an
 * agent or a vendor, DKIM-signed with the local test key whose public half that table serves.
 *
 * The key is a **local test key**: an RSA key pair generated on first use into the git-ignored
 * `.tierdesk/` folder (like the dev JWT key), one per checkout. No real DNS knows it, so it
 * authenticates nothing outside this machine.
 *
 * mailauth stays here and in the tests: the Lambda bundles never carry it (the intake is handed
 * the results), and `npm run lint` refuses an import of it anywhere else.
 */

/** The DKIM selector (`s=`) of the local test key in every domain that publishes it. */
const LOCAL_DKIM_SELECTOR = 'tierdesk-local';
const KEY_FILE = resolve(PROJECT_ROOT, '.tierdesk', 'dkim-test-key.pem');

/** What a local test domain publishes in DNS. */
interface LocalMailDomain {
  /** The local test key under {@link LOCAL_DKIM_SELECTOR}: mail from this domain can be signed. */
  dkim: boolean;
  spf?: string;
  dmarc?: string;
}

/**
 * SPF records name the domain's outbound servers, in TEST-NET-1 (192.0.2.0/24): never the local
 * client, which is loopback. So locally SPF passes for nobody and fails for forgeries of a domain
 * that publishes it, and a signature by the local test key is how genuine mail is authenticated.
 */
const OUTBOUND_SERVERS = 'v=spf1 ip4:192.0.2.0/24 -all';

export const LOCAL_MAIL_DOMAINS: Readonly<Record<string, LocalMailDomain>> = {
  /**
   * The demo organization: staff (priya@, sam@ …) and requesters (alice@, and every test's
   * person()). Its staff sign their mail; it publishes no SPF or DMARC, so the unsigned mail of
   * its requesters in the walkthroughs is not a forgery and keeps the participant rules.
   */
  'example.com': { dkim: true },
  /** The desk's own domain (support@tierdesk.local; the agents of the mail fixtures). */
  'tierdesk.local': { dkim: true, spf: 'v=spf1 -all', dmarc: 'v=DMARC1; p=reject' },
  /** The demo vendor printix (vendor@printer-vendor.example). */
  'printer-vendor.example': { dkim: true, spf: OUTBOUND_SERVERS, dmarc: 'v=DMARC1; p=none' },
  /** The vendor of the mail fixtures (vendor-support@printco.example). */
  'printco.example': { dkim: true, spf: OUTBOUND_SERVERS, dmarc: 'v=DMARC1; p=none' },
  /** A requester organization that publishes everything: mail forging its people fails. */
  'contoso.example': { dkim: true, spf: OUTBOUND_SERVERS, dmarc: 'v=DMARC1; p=none' },
};

interface LocalDkimKey {
  privateKey: string;
  /** The public key as a DKIM record's `p=` (base64 SubjectPublicKeyInfo). */
  publicKey: string;
}

let cachedKey: LocalDkimKey | undefined;

/** The local test key, generated on first use (2048-bit RSA, the size SES's Easy DKIM uses). */
const localDkimKey = (): LocalDkimKey => {
  if (cachedKey) return cachedKey;
  let pem: string;
  try {
    pem = readFileSync(KEY_FILE, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeOnce(KEY_FILE, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    // Whoever wrote first (another test file, a running stack) wins: read back what is there.
    pem = readFileSync(KEY_FILE, 'utf8');
  }
  const publicKey = createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
  cachedKey = { privateKey: pem, publicKey };
  return cachedKey;
};

const dnsError = (code: 'ENOTFOUND' | 'ENODATA', name: string): Error =>
  Object.assign(new Error(`${code} ${name}`), { code });

/**
 * A DNS resolver for mailauth over {@link LOCAL_MAIL_DOMAINS}: TXT records only (SPF, DMARC, the
 * DKIM key), every other name unknown. Nothing leaves the process.
 */
const localResolver = (): DNSResolver => {
  const records = new Map<string, string>();
  for (const [domain, published] of Object.entries(LOCAL_MAIL_DOMAINS)) {
    if (published.spf) records.set(domain, published.spf);
    if (published.dmarc) records.set(`_dmarc.${domain}`, published.dmarc);
    if (published.dkim)
      records.set(
        `${LOCAL_DKIM_SELECTOR}._domainkey.${domain}`,
        `v=DKIM1; k=rsa; p=${localDkimKey().publicKey}`,
      );
  }
  return async (name, type) => {
    const record = records.get(name.toLowerCase().replace(/\.$/, ''));
    if (!record) throw dnsError('ENOTFOUND', name);
    if (type !== 'TXT') throw dnsError('ENODATA', name);
    // A TXT record is a list of strings of at most 255 octets each.
    return [record.match(/.{1,255}/g) ?? []];
  };
};

/** Built on first use, not on import: the key may not exist yet. */
let resolver: DNSResolver | undefined;

/** The SMTP session facts SPF is checked against. */
export interface SmtpClient {
  /** The connecting address. */
  ip: string;
  /** EHLO/HELO name. */
  helo?: string;
  /** MAIL FROM; '' for the null sender. */
  mailFrom: string;
}

/** What the local stand-in for SES inbound finds out about a message, for the intake. */
export const verifyLocally = async (raw: Buffer, client: SmtpClient): Promise<MailAuthentication> => {
  resolver ??= localResolver();
  const result = await authenticate(raw, {
    ip: client.ip,
    ...(client.helo && { helo: client.helo }),
    sender: client.mailFrom,
    mta: 'tierdesk.local',
    resolver,
    disableArc: true,
    disableBimi: true,
  });
  const dmarcDomain = result.dmarc ? (result.dmarc.status.header?.from ?? result.dmarc.domain) : undefined;
  return {
    dkim: result.dkim.results.flatMap(({ signingDomain, status }) =>
      signingDomain ? [{ result: authResultOf(status.result), domain: signingDomain }] : [],
    ),
    ...(result.spf && { spf: { result: authResultOf(result.spf.status.result), domain: result.spf.domain } }),
    ...(result.dmarc && {
      dmarc: {
        result: authResultOf(result.dmarc.status.result),
        ...(dmarcDomain && { domain: dmarcDomain }),
      },
    }),
  };
};

/** `raw` with a DKIM-Signature of `domain` by the local test key on top. */
export const signMail = async (raw: Buffer, domain: string): Promise<Buffer> => {
  if (!LOCAL_MAIL_DOMAINS[domain]?.dkim) {
    throw new Error(
      `The local DNS publishes no DKIM key for ${domain}; add it to LOCAL_MAIL_DOMAINS (infra/local/mail-auth.ts).`,
    );
  }
  const signature = {
    signingDomain: domain,
    selector: LOCAL_DKIM_SELECTOR,
    privateKey: localDkimKey().privateKey,
  };
  // mailauth's typings want the signature at the top level; its signer reads `signatureData`.
  const { signatures, errors } = await dkimSign(raw, { ...signature, signatureData: [signature] });
  if (errors.length > 0 || !signatures) throw new Error(`DKIM signing failed: ${errors[0]?.err.message}`);
  return Buffer.concat([Buffer.from(signatures), raw]);
};

export interface LocalSmtp {
  port: number;
  host?: string;
}

/**
 * Sends `mail` (nodemailer's message options) to the local SMTP server, DKIM-signed as its From
 * domain: the mail an agent or a vendor writes from a domain that signs its mail. `unsigned`
 * sends it as written, the way a forger would.
 */
export const sendSignedMail = async (
  smtp: LocalSmtp,
  mail: SendMailOptions,
  options: { unsigned?: boolean } = {},
): Promise<void> => {
  const message = new MailComposer(mail).compile();
  const from = message.getAddresses().from?.[0]?.address ?? '';
  const domain = splitAddress(from)?.domain.toLowerCase();
  if (!domain) throw new Error(`Cannot sign mail without a From address (got "${from}").`);
  const raw = await message.build();
  const transport = createTransport({
    host: smtp.host ?? '127.0.0.1',
    port: smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await transport.sendMail({
      envelope: message.getEnvelope(),
      raw: options.unsigned ? raw : await signMail(raw, domain),
    });
  } finally {
    transport.close();
  }
};
