import type { ConfigReader } from '#shared/config/reader';
import type { Clock } from '#shared/domain/clock';
import { normalizeEmail } from '#shared/domain/principal';
import { defaultGroupOf, type Ticket } from '#shared/domain/ticket';
import { TIERS, type Tier } from '#shared/domain/ticket-fields';
import type { TimelineEvent } from '#shared/domain/timeline';
import type { MailStore, OutboundClaim } from '#shared/email/mail-store';
import { logger } from '#shared/runtime/observability';
import type { Directory } from '#shared/tickets/directory';
import type { TicketStore } from '#shared/tickets/ticket-store';
import { withoutTag } from '../address.ts';
import { type MailConfig, ticketReplyAddress } from '../config.ts';
import { normalizeMessageId } from '../message-id.ts';
import { composeMail, newMessageId, threadHeaders } from './compose.ts';
import {
  type ArticleSuggestion,
  inboundMessageIdOf,
  inboundPartyOf,
  type MailTemplate,
  mailsFor,
  type PlanFacts,
  type PlannedMail,
  type Recipient,
  STAFF_NOTICE_WINDOW_MS,
  THREAD_OF,
} from './plan.ts';
import { type MailTemplates, mailView, renderMail } from './render.ts';
import type { MailTransport } from './transport.ts';

/**
 * The mailer: a timeline event in, the mail it calls for out. Per event it moves the ticket's
 * mail thread on when the event recorded a mail (the requester's side, the vendor and the staff
 * each have a thread of their own), plans the mail (`plan.ts`), resolves group and role
 * recipients to people, and delivers to each recipient:
 *
 *   own address? → (automatic) suppressed? over the daily cap? → claim → render, compose, send
 *   → record (claim sent, Message-IDs, thread, daily count)
 *
 * At least once in, at most once out: the stream redelivers records, and the claim (a
 * conditional write per event and recipient) makes a redelivered record send nothing twice. A
 * failed send gives its claim back and throws, so the record fails and its retry sends.
 */

export interface MailerDeps {
  tickets: Pick<TicketStore, 'getTicket'>;
  directory: Pick<Directory, 'getUser' | 'tierMembers' | 'groupMembers' | 'supervisors'>;
  config: Pick<ConfigReader, 'getVendor' | 'getGroup'>;
  mail: Pick<
    MailStore,
    | 'mailThread'
    | 'recordInboundInThread'
    | 'automaticMailState'
    | 'claimStaffNotice'
    | 'claimOutbound'
    | 'releaseOutbound'
    | 'recordOutbound'
  >;
  transport: MailTransport;
  templates: MailTemplates;
  settings: MailConfig;
  clock: Clock;
  /** The survey's signed link for a closed ticket (`/csat/{token}`); absent where no key is set. */
  surveyLink?(ticket: Ticket): Promise<string | undefined>;
  /**
   * Public knowledge-base articles for a new request (Tier 0 in the acknowledgment). Never
   * throws: no index means no suggestions, not an unsent acknowledgment.
   */
  suggest?: (ticket: { subject: string; description: string }) => Promise<readonly ArticleSuggestion[]>;
}

/** A mail is claimed by a run that may still be sending it: retry the record later. */
class OutboundBusyError extends Error {
  override readonly name = 'OutboundBusyError';

  constructor(eventId: string, recipient: string) {
    super(`The mail of event ${eventId} to ${recipient} is claimed by another run; trying again later.`);
  }
}

export type SkipReason =
  | 'support-address'
  | 'suppressed'
  | 'daily-cap'
  | 'already-claimed'
  | 'own-action'
  | 'notice-window';

export type MailOutcome =
  | { template: MailTemplate; to: string; result: 'sent'; messageIds: string[] }
  | { template: MailTemplate; to: string; result: 'skipped'; reason: SkipReason };

/** The tier whose agents make up a group: the configured group's, else a tier's default group. */
const tierOfGroup = async (deps: MailerDeps, group: string): Promise<Tier | undefined> =>
  (await deps.config.getGroup(group))?.tier ?? TIERS.find((tier) => defaultGroupOf(tier) === group);

