import type { Ticket } from '#shared/domain/ticket';
import { isUnresolved } from '#shared/domain/ticket';
import type { Status, Tier } from '#shared/domain/ticket-fields';
import { type IndexName, TABLE } from './table.ts';

/**
 * Every key of every entity is built here and only here. Numbers are zero-padded so that string
 * order is numeric order; `~` sorts after every digit, so tickets with no deadline yet queue
 * behind those that have one.
 */

const pad = (value: number, width = 10): string => String(value).padStart(width, '0');

/** The largest number a padded key holds: ticket numbers and versions. */
export const MAX_KEY_NUMBER = 9_999_999_999;
/** The largest index of an event within one version (three digits). */
export const MAX_EVENT_INDEX = 999;

const NO_DEADLINE = '~';

export interface Key {
  pk: string;
  sk: string;
}

export const ticketKey = (number: number): Key => ({ pk: `TICKET#${pad(number)}`, sk: 'TICKET' });

/**
 * The clock facts each version of a ticket recorded, one item per version, right after the ticket
 * item (`TICKET` is their prefix): the ticket and its whole clock history are one Query
 * (`begins_with(sk, 'TICKET')`), and nothing else of the ticket sorts there.
 */
export const TICKET_HISTORY_PREFIX = ticketKey(0).sk;
export const clockFactsKey = (number: number, version: number): Key => ({
  pk: ticketKey(number).pk,
  sk: `${TICKET_HISTORY_PREFIX}#FACTS#${pad(version)}`,
});

/** Timeline events sort under their ticket by the ticket version that wrote them. */
export const EVENT_PREFIX = 'EVENT#';
export const eventKey = (number: number, version: number, index: number): Key => ({
  pk: ticketKey(number).pk,
  sk: `${EVENT_PREFIX}${pad(version)}#${pad(index, 3)}`,
});
/** Where the events one version of a ticket wrote start: they sort together under its ticket. */
export const eventVersionPrefix = (version: number): string => `${EVENT_PREFIX}${pad(version)}#`;
export const eventId = (key: Key): string => key.sk.slice(EVENT_PREFIX.length);

const WATCHER_PREFIX = 'WATCHER#';
export const watcherKey = (number: number, email: string): Key => ({
  pk: ticketKey(number).pk,
  sk: `${WATCHER_PREFIX}${email}`,
});

/**
 * Who has a ticket open in the console (collision detection): one item per person beside the
 * ticket. `PRESENCE#` sorts between every other item of a ticket and the ticket item itself
 * (`TICKET`), so "the ticket and who is on it" is one Query over the range below.
 */
const PRESENCE_PREFIX = 'PRESENCE#';
export const presenceKey = (number: number, email: string): Key => ({
  pk: ticketKey(number).pk,
  sk: `${PRESENCE_PREFIX}${email}`,
});
/** The sort-key range of a ticket's presence items and the ticket item (BETWEEN is inclusive). */
export const PRESENCE_RANGE = { from: PRESENCE_PREFIX, to: ticketKey(0).sk } as const;

/**
 * An attachment of a ticket by its id: which timeline event lists it (and so who may see it), and
 * where its file is. Written with that event, in the same transaction.
 */
export const attachmentKey = (number: number, id: string): Key => ({
  pk: ticketKey(number).pk,
  sk: `ATTACHMENT#${id}`,
});

export const userKey = (email: string): Key => ({ pk: `USER#${email}`, sk: 'USER' });

export const counterKey = (name: string): Key => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' });

export const idempotencyKey = (caller: string, key: string): Key => ({
  pk: `IDEMPOTENCY#${caller}#${key}`,
  sk: 'IDEMPOTENCY',
});

/** The idempotency key of a change to a ticket, beside the ticket (outside its timeline's range). */
export const ticketChangeKey = (number: number, key: string): Key => ({
  pk: ticketKey(number).pk,
  sk: `IDEMPOTENCY#${key}`,
});

/** Round-robin turns of a tier group: one atomic counter per group. */
export const assignmentCounterKey = (groupId: string): Key => counterKey(`assignment#${groupId}`);

/**
 * Membership links: a copy of a directory entry under each tier the agent belongs to, and of a
 * supervisor under the supervisors, so "the agents of Tier 2" or "the supervisors" is one Query
 * on the table itself, with no index and no Scan.
 */
