import { existsSync, readFileSync } from 'node:fs';
import Mustache from 'mustache';
import type { Ticket } from '#shared/domain/ticket';
import { MAIL_TEMPLATES, type MailTemplate, type MailView } from './plan.ts';

/**
 * Mail text lives in plain template files, one pair per kind of mail: `<name>.txt` and
 * `<name>.html` (mustache). The text file starts with a `Subject:` line and a blank line, like a
 * message file; the rest is the body. The HTML file is the body only: `layout.html` is the
 * document around every one of them (`{{> body}}`). HTML values are escaped by mustache
 * (`{{value}}`); the text part is rendered without escaping, since it is not markup.
 */

export interface MailTemplateSource {
  subject: string;
  text: string;
  /** The HTML body, rendered as the `body` partial of `layout`. */
  html: string;
  layout: string;
}

/** A layout that is the body alone. */
const BARE_LAYOUT = '{{> body}}';

export type MailTemplates = ReadonlyMap<MailTemplate, MailTemplateSource>;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The template files are not valid: the deployment is broken, not the mail. */
export class MailTemplateError extends Error {
  override readonly name = 'MailTemplateError';
}

/**
 * Where the template files are: beside the bundled handler (the CDK bundle copies
 * `shared/email/templates/` to `templates/` next to `index.mjs`, where `import.meta.url` points),
 * else in the source tree, one folder up from this module (tests, the local stack).
 */
export const templateDirectory = (): URL => {
  const candidates = [new URL('./templates/', import.meta.url), new URL('../templates/', import.meta.url)];
  const found = candidates.find((directory) => existsSync(new URL(`${MAIL_TEMPLATES[0]}.txt`, directory)));
  if (!found) {
    throw new MailTemplateError(
      `No mail templates in ${candidates.map((directory) => directory.pathname).join(' or ')}.`,
    );
  }
  return found;
};

const SUBJECT_LINE = /^Subject:[ \t]*(.*)\r?\n\r?\n/;

/** One template pair from its files' text; throws when the text file has no subject line. */
export const parseTemplate = (
  name: string,
  text: string,
  html: string,
  layout = BARE_LAYOUT,
): MailTemplateSource => {
  const match = SUBJECT_LINE.exec(text);
  if (!match)
    throw new MailTemplateError(`${name}.txt must start with a "Subject: …" line and a blank line.`);
  return { subject: match[1] ?? '', text: text.slice(match[0].length), html, layout };
};

/** Every template, read once (at cold start): a missing file fails the deployment's first run. */
export const loadTemplates = (directory: URL = templateDirectory()): MailTemplates => {
  const read = (file: string) => readFileSync(new URL(file, directory), 'utf8');
  const layout = read('layout.html');
  return new Map(
    MAIL_TEMPLATES.map(
      (name) => [name, parseTemplate(name, read(`${name}.txt`), read(`${name}.html`), layout)] as const,
    ),
  );
};

const ticketToken = (number: number): string => `[#${number}]`;

/** What every template may show: the ticket's public face, and where replies go. */
export const mailView = (
  ticket: Pick<Ticket, 'number' | 'subject' | 'requester' | 'status'>,
  view: MailView,
  replyAddress: string,
): MailView => ({
  number: ticket.number,
  token: ticketToken(ticket.number),
  subject: ticket.subject,
  requester: ticket.requester,
  status: ticket.status,
  replyAddress,
  ...view,
});

const unescaped = { escape: (value: unknown) => String(value) };

/**
 * A subject is one line (a CR/LF in a ticket subject must not become a header break), and it
 * carries the ticket token whatever a template says: replies thread by it when the Message-ID
 * chain is lost.
 */
const subjectLine = (rendered: string, token: string): string => {
  const line = rendered.replace(/\s+/g, ' ').trim();
  return line.includes(token) ? line : `${token} ${line}`.trim();
};

export const renderMail = (
  templates: MailTemplates,
  template: MailTemplate,
  view: MailView,
): RenderedMail => {
  const source = templates.get(template);
  if (!source) throw new MailTemplateError(`No template "${template}".`);
  return {
    subject: subjectLine(Mustache.render(source.subject, view, {}, unescaped), String(view.token ?? '')),
    text: Mustache.render(source.text, view, {}, unescaped),
    html: Mustache.render(source.layout, view, { body: source.html }),
  };
};
