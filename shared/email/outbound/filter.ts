import { TICKET_ENTITY } from '#shared/store/entities';
import { entityFilter } from '#shared/store/stream-filters';

/**
 * The Lambda event filter pattern (plain JSON) of the mailer's event source mapping: a timeline
 * event was written. The mailer decides which events make mail; the filter only keeps the rest
 * of the table's traffic (tickets, claims, counters, the mailer's own writes) away.
 * A module of its own, importing only the filter vocabulary, so the CDK construct states the
 * same pattern the mailer is written against without loading the mailer's runtime.
 */
export const SEND_MAIL_FILTER = entityFilter(['INSERT'], 'NewImage', TICKET_ENTITY.event);