export const tierMemberPartition = (tier: Tier): string => `TIER#${tier}#MEMBERS`;
/**
 * The people directory's lists, each one partition of membership links sorted by email: every
 * person (`PEOPLE#MEMBERS`), per role (supervisors were the first), per tier group (agents), per
 * state (active or not). A filtered list is one Query on the narrowest of them; an entry written
 * before these partitions existed joins them on its next write.
 */
export const rolePartition = (role: string): string => `ROLE#${role}#MEMBERS`;
export const SUPERVISOR_MEMBER_PARTITION = rolePartition('supervisor');
export const groupMemberPartition = (group: string): string => `GROUP#${group}#MEMBERS`;
export const PEOPLE_PARTITION = 'PEOPLE#MEMBERS';
export const statePartition = (active: boolean): string => `PEOPLE#${active ? 'active' : 'inactive'}`;
const MEMBER_PREFIX = 'USER#';
export const memberKey = (partition: string, email: string): Key => ({
  pk: partition,
  sk: `${MEMBER_PREFIX}${email}`,
});
/** Where a directory list stopped: the email of the last person on the page. */
export const memberPosition = (key: Record<string, unknown>): string =>
  String(key[TABLE.sortKey]).slice(MEMBER_PREFIX.length);

// ---- configuration: one document, stored whole per version ----------------------------------

/** The document new work reads: one item, swapped whole by each change. */
export const CONFIG_CURRENT_KEY: Key = { pk: 'CONFIG', sk: 'CURRENT' };
/**
 * The current version's number alone: a small item, read fresh, beside the versions themselves,
 * which never change once written and so are kept by every reader that has read them.
 */
export const CONFIG_POINTER_KEY: Key = { pk: 'CONFIG', sk: 'POINTER' };

/**
 * Every version of the document, its summary (who, when, what changed) and the same changes per
 * kind (the audit log filtered by kind), each a partition ordered by version.
 */
export const CONFIG_PARTITIONS = {
  versions: 'CONFIG#VERSIONS',
  history: 'CONFIG#HISTORY',
  audit: (kind: string) => `CONFIG#AUDIT#${kind}`,
} as const;
export const configVersionKey = (partition: string, version: number): Key => ({
  pk: partition,
  sk: `VERSION#${pad(version)}`,
});
export const configVersionOf = (key: Record<string, unknown>): number => {
  const match = /^VERSION#(\d{10})$/.exec(String(key[TABLE.sortKey]));
  if (!match) throw new Error(`Not a configuration version key: ${JSON.stringify(key)}`);
  return Number(match[1]);
};

// ---- index partitions (what a Query names) -------------------------------------------------

export const personPartition = (email: string): string => `PERSON#${email}`;
export const tierQueuePartition = (tier: Tier): string => `QUEUE#${tier}`;
export const tierStatusPartition = (tier: Tier, status: Status): string => `QUEUE#${tier}#${status}`;
export const assigneePartition = (email: string): string => `ASSIGNEE#${email}`;

const newestFirst = (ticket: Pick<Ticket, 'createdAt' | 'number'>): string =>
  `${ticket.createdAt}#${pad(ticket.number)}`;
const byDeadline = (ticket: Pick<Ticket, 'dueAt' | 'number'>): string =>
  `${ticket.dueAt ?? NO_DEADLINE}#${pad(ticket.number)}`;

const personIndexKeys = (ticket: Pick<Ticket, 'createdAt' | 'number'>, email: string) => ({
  [TABLE.indexes.byPerson.partitionKey]: personPartition(email),
  [TABLE.indexes.byPerson.sortKey]: newestFirst(ticket),
});

/** The finder index's one partition: every ticket, newest first (see `ticketListingKeys`). */
export const FINDER_PARTITION = 'TICKETS';

/**
 * The index attributes of a ticket item. Every ticket is in the finder index (`gsi5`), whatever
 * its status. Queue and assignee indexes are sparse: a resolved or closed ticket carries none of
 * their attributes, so it drops out of every work queue.
 */
export const ticketIndexKeys = (ticket: Ticket): Record<string, string> => {
  const { tierQueue, tierStatusQueue, byAssignee, finder } = TABLE.indexes;
  const attributes: Record<string, string> = {
    ...personIndexKeys(ticket, ticket.requester),
    [finder.partitionKey]: FINDER_PARTITION,
    [finder.sortKey]: newestFirst(ticket),
  };
  if (!isUnresolved(ticket.status)) return attributes;
  attributes[tierQueue.partitionKey] = tierQueuePartition(ticket.tier);
  attributes[tierQueue.sortKey] = byDeadline(ticket);
  attributes[tierStatusQueue.partitionKey] = tierStatusPartition(ticket.tier, ticket.status);
  attributes[tierStatusQueue.sortKey] = byDeadline(ticket);
  if (ticket.assignee) {
    attributes[byAssignee.partitionKey] = assigneePartition(ticket.assignee);
    attributes[byAssignee.sortKey] = byDeadline(ticket);
  }
  return attributes;
};

