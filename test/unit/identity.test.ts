import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { authorize, PrincipalResolver, parseListClaim, principalOf } from '#shared/auth/identity';
import { AuthenticationError, ForbiddenError } from '#shared/domain/errors';
import type { Standing } from '#shared/domain/principal';

const withClaims = (claims?: Record<string, string>) =>
  ({
    requestContext: { authorizer: claims ? { jwt: { claims, scopes: null } } : undefined },
  }) as unknown as APIGatewayProxyEventV2;

/** A directory of one map, counting its reads, on a clock the test moves. */
const world = (people: Record<string, Standing>) => {
  let now = Date.parse('2026-11-20T14:00:00Z');
  let reads = 0;
  const lookup = async (email: string) => {
    reads++;
    return people[email];
  };
  return {
    people,
    clock: { now: () => new Date(now) },
    advance: (ms: number) => {
      now += ms;
    },
    reads: () => reads,
    lookup,
  };
};

const principalFor = async (resolver: PrincipalResolver, claims: Record<string, string>) => {
  const event = withClaims(claims);
  await authorize(event, resolver);
  const p = principalOf(event);
  return { id: p.id, roles: [...p.roles], tiers: p.tiers };
};

describe('Module: identity', () => {
  it.each([
    ['[tier1 tier2]', ['tier1', 'tier2']],
    ['[supervisors]', ['supervisors']],
    ['[]', []],
    ['admins', ['admins']],
  ])('reads the API Gateway rendering %s of a list claim', (value, groups) => {
    expect(parseListClaim(value)).toEqual(groups);
  });

  describe('Class: PrincipalResolver', () => {
    it("takes the role and tiers from the directory entry of the token's email, not from its groups", async () => {
      // Prepare
      const w = world({ 'alice@example.com': { role: 'agent', tiers: [2, 1], active: true } });
      const resolver = new PrincipalResolver(w.lookup, w.clock);
      // Act
      const p = await principalFor(resolver, {
        sub: 'uuid',
        email: 'Alice@Example.com',
        'cognito:groups': '[admins]',
      });
      // Assess
      expect(p).toEqual({ id: 'alice@example.com', roles: ['agent'], tiers: [1, 2] });
    });

    it('makes someone the directory does not know a requester', async () => {
      const w = world({});
      const p = await principalFor(new PrincipalResolver(w.lookup, w.clock), {
        email: 'new@example.com',
        'cognito:groups': '[tier3 admins]',
      });
      expect(p).toEqual({ id: 'new@example.com', roles: ['requester'], tiers: [] });
    });

    it('refuses a deactivated person with 403 "account deactivated"', async () => {
      const w = world({ 'gone@example.com': { role: 'admin', tiers: [], active: false } });
      await expect(
        principalFor(new PrincipalResolver(w.lookup, w.clock), { email: 'gone@example.com' }),
      ).rejects.toThrow(new ForbiddenError('account deactivated'));
    });

    it('remembers a person for the TTL and reads the directory again after it', async () => {
      // Prepare
      const w = world({ 'omar@example.com': { role: 'agent', tiers: [2], active: true } });
      const resolver = new PrincipalResolver(w.lookup, w.clock, 60_000);
      await principalFor(resolver, { email: 'omar@example.com' });
      w.people['omar@example.com'] = { role: 'agent', tiers: [1], active: true };
      // Act
      w.advance(59_000);
      const cached = await principalFor(resolver, { email: 'omar@example.com' });
      w.advance(2_000);
      const fresh = await principalFor(resolver, { email: 'omar@example.com' });
      // Assess
      expect(cached.tiers).toEqual([2]);
      expect(fresh.tiers).toEqual([1]);
      expect(w.reads()).toBe(2);
    });

    it('never remembers longer than 60 s, whatever TTL it is given', async () => {
      const w = world({ 'sam@example.com': { role: 'supervisor', tiers: [], active: true } });
      const resolver = new PrincipalResolver(w.lookup, w.clock, 3_600_000);
      await principalFor(resolver, { email: 'sam@example.com' });
      w.people['sam@example.com'] = { role: 'supervisor', tiers: [], active: false };
      w.advance(60_001);
      await expect(principalFor(resolver, { email: 'sam@example.com' })).rejects.toThrow(ForbiddenError);
    });

    it('reads the directory on every request with a TTL of 0', async () => {
      const w = world({});
      const resolver = new PrincipalResolver(w.lookup, w.clock, 0);
      await principalFor(resolver, { email: 'a@example.com' });
      await principalFor(resolver, { email: 'a@example.com' });
      expect(w.reads()).toBe(2);
    });
  });

  it('is unauthenticated without an email identity, and principalOf needs a resolved request', async () => {
    const w = world({});
    const resolver = new PrincipalResolver(w.lookup, w.clock);
    await expect(authorize(withClaims({ sub: 'opaque-id' }), resolver)).rejects.toThrow(AuthenticationError);
    expect(() => principalOf(withClaims({ email: 'a@example.com' }))).toThrow(AuthenticationError);
  });
});