const addressesOf = async (deps: MailerDeps, recipient: Recipient, ticket: number): Promise<string[]> => {
  switch (recipient.kind) {
    case 'address':
      return [recipient.address];
    case 'group': {
      // The group's own members first; a group nobody was put in reaches its tier's agents.
      const own = (await deps.directory.groupMembers(recipient.group)).filter(
        (member) => member.active !== false,
      );
      const tier = own.length > 0 ? undefined : await tierOfGroup(deps, recipient.group);
      const members = own.length > 0 ? own : tier === undefined ? [] : await deps.directory.tierMembers(tier);
      if (members.length === 0) logger.warn('mail group has no agents', { ticket, group: recipient.group });
      return members.map((member) => normalizeEmail(member.email));
    }
    case 'supervisors': {
      const supervisors = await deps.directory.supervisors();
      if (supervisors.length === 0) logger.warn('no supervisors in the directory to mail', { ticket });
      return supervisors.map((supervisor) => normalizeEmail(supervisor.email));
    }
  }
};

/** The facts the plan needs, looked up only for the events that need them. */
const planFacts = async (deps: MailerDeps, ticket: Ticket, event: TimelineEvent): Promise<PlanFacts> => {
  if ((event.type === 'comment' || event.type === 'reopened') && event.public) {
    const actor = normalizeEmail(event.actor);
    const author = await deps.directory.getUser(actor);
    const actorIsStaff = author !== undefined && author.role !== 'requester';
    const participant = [ticket.requester, ...ticket.watchers].map(normalizeEmail).includes(actor);
    return { actorIsStaff, actorIsRequesterSide: participant && !actorIsStaff };
  }
  if (event.type === 'handoff' && typeof event.data?.vendorId === 'string') {
    const vendorId = event.data.vendorId;
    // The configuration's address first (the intake matches vendor replies by it); the contract
    // pinned on the ticket at the hand-off if the vendor has since left the configuration.
    const vendor =
      (await deps.config.getVendor(vendorId)) ??
      (ticket.clocks.vendor?.vendorId === vendorId ? ticket.clocks.vendor : undefined);
    return { actorIsStaff: false, ...(vendor && { vendor: { name: vendor.name, email: vendor.email } }) };
  }
  if (event.type === 'created' && deps.suggest) {
    return { actorIsStaff: false, suggestions: await deps.suggest(ticket) };
  }
  return { actorIsStaff: false };
};

const isOwnAddress = (settings: MailConfig, address: string): boolean =>
  settings.supportAddresses.includes(withoutTag(normalizeEmail(address)));

/** The ticket's mail thread learns of a mail the event recorded: the next mail answers it. */
const followInboundMail = async (deps: MailerDeps, ticket: number, event: TimelineEvent): Promise<void> => {
  const messageId = inboundMessageIdOf(event);
  if (!messageId) return;
  await deps.mail.recordInboundInThread(
    { ticket, party: inboundPartyOf(event) },
    {
      eventId: event.id,
      messageId: normalizeMessageId(messageId),
      original: event.type === 'created',
    },
  );
};

/** The survey's signed link, where the function can sign one (a CSAT key and the API's address). */
const surveyView = async (deps: MailerDeps, ticket: Ticket) => {
  const link = await deps.surveyLink?.(ticket);
  return link ? { surveyLink: link } : {};
};