/** A watcher link sorts in the watcher's person partition exactly where the ticket would. */
export const watcherIndexKeys = personIndexKeys;

/**
 * Ticket listings: for finding tickets by a value few tickets share, a small copy of each ticket
 * is kept in the table itself under its assignee (`ASSIGNED#<email>`, any status) and under each
 * of its tags (`TAGGED#<tag>`), newest first, so "the tickets tagged vpn" is one Query with no
 * index and no Scan (as the knowledge base's listings are). A listing carries what a search
 * filters on (status, tier, priority) and is written in the ticket's own transaction whenever its
 * assignee, tags or those fields change; it never moves in its partition (the ticket's creation
 * time and number do not change).
 */
export const assigneeListingPartition = (email: string): string => `ASSIGNED#${email}`;
export const tagListingPartition = (tag: string): string => `TAGGED#${tag}`;

export const ticketListingKeys = (
  ticket: Pick<Ticket, 'assignee' | 'tags' | 'createdAt' | 'number'>,
): Key[] =>
  [
    ...(ticket.assignee ? [assigneeListingPartition(ticket.assignee)] : []),
    ...ticket.tags.map(tagListingPartition),
  ].map((pk) => ({ pk, sk: newestFirst(ticket) }));

/** After every ticket number: the end of a creation-time range in a newest-first sort key. */
const AFTER_EVERY_NUMBER = '~';

/**
 * Sort key bounds of a creation-time range (ISO instants, both ends included) in every
 * newest-first partition: the person, finder and listing partitions share the `<createdAt>#<n>`
 * shape.
 */
export const createdBounds = (range: { from?: string; to?: string }) => ({
  ...(range.from !== undefined && { from: range.from }),
  ...(range.to !== undefined && { to: `${range.to}#${AFTER_EVERY_NUMBER}` }),
});

/** The workflow's parking record of a ticket: the task token it waits on, and for which version. */
export const workflowKey = (number: number): Key => ({ pk: ticketKey(number).pk, sk: 'WORKFLOW' });

// ---- operations (see shared/ops) ---------------------------------------------------------------

/**
 * An incident: one execution of a ticket's workflow that ended FAILED, TIMED_OUT or ABORTED, kept
 * beside the ticket (every incident of a ticket is one Query), one item per execution.
 */
const INCIDENT_PREFIX = 'INCIDENT#';
export const incidentKey = (number: number, execution: string): Key => ({
  pk: ticketKey(number).pk,
  sk: `${INCIDENT_PREFIX}${execution}`,
});
export const INCIDENT_SORT_PREFIX = INCIDENT_PREFIX;

/**
 * The open incidents of one status, newest first: a listing per status and one per status and
 * tier, so `status=FAILED&tier=2` is one Query with no filter. A resolved incident leaves both.
 */
export const incidentListPartition = (status: string, tier?: Tier): string =>
  tier === undefined ? `OPS#INCIDENTS#${status}` : `OPS#INCIDENTS#${status}#T${tier}`;

/** A place in an incident listing: when the execution stopped, its ticket and name. */
export interface IncidentPosition {
  stoppedAt: string;
  number: number;
  execution: string;
}

export const incidentListKey = (partition: string, at: IncidentPosition): Key => ({
  pk: partition,
  sk: `${at.stoppedAt}#${pad(at.number)}#${at.execution}`,
});

export const incidentPosition = (key: Record<string, unknown>): IncidentPosition => {
  const match = /^(.+)#(\d{10})#(ticket-\d+-g\d+)$/.exec(String(key[TABLE.sortKey]));
  if (!match?.[1] || !match[3]) throw new Error(`Not an incident listing key: ${JSON.stringify(key)}`);
  return { stoppedAt: match[1], number: Number(match[2]), execution: match[3] };
};

