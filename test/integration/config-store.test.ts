import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_BUSINESS_HOURS,
  DEMO_PRINTER_VENDOR,
  DEMO_STANDARD_POLICY,
} from '#infra/local/demo/service-levels';
import { seedDemoConfig } from '#infra/local/seed';
import type { ConfigStore } from '#shared/config/config-store';
import { configReader } from '#shared/config/reader';
import { routeFor } from '#shared/domain/ticket';
import { freshTable } from '#test/support/table';

let env: Awaited<ReturnType<typeof freshTable>>;
beforeAll(async () => {
  env = await freshTable();
  await seedDemoConfig(env.admin);
});
afterAll(() => env.drop());

describe('Function: configReader', () => {
  it('reads back the seeded demo desk in the engine shapes', async () => {
    expect(await env.config.getCalendar('business-hours')).toEqual(DEMO_BUSINESS_HOURS);
    expect(await env.config.getVendor(DEMO_PRINTER_VENDOR.vendorId)).toEqual(DEMO_PRINTER_VENDOR);
    expect((await env.config.listVendors()).map((vendor) => vendor.vendorId)).toEqual([
      'printix',
      'netcarrier',
    ]);
    expect(await env.config.getGroup('tier2')).toEqual({
      id: 'tier2',
      tier: 2,
      name: 'Specialists',
      assignment: 'least_loaded',
    });
    expect(await env.config.getPolicy('standard')).toEqual(DEMO_STANDARD_POLICY);
    expect((await env.config.policyFor('P1')).id).toBe('major-incident');
    expect((await env.config.policyFor('P3')).id).toBe('standard');
    const rules = await env.config.routingRules();
    expect(routeFor(rules, 'security/incident/phishing')?.group).toBe('tier2-security');
    expect(await env.config.getVendor('nobody')).toBeUndefined();
  });
});

/** The table's config store, counting what each reader asks of it. */
const counted = (store: ConfigStore, { withPointer = true } = {}) => {
  const calls = { current: 0, currentVersion: 0, version: [] as number[] };
  const wrapped: ConfigStore = {
    current: (options) => {
      calls.current++;
      return store.current(options);
    },
    ...(withPointer && {
      currentVersion: () => {
        calls.currentVersion++;
        return store.currentVersion?.() ?? Promise.resolve(undefined);
      },
    }),
    version: (version) => {
      calls.version.push(version);
      return store.version(version);
    },
    records: (kind, page) => store.records(kind, page),
    commit: (commit) => store.commit(commit),
  };
  return { store: wrapped, calls };
};

describe('Function: configReader (versions kept, the pointer read fresh)', () => {
  let vendors = 0;
  const newVendor = () =>
    env.putVendor({
      ...DEMO_PRINTER_VENDOR,
      vendorId: `vendor-${++vendors}`,
      name: `Vendor ${vendors}`,
      email: `support@vendor-${vendors}.example`,
      aliases: [],
    });

  it('applies a new version to the very next read, and reads each version’s document once', async () => {
    const { store, calls } = counted(env.configs);
    const reader = configReader(store, { ttlMs: 0 });
    const first = await reader.current();
    expect(first.version).toBe((await env.configs.current({ consistent: true })).version);
    for (let n = 0; n < 3; n++) expect((await reader.current()).version).toBe(first.version);
    expect(calls).toEqual({ current: 0, currentVersion: 4, version: [first.version] });

    await newVendor();
    expect((await reader.current()).version).toBe(first.version + 1);
    expect(await reader.getVendor(`vendor-${vendors}`)).toMatchObject({ name: `Vendor ${vendors}` });
    expect(calls.version).toEqual([first.version, first.version + 1]);
    expect(calls.current).toBe(0);
  });

  it('never serves a stale document: after every change it reads what the table holds', async () => {
    const reader = configReader(env.configs, { ttlMs: 0 });
    for (let n = 0; n < 4; n++) {
      await newVendor();
      expect(await reader.current()).toEqual(await env.configs.current({ consistent: true }));
      expect((await reader.listVendors()).map((vendor) => vendor.vendorId)).toContain(`vendor-${vendors}`);
    }
  });

  it('reads the current document where no pointer was written yet (a table configured before it)', async () => {
    const { store, calls } = counted(env.configs, { withPointer: false });
    const reader = configReader(store, { ttlMs: 0 });
    expect(await reader.current()).toEqual(await env.configs.current({ consistent: true }));
    expect(calls).toMatchObject({ current: 1, version: [] });
  });
});

describe('Class: DynamoTicketStore (directory)', () => {
  const user = (email: string, tiers: (1 | 2 | 3)[], role: 'agent' | 'supervisor' = 'agent') => ({
    email,
    name: email.split('@')[0] ?? email,
    role,
    tiers,
    updatedAt: '2026-11-01T00:00:00.000Z',
  });
  const members = async (tier: 1 | 2 | 3) =>
    (await env.directory.tierMembers(tier)).map((member) => member.email);

  it('lists the agents of a tier, and keeps the lists in step when tiers or roles change', async () => {
    await env.directory.putUser(user('ann@example.com', [1, 2]));
    await env.directory.putUser(user('ben@example.com', [2]));
    expect(await members(1)).toEqual(['ann@example.com']);
    expect(await members(2)).toEqual(['ann@example.com', 'ben@example.com']);

    await env.directory.putUser(user('ann@example.com', [3]));
    expect(await members(1)).toEqual([]);
    expect(await members(2)).toEqual(['ben@example.com']);
    expect(await members(3)).toEqual(['ann@example.com']);

    await env.directory.putUser(user('ann@example.com', [], 'supervisor'));
    expect(await members(3)).toEqual([]);
    expect(await env.directory.getUser('ann@example.com')).toMatchObject(
      user('ann@example.com', [], 'supervisor'),
    );
    expect((await env.directory.supervisors()).map((member) => member.email)).toEqual(['ann@example.com']);

    await env.directory.putUser(user('ann@example.com', [1]));
    expect(await env.directory.supervisors()).toEqual([]);
    expect(await members(1)).toEqual(['ann@example.com']);
  });

  it('survives concurrent changes to one person: the memberships match the last entry', async () => {
    const changes = [[1], [2], [3], [1, 3], [2, 3]] as (1 | 2 | 3)[][];
    await Promise.all(changes.map((tiers) => env.directory.putUser(user('cat@example.com', tiers))));
    const final = (await env.directory.getUser('cat@example.com'))?.tiers ?? [];
    for (const tier of [1, 2, 3] as const) {
      expect((await members(tier)).includes('cat@example.com')).toBe(final.includes(tier));
    }
  });

  it('counts turns per group', async () => {
    expect(await env.assignments.nextAssignmentTurn('g1')).toBe(1);
    expect(await env.assignments.nextAssignmentTurn('g1')).toBe(2);
    expect(await env.assignments.nextAssignmentTurn('g2')).toBe(1);
  });
});