const deliver = async (
  deps: MailerDeps,
  ticket: Ticket,
  event: TimelineEvent,
  planned: PlannedMail,
  address: string,
): Promise<MailOutcome> => {
  const { template, automatic } = planned;
  const skipped = (reason: SkipReason, detail?: Record<string, unknown>): MailOutcome => {
    logger.info('mail skipped', {
      ticket: ticket.number,
      event: event.id,
      template,
      to: address,
      reason,
      ...detail,
    });
    return { template, to: address, result: 'skipped', reason };
  };
  // Mail to ourselves would come back in through the intake: a loop by construction.
  if (isOwnAddress(deps.settings, address)) return skipped('support-address');
  if (planned.notice) {
    // Never about one's own action (a group's agent who acted); one per person per ticket per burst.
    if (address === normalizeEmail(event.actor)) return skipped('own-action');
    const notice = { ticket: ticket.number, address, kind: template };
    const claimed = await deps.mail.claimStaffNotice(notice, event.id, STAFF_NOTICE_WINDOW_MS);
    if (!claimed) return skipped('notice-window');
  }
  const threadRef = { ticket: ticket.number, party: THREAD_OF[template] };
  // An automatic mail reads its suppression, today's count and the thread in one request.
  const state = automatic ? await deps.mail.automaticMailState(address, threadRef) : undefined;
  if (state) {
    const { suppression, sentToday } = state;
    if (suppression) return skipped('suppressed', { ...suppression });
    // A notice to the desk's own agent has its own limit (one per kind, ticket and burst): a busy
    // agent must not stop hearing of their tickets at noon. Their suppressions still apply.
    if (!planned.notice && sentToday >= deps.settings.dailyAutomaticMailCap) {
      return skipped('daily-cap', { sentToday, cap: deps.settings.dailyAutomaticMailCap });
    }
  }

  const claim: OutboundClaim = { ticket: ticket.number, eventId: event.id, recipient: address };
  const claimed = await deps.mail.claimOutbound(claim);
  if (claimed === 'sent') return skipped('already-claimed');
  // Another run holds it and may be sending right now — or died a moment ago. Failing this
  // record has the stream try it again later: then it is sent, or the stale claim is taken over.
  if (claimed === 'busy') throw new OutboundBusyError(event.id, address);

  const messageId = newMessageId(deps.settings.domain);
  let delivered: string;
  try {
    const replyTo = ticketReplyAddress(deps.settings, ticket.number);
    const raw = await composeMail({
      from: deps.settings.fromAddress,
      to: address,
      replyTo,
      messageId,
      date: deps.clock.now(),
      content: renderMail(
        deps.templates,
        template,
        mailView(
          ticket,
          { ...planned.view, ...(template === 'csat' && (await surveyView(deps, ticket))) },
          replyTo,
        ),
      ),
      thread: threadHeaders(state ? state.thread : await deps.mail.mailThread(threadRef)),
      ...(automatic && { automatic }),
    });
    ({ deliveredMessageId: delivered } = await deps.transport.send(raw, {
      from: deps.settings.fromAddress,
      to: address,
    }));
  } catch (error) {
    await deps.mail.releaseOutbound(claim);
    throw error;
  }

  const messageIds = [...new Set([normalizeMessageId(messageId), normalizeMessageId(delivered)])];
  try {
    await deps.mail.recordOutbound({
      claim,
      party: THREAD_OF[template],
      template,
      messageIds,
      // A notice to the desk's own agent neither counts toward nor is held by the daily cap.
      automatic: automatic !== undefined && !planned.notice,
    });
  } catch (error) {
    // The mail is out: failing the record would not unsend it, and a retry would find the claim
    // and send nothing. A reply to this one mail threads by its ticket token instead of its id.
    logger.error('mail sent but not recorded', { error: error as Error, ticket: ticket.number, messageIds });
  }
  logger.info('mail sent', { ticket: ticket.number, event: event.id, template, to: address, messageIds });
  return { template, to: address, result: 'sent', messageIds };
};

/**
 * Everything an event means for mail. Throws when a send failed (its claim given back); mail
 * already sent for the event stays claimed, so the retry sends only what is missing.
 */
export const mailForEvent = async (
  deps: MailerDeps,
  ticketNumber: number,
  event: TimelineEvent,
): Promise<MailOutcome[]> => {
  const ticket = await deps.tickets.getTicket(ticketNumber);
  if (!ticket) {
    logger.warn('mail for a ticket that does not exist', { ticket: ticketNumber, event: event.id });
    return [];
  }
  await followInboundMail(deps, ticket.number, event);
  const planned = mailsFor(event, ticket, await planFacts(deps, ticket, event));
  const outcomes: MailOutcome[] = [];
  const handled = new Set<string>();
  for (const mail of planned) {
    for (const address of await addressesOf(deps, mail.to, ticket.number)) {
      // One mail per person per event, however many of its references name them.
      if (handled.has(address)) continue;
      handled.add(address);
      outcomes.push(await deliver(deps, ticket, event, mail, address));
    }
  }
  return outcomes;
};