/** An ops job (bulk redrive, reconciliation): its request, progress and result. */
export const opsJobKey = (id: string): Key => ({ pk: `OPSJOB#${id}`, sk: 'OPSJOB' });
/** Jobs waiting for the scheduled runner on AWS, oldest first. */
export const OPS_JOB_QUEUE_PARTITION = 'OPS#JOBQUEUE';
export const opsJobQueueKey = (requestedAt: string, id: string): Key => ({
  pk: OPS_JOB_QUEUE_PARTITION,
  sk: `${requestedAt}#${id}`,
});

/**
 * A stream batch the stream processor gave up on (the local stack's failure destination; on AWS
 * the SQS dead-letter queue), oldest first, until the reconciliation has dealt with it.
 */
export const STREAM_DEAD_LETTER_PARTITION = 'OPS#STREAMDLQ';
export const streamDeadLetterKey = (at: string, id: string): Key => ({
  pk: STREAM_DEAD_LETTER_PARTITION,
  sk: `${at}#${id}`,
});

/** The ticket a table key belongs to (a ticket's item or anything beside it), if any. */
export const ticketNumberOfKey = (key: Record<string, unknown>): number | undefined => {
  const match = /^TICKET#(\d{10})$/.exec(String(key[TABLE.partitionKey]));
  return match ? Number(match[1]) : undefined;
};

// ---- list positions: where a page stopped ----------------------------------------------------
//
// A page cursor carries the domain values the last key of the page was built from, never the key
// itself; the key to resume from is rebuilt here. So a cursor, even a hand-made one, can only
// ever name a key of the shape this module builds.

/** A place in a ticket's timeline: the version that wrote the event and its index. */
export interface EventPosition {
  version: number;
  index: number;
}

/** A place in a person's list: the ticket (or the person's watcher link to it). */
export interface PersonListPosition {
  number: number;
  createdAt: string;
  watched: boolean;
}

/** A place in a queue ordered by deadline (tier, tier and status, assignee). */
export interface QueuePosition {
  number: number;
  dueAt?: string;
}

export type QueueIndex = Exclude<IndexName, 'byPerson' | 'finder'>;

/** A place in a newest-first list of tickets (the finder index, a listing). */
export interface FinderPosition {
  number: number;
  createdAt: string;
}

export const eventStartKey = (number: number, at: EventPosition): Record<string, string> => ({
  ...eventKey(number, at.version, at.index),
});

export const eventPosition = (key: Record<string, unknown>): EventPosition => {
  const match = new RegExp(`^${EVENT_PREFIX}(\\d{10})#(\\d{3})$`).exec(String(key[TABLE.sortKey]));
  if (!match) throw new Error(`Not a timeline event key: ${JSON.stringify(key)}`);
  return { version: Number(match[1]), index: Number(match[2]) };
};

export const personListStartKey = (email: string, at: PersonListPosition): Record<string, string> => ({
  ...(at.watched ? watcherKey(at.number, email) : ticketKey(at.number)),
  ...personIndexKeys(at, email),
});

export const personListPosition = (key: Record<string, unknown>): PersonListPosition => {
  const { prefix, number } = splitIndexSortKey(key[TABLE.indexes.byPerson.sortKey]);
  return { number, createdAt: prefix, watched: String(key[TABLE.sortKey]).startsWith(WATCHER_PREFIX) };
};

export const queueStartKey = (
  index: QueueIndex,
  partition: string,
  at: QueuePosition,
): Record<string, string> => ({
  ...ticketKey(at.number),
  [TABLE.indexes[index].partitionKey]: partition,
  [TABLE.indexes[index].sortKey]: byDeadline(at),
});

export const queuePosition = (index: QueueIndex, key: Record<string, unknown>): QueuePosition => {
  const { prefix, number } = splitIndexSortKey(key[TABLE.indexes[index].sortKey]);
  return prefix === NO_DEADLINE ? { number } : { number, dueAt: prefix };
};

export const finderStartKey = (at: FinderPosition): Record<string, string> => ({
  ...ticketKey(at.number),
  [TABLE.indexes.finder.partitionKey]: FINDER_PARTITION,
  [TABLE.indexes.finder.sortKey]: newestFirst(at),
});

export const finderPosition = (key: Record<string, unknown>): FinderPosition => {
  const { prefix, number } = splitIndexSortKey(key[TABLE.indexes.finder.sortKey]);
  return { number, createdAt: prefix };
};

export const listingStartKey = (partition: string, at: FinderPosition): Record<string, string> => ({
  pk: partition,
  sk: newestFirst(at),
});

