import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { parseListClaim, principalOf } from '#shared/auth/identity';
import { AuthenticationError } from '#shared/domain/errors';

const withClaims = (claims?: Record<string, string>) =>
  ({
    requestContext: { authorizer: claims ? { jwt: { claims, scopes: null } } : undefined },
  }) as unknown as APIGatewayProxyEventV2;

describe('Module: identity', () => {
  it.each([
    ['[tier1 tier2]', ['tier1', 'tier2']],
    ['[supervisors]', ['supervisors']],
    ['[]', []],
    ['admins', ['admins']],
  ])('reads the API Gateway rendering %s of a list claim', (value, groups) => {
    expect(parseListClaim(value)).toEqual(groups);
  });

  it('takes the email claim as the identity (Cognito sub is an opaque id)', () => {
    const p = principalOf(
      withClaims({ sub: '6f1c-uuid', email: 'Alice@Example.com', 'cognito:groups': '[tier1]' }),
    );
    expect({ id: p.id, roles: [...p.roles], tiers: p.tiers }).toEqual({
      id: 'alice@example.com',
      roles: ['agent'],
      tiers: [1],
    });
  });

  it('is unauthenticated without claims or without an email identity', () => {
    expect(() => principalOf(withClaims())).toThrow(AuthenticationError);
    expect(() => principalOf(withClaims({ sub: 'opaque-id' }))).toThrow(AuthenticationError);
  });
});
