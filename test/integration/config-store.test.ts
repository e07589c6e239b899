import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_BUSINESS_HOURS,
  DEMO_PRINTER_VENDOR,
  DEMO_ROUTING,
  DEMO_STANDARD_POLICY,
  DEMO_TIER_GROUPS,
} from '#infra/local/demo/service-levels';
import { seedDemoConfig } from '#infra/local/seed';
import { ConflictError, ValidationError } from '#shared/domain/errors';
import { routeFor } from '#shared/domain/ticket';
import { freshTable } from '#test/support/table';

let env: Awaited<ReturnType<typeof freshTable>>;
beforeAll(async () => {
  env = await freshTable();
  await seedDemoConfig(env.config);
});
afterAll(() => env.drop());

describe('Class: DynamoConfigStore', () => {
  it('reads back the seeded demo configuration', async () => {
    expect(await env.config.getCalendar('business-hours')).toEqual(DEMO_BUSINESS_HOURS);
    expect((await env.config.listCalendars()).map((calendar) => calendar.id).sort()).toEqual([
      '24x7',
      'business-hours',
    ]);
    expect(await env.config.getVendor(DEMO_PRINTER_VENDOR.vendorId)).toEqual(DEMO_PRINTER_VENDOR);
    expect(await env.config.listVendors()).toEqual([DEMO_PRINTER_VENDOR]);
    expect(await env.config.getGroup('tier2')).toEqual(
      DEMO_TIER_GROUPS.find((group) => group.id === 'tier2'),
    );
    expect(await env.config.listGroups()).toHaveLength(DEMO_TIER_GROUPS.length);
    const rules = await env.config.routingRules();
    expect(rules).toHaveLength(DEMO_ROUTING.length);
    expect(routeFor(rules, 'security/incident/phishing')?.group).toBe('tier2-security');
    expect(await env.config.getVendor('nobody')).toBeUndefined();
  });

  describe('Method: putCalendar (and every write that carries a calendar)', () => {
    it('refuses an invalid calendar with a ValidationError naming the field, and writes nothing', async () => {
      // Prepare: overlapping spans on Monday, a holiday that is no date, a zone that does not exist
      const overlapping = {
        ...DEMO_BUSINESS_HOURS,
        id: 'broken',
        weekly: {
          mon: [
            ['09:00', '13:00'],
            ['12:00', '17:00'],
          ],
        },
      } as const;
      const badHoliday = { ...DEMO_BUSINESS_HOURS, id: 'broken', holidays: ['2026-02-30'] };
      const badZone = { ...DEMO_BUSINESS_HOURS, id: 'broken', timeZone: 'Europe/Atlantis' };

      // Act / Assess
      for (const calendar of [overlapping, badHoliday, badZone]) {
        await expect(env.config.putCalendar(calendar)).rejects.toThrow(ValidationError);
        await expect(
          env.config.putVendor({ ...DEMO_PRINTER_VENDOR, vendorId: 'broken', calendar }),
        ).rejects.toThrow(ValidationError);
        await expect(
          env.config.publishPolicy({ ...DEMO_STANDARD_POLICY, id: 'broken', calendar }),
        ).rejects.toThrow(ValidationError);
      }
      expect(await env.config.getCalendar('broken')).toBeUndefined();
      expect(await env.config.getVendor('broken')).toBeUndefined();
      expect(await env.config.getPolicy('broken')).toBeUndefined();
    });
  });

  describe('Method: publishPolicy', () => {
    it('keeps every version, makes the newest current, and accepts a replay of the same version', async () => {
      expect(await env.config.getPolicy('standard')).toEqual(DEMO_STANDARD_POLICY);
      const v2 = { ...DEMO_STANDARD_POLICY, version: 2, warnAt: 0.5 };
      await env.config.publishPolicy(v2);
      await env.config.publishPolicy(DEMO_STANDARD_POLICY);
      expect(await env.config.getPolicy('standard')).toEqual(v2);
      expect(await env.config.getPolicy('standard', 1)).toEqual(DEMO_STANDARD_POLICY);
      expect(await env.config.getPolicy('other')).toBeUndefined();
    });

    it('never changes a published version: a different body for it is a ConflictError', async () => {
      await expect(env.config.publishPolicy({ ...DEMO_STANDARD_POLICY, reopenWindow: 1 })).rejects.toThrow(
        ConflictError,
      );
      expect(await env.config.getPolicy('standard', 1)).toEqual(DEMO_STANDARD_POLICY);
    });
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
    expect(await env.directory.getUser('ann@example.com')).toEqual(user('ann@example.com', [], 'supervisor'));
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