export const listingPosition = (key: Record<string, unknown>): FinderPosition => {
  const { prefix, number } = splitIndexSortKey(key[TABLE.sortKey]);
  return { number, createdAt: prefix };
};

/** `<timestamp or ~>#<padded number>`: the shape of every ticket index sort key. */
const splitIndexSortKey = (value: unknown): { prefix: string; number: number } => {
  const match = /^(.+)#(\d{10})$/.exec(String(value));
  if (!match?.[1]) throw new Error(`Not a ticket index sort key: ${String(value)}`);
  return { prefix: match[1], number: Number(match[2]) };
};

// ---- email (see mail-store.ts) -------------------------------------------------------------

/**
 * A Message-ID Tierdesk saw or sent, pointing at its ticket: threading looks replies up by it.
 * The id is stored normalized (`normalizeMessageId`), so a lookup by an id read from a reply hits.
 */
export const messageIdKey = (normalizedId: string): Key => ({ pk: `MSGID#${normalizedId}`, sk: 'MSGID' });

/** The claim of one inbound mail (`ParsedMail.dedupeKey`): a second delivery stops at it. */
export const mailDedupeKey = (dedupeKey: string): Key => ({
  pk: `MAILDEDUPE#${dedupeKey}`,
  sk: 'MAILDEDUPE',
});

/** Mail kept aside without a ticket (spam, virus, malformed), one item per raw object. */
export const mailQuarantinePartition = 'MAILQUARANTINE';
export const mailQuarantineKey = (at: string, rawKey: string): Key => ({
  pk: mailQuarantinePartition,
  sk: `${at}#${rawKey}`,
});

/** Automatic mails sent to one address on one UTC day (`yyyy-mm-dd`), for the daily cap. */
export const automaticMailCounterKey = (address: string, day: string): Key => ({
  pk: `AUTOMAIL#${address}#${day}`,
  sk: 'AUTOMAIL',
});

/**
 * The ticket and event id a timeline event item belongs to, read back from its key (a stream
 * record carries the item, not the domain values); undefined for any other item.
 */
export const timelineEventOf = (
  key: Record<string, unknown>,
): { ticket: number; eventId: string } | undefined => {
  const ticket = /^TICKET#(\d{10})$/.exec(String(key[TABLE.partitionKey]));
  const sk = String(key[TABLE.sortKey]);
  if (!ticket || !new RegExp(`^${EVENT_PREFIX}\\d{10}#\\d{3}$`).test(sk)) return undefined;
  return { ticket: Number(ticket[1]), eventId: eventId({ pk: String(key[TABLE.partitionKey]), sk }) };
};

/**
 * A mail thread of a ticket: the Message-IDs outbound mail answers to (In-Reply-To) and lists
 * (References), so the mail of a ticket lands in one conversation in the recipient's client.
 * One item per conversation (`party`: the requester's side, the vendor, the desk's staff).
 */
export const mailThreadKey = (ticket: number, party: string): Key => ({
  pk: `MAILTHREAD#${pad(ticket)}`,
  sk: party,
});

/**
 * The claim of one outbound mail: the mail an event calls for, to one recipient. A redelivered
 * stream record finds it and sends nothing twice.
 */
export const outboundMailKey = (ticket: number, eventId: string, recipient: string): Key => ({
  pk: `MAILOUT#${pad(ticket)}#${eventId}#${recipient}`,
  sk: 'MAILOUT',
});

/** An address loop detection flagged: no automatic mail to it until the item expires. */
/** The last notice an agent got about a ticket: at most one per person per ticket per window. */
export const staffNoticeKey = (ticket: number, address: string, kind: string): Key => ({
  pk: `NOTICE#${pad(ticket)}#${kind}#${address}`,
  sk: 'NOTICE',
});

export const mailSuppressionKey = (address: string): Key => ({
  pk: `MAILSUPPRESS#${address}`,
  sk: 'MAILSUPPRESS',
});

// ---- knowledge base (see article-store.ts) --------------------------------------------------

/** An article: its id is a lower-case slug without `#`, so it cannot break out of the key. */
export const articleKey = (id: string): Key => ({ pk: `ARTICLE#${id}`, sk: 'ARTICLE' });

/** An article's history sorts under it by the version each entry produced. */
export const REVISION_PREFIX = 'REVISION#';
export const articleRevisionKey = (id: string, version: number): Key => ({
  pk: articleKey(id).pk,
  sk: `${REVISION_PREFIX}${pad(version)}`,
});

