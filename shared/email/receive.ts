import { logger, MetricUnit, metrics } from '#shared/runtime/observability';
import * as z from '#shared/runtime/zod';
import { type IntakeDeps, type IntakeOutcome, intake } from './intake.ts';
import type { RawMailStore } from './mail-objects.ts';
import { sesRawMailKey } from './mail-objects.ts';
import { messageIdsIn } from './message-id.ts';
import type { SesReceiptVerdicts } from './verdicts.ts';

/**
 * SES inbound: the receipt rule's S3 action writes the raw message to the mail bucket as
 * `inbound/<mail.messageId>`, then its Lambda action invokes this function (event invocation)
 * with the receipt: envelope and spam/virus/SPF/DKIM/DMARC verdicts, no body. Each record's
 * object is read and handed to the intake, which turns it into a ticket, a comment, a bounce, a
 * quarantine record or nothing.
 *
 * Bad mail never fails the invocation: the intake quarantines it, and a missing object is
 * recorded the same way. What does fail it is an outage (the table or the bucket unreachable):
 * Lambda retries the event, then hands it to the on-failure queue, and the raw object stays in
 * the bucket for a redrive. An event that is not an SES receipt fails too, for the same queue.
 */

const VerdictSchema = /* @__PURE__ */ z.built(() => z.looseObject({ status: z.string() }));

/** The part of an SES receipt event the intake reads (`aws-lambda`'s SESEvent, validated). */
export const SesReceiptEventSchema = /* @__PURE__ */ z.built(() =>
  z.looseObject({
    Records: z
      .array(
        z.looseObject({
          ses: z.looseObject({
            mail: z.looseObject({
              // SES's own id, which names the object: nothing that could step out of the prefix.
              messageId: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,256}$/)),
              /** MAIL FROM; empty for the null sender of bounces. */
              source: z._default(z.string(), ''),
              commonHeaders: z.optional(
                z.looseObject({
                  from: z.optional(z.array(z.string())),
                  subject: z.optional(z.string()),
                  messageId: z.optional(z.string()),
                }),
              ),
            }),
            receipt: z.looseObject({
              recipients: z._default(z.array(z.string()), []),
              spamVerdict: z.optional(VerdictSchema),
              virusVerdict: z.optional(VerdictSchema),
              spfVerdict: z.optional(VerdictSchema),
              dkimVerdict: z.optional(VerdictSchema),
              dmarcVerdict: z.optional(VerdictSchema),
              dmarcPolicy: z.optional(z.string()),
            }),
          }),
        }),
      )
      .check(z.minLength(1)),
  }),
);
export type SesReceiptEvent = z.output<typeof SesReceiptEventSchema>;
type SesRecord = SesReceiptEvent['Records'][number];

/** The invocation carried no SES receipt: a wiring mistake, kept by the on-failure queue. */
class NotAnSesEventError extends Error {
  override readonly name = 'NotAnSesEventError';
}

export interface ReceiveDeps {
  intake: IntakeDeps;
  raw: Pick<RawMailStore, 'get'>;
}

export interface ReceiveResult {
  outcomes: IntakeOutcome[];
}

const verdictsOf = (receipt: SesRecord['ses']['receipt']): SesReceiptVerdicts => {
  const { spamVerdict, virusVerdict, spfVerdict, dkimVerdict, dmarcVerdict, dmarcPolicy } = receipt;
  return {
    ...(spamVerdict && { spamVerdict }),
    ...(virusVerdict && { virusVerdict }),
    ...(spfVerdict && { spfVerdict }),
    ...(dkimVerdict && { dkimVerdict }),
    ...(dmarcVerdict && { dmarcVerdict }),
    ...(dmarcPolicy && { dmarcPolicy }),
  };
};

/**
 * SES invoked us for an object that is not there: deleted, or expired by the bucket's lifecycle
 * before a redrive of an old event. Nothing can be read, so nothing is retried; what the receipt
 * says about the mail is recorded for a person, like any other quarantined mail.
 */
const rawMissing = async (deps: ReceiveDeps, rawKey: string, record: SesRecord): Promise<IntakeOutcome> => {
  const headers = record.ses.mail.commonHeaders;
  const messageId = messageIdsIn(headers?.messageId ?? '')[0];
  const detail = `no object ${rawKey} in the mail bucket`;
  await deps.intake.mail.quarantine({
    reason: 'raw-missing',
    detail,
    rawKey,
    ...(headers?.from?.[0] && { from: headers.from[0] }),
    ...(headers?.subject !== undefined && { subject: headers.subject }),
    ...(messageId && { messageId }),
    at: deps.intake.tickets.clock.now().toISOString(),
  });
  logger.error('raw mail missing', { rawKey, source: record.ses.mail.source });
  metrics.addMetric('RawMailMissing', MetricUnit.Count, 1);
  return { kind: 'quarantine', reason: 'raw-missing', detail };
};

const receiveRecord = async (deps: ReceiveDeps, record: SesRecord): Promise<IntakeOutcome> => {
  const { mail, receipt } = record.ses;
  const rawKey = sesRawMailKey(mail.messageId);
  const raw = await deps.raw.get(rawKey);
  if (!raw) return rawMissing(deps, rawKey, record);
  return intake(deps.intake, {
    raw,
    rawKey,
    envelope: { mailFrom: mail.source, recipients: receipt.recipients },
    receipt: verdictsOf(receipt),
  });
};

/** One count per outcome, for the dashboard and the quarantine alarm. */
const OUTCOME_METRICS: Record<IntakeOutcome['kind'], string> = {
  ticket: 'MailTickets',
  comment: 'MailComments',
  csat: 'MailSurveyAnswers',
  bounce: 'MailBounces',
  quarantine: 'MailQuarantined',
  drop: 'MailDropped',
  duplicate: 'MailDuplicates',
};

const count = (outcome: IntakeOutcome): void => {
  metrics.addMetric(OUTCOME_METRICS[outcome.kind], MetricUnit.Count, 1);
  // The same business metrics the API records, so a dashboard counts mail and web alike.
  if (outcome.kind === 'ticket') metrics.addMetric('TicketsCreated', MetricUnit.Count, 1);
  if (outcome.kind === 'comment' && outcome.vendor === 'update')
    metrics.addMetric('VendorUpdates', MetricUnit.Count, 1);
};

/**
 * The receipt event, validated, record by record. Bad mail never fails it (the intake
 * quarantines it); an event that is not an SES receipt does, for the on-failure queue.
 */
export const receiveMail =
  (deps: ReceiveDeps) =>
  async (event: unknown): Promise<ReceiveResult> => {
    const parsed = SesReceiptEventSchema.safeParse(event);
    if (!parsed.success) {
      logger.error('not an SES receipt event', { issues: parsed.error.issues });
      throw new NotAnSesEventError('The event is not an SES receipt (Records[].ses.mail/receipt).');
    }
    const outcomes: IntakeOutcome[] = [];
    // SES sends one record per invocation; should it send more, one after the other keeps
    // the order in which a thread's messages arrived.
    for (const record of parsed.data.Records) {
      logger.appendKeys({ sesMessageId: record.ses.mail.messageId });
      const outcome = await receiveRecord(deps, record);
      logger.info('mail received', { outcome });
      count(outcome);
      outcomes.push(outcome);
    }
    return { outcomes };
  };
