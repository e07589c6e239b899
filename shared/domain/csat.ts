import { ConflictError, ForbiddenError } from './errors.ts';
import type { Principal } from './principal.ts';
import type { Ticket } from './ticket.ts';
import type { CsatAnswer, CsatChannel } from './ticket-fields.ts';
import type { NewTimelineEvent } from './timeline.ts';

/**
 * Customer satisfaction (CSAT): one question, a score from 1 to 5 and an optional comment, asked
 * when a ticket closes. One answer per ticket: a later answer within {@link CSAT_REVISE_MS} of the
 * first replaces it (a requester who clicked 3 by mistake may click 4), after that it is refused.
 */

export const CSAT_COMMENT_LIMIT = 2_000;

/** How long after the first answer a new one still replaces it. */
const CSAT_REVISE_MS = 7 * 24 * 3_600_000;

export interface CsatInput {
  score: number;
  comment?: string;
  channel: CsatChannel;
}

/** Only a closed ticket that was handled (not a merged duplicate) is asked about. */
const answerable = (ticket: Ticket): void => {
  if (ticket.status !== 'closed')
    throw new ConflictError(`Ticket #${ticket.number} is not closed yet: its survey is not open.`);
  if (ticket.closeReason === 'merged' || ticket.mergedInto !== undefined)
    throw new ConflictError(
      `Ticket #${ticket.number} was merged into #${ticket.mergedInto}: answer the survey of that ticket.`,
    );
};

/**
 * Records an answer: `csat_recorded` on the timeline (public: it is the requester's own words),
 * the answer on the ticket. The requester answers; by link or mail the requester is who the
 * signed link or the mail's authenticated sender says.
 */
export const recordCsat = (
  ticket: Ticket,
  by: string,
  input: CsatInput,
  at: Date,
): { ticket: Ticket; events: NewTimelineEvent[] } => {
  answerable(ticket);
  const previous = ticket.csat;
  if (previous && at.getTime() - Date.parse(previous.firstAt) > CSAT_REVISE_MS)
    throw new ConflictError(
      `Ticket #${ticket.number} was rated on ${previous.firstAt.slice(0, 10)}; an answer can be changed for 7 days only.`,
    );
  const iso = at.toISOString();
  const comment = input.comment?.trim() ? input.comment.trim().slice(0, CSAT_COMMENT_LIMIT) : undefined;
  const answer: CsatAnswer = {
    score: input.score,
    ...(comment && { comment }),
    channel: input.channel,
    firstAt: previous?.firstAt ?? iso,
    at: iso,
  };
  return {
    ticket: { ...ticket, csat: answer, updatedAt: iso },
    events: [
      {
        type: 'csat_recorded',
        at: iso,
        actor: by,
        public: true,
        data: {
          score: input.score,
          ...(comment && { comment }),
          channel: input.channel,
          ...(previous && { replaces: true }),
        },
      },
    ],
  };
};

/** Signed in, only the ticket's requester answers its survey. */
export const requireRequester = (
  principal: Principal,
  ticket: Pick<Ticket, 'requester' | 'number'>,
): void => {
  if (principal.id !== ticket.requester)
    throw new ForbiddenError(`Only the requester of ticket #${ticket.number} answers its survey.`);
};

/** A score, not the first digit of a longer number (`12`, `4.5`, `10/10`). */
const SCORE = String.raw`([1-5])(?!\d|[.,]\d)`;
/** The scale, said or drawn: `4/5`, `3 out of 5`, `5 stars`, `5 ★★★★★`. */
const SCALE = String.raw`\s*(?:\/\s*5|out\s+of\s+5|stars?|★+)`;
const SEPARATOR = String.raw`\s*[-–—:;,.!)]+`;
/**
 * The score, then the end of the line, or the scale or a separator before the comment: a number
 * followed by words (`3 printers are still down`) reads as a report, not a rating.
 */
const SCORE_LINE = new RegExp(
  String.raw`^\s*(?:score\s*[:=]?\s*)?${SCORE}(?:${SCALE}(?:${SEPARATOR})?\s*(.*)|${SEPARATOR}\s*(.*)|\s*)$`,
  'iu',
);

/**
 * A score in a mail reply to the survey: the first line of the reply's own text starts with a
 * digit from 1 to 5 (`4`, `4 - quick, thanks`, `5 stars`, `4/5 great`); the rest is the comment.
 * Anything else is not an answer (`12 printers`, `thanks!`, `3 printers are down`), and neither
 * is a number in words (`four`): the survey asks for a digit, and words begin sentences (`One
 * more thing: …`).
 */
export const parseCsatReply = (text: string): { score: number; comment?: string } | undefined => {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const first = lines.findIndex((line) => line.length > 0);
  if (first < 0) return undefined;
  const match = SCORE_LINE.exec(lines[first] ?? '');
  if (!match?.[1]) return undefined;
  const rest = [match[2] ?? match[3] ?? '', ...lines.slice(first + 1)].join('\n').trim();
  return { score: Number(match[1]), ...(rest && { comment: rest }) };
};
