import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createdBounds,
  eventId,
  eventKey,
  eventPosition,
  eventStartKey,
  finderPosition,
  finderStartKey,
  listingPosition,
  listingStartKey,
  personListPosition,
  personListStartKey,
  queuePosition,
  queueStartKey,
  ticketIndexKeys,
  ticketKey,
  ticketListingKeys,
  watcherIndexKeys,
  watcherKey,
} from '#shared/store/keys';
import { createTableInput, keyAttributes, TABLE } from '#shared/store/table';
import { storedTicket } from '#test/support/fixtures';

const ticket = storedTicket;

describe('Module: keys', () => {
  it('orders ticket keys numerically as strings (zero padding)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9_999_999_999 }),
        fc.integer({ min: 1, max: 9_999_999_999 }),
        (a, b) => {
          // DynamoDB orders string keys by UTF-8 bytes, which `<` matches for these ASCII keys.
          expect(ticketKey(a).pk < ticketKey(b).pk).toBe(a < b);
        },
      ),
    );
  });

  it('orders timeline events by version, then index, under their ticket', () => {
    const keys = [eventKey(7, 10, 0), eventKey(7, 2, 1), eventKey(7, 2, 0)].map((key) => key.sk).sort();
    expect(keys).toEqual([eventKey(7, 2, 0).sk, eventKey(7, 2, 1).sk, eventKey(7, 10, 0).sk]);
    expect(eventKey(7, 2, 0).pk).toBe(ticketKey(7).pk);
    expect(eventId(eventKey(7, 2, 1))).toBe('0000000002#001');
  });

  it('puts an unresolved ticket in its tier queue, its status queue, its assignee list and the finder', () => {
    const keys = ticketIndexKeys(
      ticket({ status: 'open', tier: 2, assignee: 'tom@example.com', dueAt: '2026-11-21T09:00:00.000Z' }),
    );
    expect(keys).toEqual({
      gsi1pk: 'PERSON#alice@example.com',
      gsi1sk: '2026-11-20T10:00:00.000Z#0000000042',
      gsi2pk: 'QUEUE#2',
      gsi2sk: '2026-11-21T09:00:00.000Z#0000000042',
      gsi3pk: 'QUEUE#2#open',
      gsi3sk: '2026-11-21T09:00:00.000Z#0000000042',
      gsi4pk: 'ASSIGNEE#tom@example.com',
      gsi4sk: '2026-11-21T09:00:00.000Z#0000000042',
      gsi5pk: 'TICKETS',
      gsi5sk: '2026-11-20T10:00:00.000Z#0000000042',
    });
  });

  it.each(['resolved', 'closed'] as const)(
    'keeps a %s ticket out of every queue (sparse indexes), in the finder',
    (status) => {
      expect(Object.keys(ticketIndexKeys(ticket({ status, assignee: 'tom@example.com' })))).toEqual([
        'gsi1pk',
        'gsi1sk',
        'gsi5pk',
        'gsi5sk',
      ]);
    },
  );

  it('lists a ticket under its assignee and each of its tags, newest first like the finder', () => {
    const t = ticket({ assignee: 'tom@example.com', tags: ['vpn', 'wifi'] });
    expect(ticketListingKeys(t)).toEqual([
      { pk: 'ASSIGNED#tom@example.com', sk: '2026-11-20T10:00:00.000Z#0000000042' },
      { pk: 'TAGGED#vpn', sk: '2026-11-20T10:00:00.000Z#0000000042' },
      { pk: 'TAGGED#wifi', sk: '2026-11-20T10:00:00.000Z#0000000042' },
    ]);
    expect(ticketListingKeys(ticket())).toEqual([]);
    expect(ticketListingKeys(t)[0]?.sk).toBe(ticketIndexKeys(t).gsi5sk);
  });

  it('bounds a creation range so that both ends are included, whatever the ticket number', () => {
    const at = '2026-11-20T10:00:00.000Z';
    const sortKey = ticketIndexKeys(ticket({ createdAt: at, number: 9_999_999_999 })).gsi5sk as string;
    const { from, to } = createdBounds({ from: at, to: at });
    expect(from !== undefined && from <= sortKey).toBe(true);
    expect(to !== undefined && sortKey <= to).toBe(true);
    expect(createdBounds({})).toEqual({});
  });

  it('queues tickets without a deadline behind those with one', () => {
    const withDeadline = ticketIndexKeys(ticket({ number: 99, dueAt: '2099-01-01T00:00:00.000Z' }))
      .gsi2sk as string;
    const without = ticketIndexKeys(ticket({ number: 1 })).gsi2sk as string;
    expect(withDeadline < without).toBe(true);
  });

  it('sorts a watcher link where the watched ticket sorts in the requester list', () => {
    const t = ticket();
    expect(watcherIndexKeys(t, 'carol@example.com')).toEqual({
      gsi1pk: 'PERSON#carol@example.com',
      gsi1sk: ticketIndexKeys(t).gsi1sk,
    });
  });
});

describe('Module: keys, list positions', () => {
  it('reads the position of a stored item back from its keys, and rebuilds exactly those keys', () => {
    const t = ticket({
      status: 'open',
      tier: 2,
      assignee: 'tom@example.com',
      dueAt: '2026-11-21T09:00:00.000Z',
    });
    const item: Record<string, string> = { ...ticketKey(t.number), ...ticketIndexKeys(t) };
    const own = personListPosition(item);
    expect(own).toEqual({ number: 42, createdAt: t.createdAt, watched: false });
    expect(personListStartKey(t.requester, own)).toEqual({
      pk: item.pk,
      sk: item.sk,
      gsi1pk: item.gsi1pk,
      gsi1sk: item.gsi1sk,
    });
    const link = {
      ...watcherKey(t.number, 'carol@example.com'),
      ...watcherIndexKeys(t, 'carol@example.com'),
    };
    expect(personListStartKey('carol@example.com', personListPosition(link))).toEqual(link);
    const queued = queuePosition('byAssignee', item);
    expect(queued).toEqual({ number: 42, dueAt: '2026-11-21T09:00:00.000Z' });
    expect(queueStartKey('byAssignee', 'ASSIGNEE#tom@example.com', queued)).toEqual({
      pk: item.pk,
      sk: item.sk,
      gsi4pk: item.gsi4pk,
      gsi4sk: item.gsi4sk,
    });
    const undated = ticketIndexKeys(ticket({ number: 7 }));
    expect(queuePosition('tierQueue', undated)).toEqual({ number: 7 });
    const event = eventKey(42, 3, 1);
    expect(eventStartKey(42, eventPosition({ ...event }))).toEqual(event);
    const found = finderPosition(item);
    expect(found).toEqual({ number: 42, createdAt: t.createdAt });
    expect(finderStartKey(found)).toEqual({
      pk: item.pk,
      sk: item.sk,
      gsi5pk: 'TICKETS',
      gsi5sk: item.gsi5sk,
    });
    const [listing] = ticketListingKeys(t);
    expect(listing && listingStartKey(listing.pk, listingPosition({ ...listing }))).toEqual(listing);
  });
});

describe('Module: table', () => {
  it('declares every key attribute once, as a string, for the table and each index', () => {
    const input = createTableInput('tierdesk-test');
    expect(input.AttributeDefinitions.map((a) => a.AttributeName)).toEqual(keyAttributes());
    expect(new Set(keyAttributes()).size).toBe(keyAttributes().length);
    expect(input.GlobalSecondaryIndexes.map((index) => index.IndexName)).toEqual(
      Object.values(TABLE.indexes).map((index) => index.indexName),
    );
    expect(input.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });
});
