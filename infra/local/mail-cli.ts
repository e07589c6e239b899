import { parseArgs } from 'node:util';
import { runCommand } from './command.ts';
import { LOCAL_MAIL_DOMAINS, sendSignedMail } from './mail-auth.ts';
import { DEFAULT_SMTP_PORT, DEFAULT_SUPPORT_ADDRESS } from './smtp.ts';

/**
 * `npm run mail -- --from priya@example.com --subject "Re: [#7] …" --text "…"`: writes to the
 * running local stack as an agent or a vendor would, DKIM-signed as the From domain with the local
 * test key (see mail-auth.ts), so the intake believes it. `--unsigned` sends it as a forger would.
 */

const signing = Object.entries(LOCAL_MAIL_DOMAINS)
  .filter(([, published]) => published.dkim)
  .map(([domain]) => domain)
  .join(', ');

const USAGE = `Usage: npm run mail -- --from <address> --subject <text> [options]

Sends a mail to the local stack's SMTP intake, DKIM-signed as the From domain with the local test
key. The local DNS publishes that key for: ${signing}.

  --from <address>         the sender, e.g. priya@example.com (an agent) or vendor@printer-vendor.example
  --to <address>           default ${DEFAULT_SUPPORT_ADDRESS}; support+<ticket>@… threads to that ticket
  --cc <a[,b]>             copies
  --subject <text>         "Re: [#<ticket>] …" answers that ticket
  --text <body>            the body; read from stdin when left out
  --in-reply-to <id>       the Message-ID answered, e.g. from the SES viewer: <messageId@email.amazonses.com>
  --unsigned               send without a signature, as a forger would: staff and vendor mail is quarantined
  --port <n>               SMTP port (env SMTP_PORT, default ${DEFAULT_SMTP_PORT})

Examples:
  npm run mail -- --from priya@example.com --subject "Re: [#7] Monitor flickers" --text "A new cable fixed it."
  npm run mail -- --from vendor@printer-vendor.example --to support+7@tierdesk.local \\
    --subject "Case 4711: fuser" --text "Our technician comes tomorrow."`;

const parse = (argv: string[]) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      to: { type: 'string', default: DEFAULT_SUPPORT_ADDRESS },
      cc: { type: 'string' },
      subject: { type: 'string' },
      text: { type: 'string' },
      'in-reply-to': { type: 'string' },
      unsigned: { type: 'boolean', default: false },
      port: { type: 'string', default: process.env.SMTP_PORT || String(DEFAULT_SMTP_PORT) },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return { help: true } as const;
  if (!values.from?.includes('@'))
    throw new Error('--from must be an address, e.g. --from priya@example.com');
  if (!values.subject) throw new Error('--subject is required.');
  if (!/^\d+$/.test(values.port)) throw new Error(`--port must be a port number, got "${values.port}".`);
  const inReplyTo = values['in-reply-to'];
  return {
    help: false,
    port: Number(values.port),
    unsigned: values.unsigned,
    mail: {
      from: values.from,
      to: values.to,
      ...(values.cc && { cc: values.cc.split(',').map((address) => address.trim()) }),
      subject: values.subject,
      ...(inReplyTo && { inReplyTo, references: [inReplyTo] }),
    },
    text: values.text,
  } as const;
};

const stdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

runCommand(USAGE, parse, async (request) => {
  const text = request.text ?? (await stdin());
  await sendSignedMail({ port: request.port }, { ...request.mail, text }, { unsigned: request.unsigned });
  console.error(
    `Sent ${request.unsigned ? 'unsigned' : 'signed'} mail from ${request.mail.from} to ${request.mail.to}.`,
  );
});