/** A place in an article's history: the version of the entry. */
export interface RevisionPosition {
  version: number;
}

export const revisionPosition = (key: Record<string, unknown>): RevisionPosition => {
  const match = new RegExp(`^${REVISION_PREFIX}(\\d{10})$`).exec(String(key[TABLE.sortKey]));
  if (!match) throw new Error(`Not an article revision key: ${JSON.stringify(key)}`);
  return { version: Number(match[1]) };
};

/**
 * Article listings: a summary of each article is copied under every list it belongs to (all
 * articles, its category, each of its tags), so "the articles tagged vpn" is one Query on the
 * table itself, consistent with the article (the copies are written in the article's
 * transaction), with no index and no Scan. Requesters' lists are separate partitions holding
 * only what they may read, so their pages are full pages and never read a hidden item.
 */
export type ArticleListAudience = 'public' | 'staff';
export type ArticleList =
  | { kind: 'all' }
  | { kind: 'tag'; tag: string }
  | { kind: 'category'; category: string };

export const articleListPartition = (audience: ArticleListAudience, list: ArticleList): string => {
  switch (list.kind) {
    case 'all':
      return `KBLIST#${audience}#all`;
    case 'tag':
      return `KBLIST#${audience}#tag#${list.tag}`;
    case 'category':
      return `KBLIST#${audience}#category#${list.category}`;
  }
};

/** Listings sort by article id. */
export const articleListKey = (audience: ArticleListAudience, list: ArticleList, id: string): Key => ({
  pk: articleListPartition(audience, list),
  sk: id,
});

/** The lists an article with these tags and this category appears in. */
export const articleListsOf = (article: { tags: readonly string[]; category: string }): ArticleList[] => [
  { kind: 'all' },
  { kind: 'category', category: article.category },
  ...article.tags.map((tag): ArticleList => ({ kind: 'tag', tag })),
];

/** A place in an article listing: the id of the last article read. */
export interface ArticleListPosition {
  id: string;
}

export const articleListPosition = (key: Record<string, unknown>): ArticleListPosition => ({
  id: String(key[TABLE.sortKey]),
});

/** "This article solved it": one atomic counter per article, and one for the whole desk. */
export const deflectionCounterKey = (articleId?: string): Key => ({
  pk: articleId === undefined ? 'KBCOUNTER#total' : `KBCOUNTER#article#${articleId}`,
  sk: 'DEFLECTIONS',
});

/**
 * "This article solved it" from one person (or one anonymous source) on one UTC day
 * (`yyyy-mm-dd`): the first call writes it and is counted, a repeat finds it and is not. `who`
 * is the person's id, or `source:<hash>` for an anonymous caller, and names the ticket it resolved
 * when there is one.
 */
export const deflectionMarkKey = (articleId: string, day: string, who: string): Key => ({
  pk: `KBDEFLECTED#${articleId}#${day}#${who}`,
  sk: 'KBDEFLECTED',
});

/**
 * The requests one anonymous source (`source`: a hash of its address) made to one group of routes
 * (`bucket`) in the window starting at `windowStart` (epoch seconds): one counter item per window.
 */
export const requestWindowKey = (bucket: string, source: string, windowStart: number): Key => ({
  pk: `REQWINDOW#${bucket}#${source}#${windowStart}`,
  sk: 'REQWINDOW',
});

// ---- reports (see shared/reports) -----------------------------------------------------------

/**
 * A report cell: the figures of one day (in the desk's time zone) × tier × group × priority ×
 * channel, counters and sketch buckets as attributes of one item. A month is one partition, so
 * a report over a range reads one Query per month, sorted by day.
 */
export const reportMonthPartition = (month: string): string => `REPORT#${month}`;
export const reportCellKey = (cell: {
  day: string;
  tier: number;
  group: string;
  priority: string;
  channel: string;
}): Key => ({
  pk: reportMonthPartition(cell.day.slice(0, 7)),
  sk: `${cell.day}#${cell.tier}#${cell.group}#${cell.priority}#${cell.channel}`,
});

/**
 * The mark that a stream record's figures were counted (`source`: the ticket and version, the
 * quarantine or deflection item): written in the same transaction as the counts, so a record
 * delivered again finds it and counts nothing. It expires after the stream's 24 hours.
 */
export const reportMarkKey = (source: string): Key => ({ pk: `REPORTED#${source}`, sk: 'REPORTED' });
