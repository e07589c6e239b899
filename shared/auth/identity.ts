import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Clock } from '#shared/domain/clock';
import { AuthenticationError, ForbiddenError } from '#shared/domain/errors';
import { type Principal, principalFromStanding, type Standing } from '#shared/domain/principal';

/**
 * The one place that reads identity from a request. On AWS the HTTP API JWT authorizer has
 * verified a Cognito ID token and hands its claims over as strings (array claims flattened to
 * `"[tier1 tier2]"`); the local server verifies its dev tokens and hands them over the same way.
 *
 * The token says who is calling, never what they may do: ID tokens live an hour and API
 * Gateway's authorizer ignores revocation, so a role or tier taken away would outlive the change.
 * What a person may do follows the people directory (`PrincipalResolver`), read per request or
 * remembered for at most a minute; the token's `cognito:groups` are not read for authorization.
 */

/** The claims object as API Gateway v2 delivers it to a JWT-authorized route. */
type Claims = Record<string, string | number | boolean | string[]>;

const claimsOf = (event: APIGatewayProxyEventV2): Claims | undefined =>
  (event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } }).authorizer?.jwt?.claims;

/** API Gateway renders a list claim as `[a b c]`; a raw list is accepted too. */
export const parseListClaim = (value: Claims[string] | undefined): string[] => {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  const text = String(value).trim();
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return inner.split(/[\s,]+/).filter(Boolean);
};

/** Whether the request came through the JWT authorizer (an anonymous route's has no claims). */
const isAuthenticated = (event: APIGatewayProxyEventV2): boolean => claimsOf(event) !== undefined;

/** The caller's email, as the token names them. */
const emailOf = (event: APIGatewayProxyEventV2): string => {
  const claims = claimsOf(event);
  // Cognito's `sub` is an opaque id, its `email` the person; local dev tokens carry both as the email.
  const id = claims?.email ?? claims?.sub;
  if (typeof id !== 'string' || !id.includes('@')) {
    throw new AuthenticationError('The token carries no email identity.');
  }
  return id;
};

/** Looks a person's directory entry up by email (`Directory.getUser` fits). */
export type StandingLookup = (email: string) => Promise<Standing | undefined>;

/** The most a resolved principal may be remembered: the promise made to admins. */
const PRINCIPAL_TTL_MS = 60_000;

/**
 * Who a caller is to the desk, from the directory entry of their token's email. A Lambda
 * container keeps one resolver, so a warm function reads each person at most once per `ttlMs`
 * (never more than {@link PRINCIPAL_TTL_MS}): a change in the directory reaches every token,
 * already issued or not, within that time.
 */
export class PrincipalResolver {
  private readonly remembered = new Map<string, { standing: Standing | undefined; until: number }>();
  private readonly ttlMs: number;

  constructor(
    private readonly lookup: StandingLookup,
    private readonly clock: Clock,
    ttlMs: number = PRINCIPAL_TTL_MS,
  ) {
    this.ttlMs = Math.min(Math.max(ttlMs, 0), PRINCIPAL_TTL_MS);
  }

  /** The caller's principal; a deactivated person is refused (403). */
  async resolve(email: string): Promise<Principal> {
    const standing = await this.standingOf(email.trim().toLowerCase());
    if (standing && !standing.active) throw new ForbiddenError('account deactivated');
    return principalFromStanding(email, standing);
  }

  private async standingOf(email: string): Promise<Standing | undefined> {
    const now = this.clock.now().getTime();
    const known = this.remembered.get(email);
    if (known && known.until > now) return known.standing;
    const found = await this.lookup(email);
    const standing = found && { role: found.role, tiers: [...found.tiers], active: found.active };
    // A container serves few people; dropping expired entries keeps the map that size.
    for (const [key, entry] of this.remembered) if (entry.until <= now) this.remembered.delete(key);
    if (this.ttlMs > 0) this.remembered.set(email, { standing, until: now + this.ttlMs });
    return standing;
  }
}

/** Principals resolved for the requests in flight (`authorize` below writes, `principalOf` reads). */
const resolved = new WeakMap<APIGatewayProxyEventV2, Principal>();

/** Resolves an authenticated request's principal; the API handler chain runs this before a handler. */
export const authorize = async (
  event: APIGatewayProxyEventV2,
  resolver: PrincipalResolver,
): Promise<void> => {
  if (!isAuthenticated(event)) return;
  resolved.set(event, await resolver.resolve(emailOf(event)));
};

/** The caller, as the directory had them when the request came in. */
export const principalOf = (event: APIGatewayProxyEventV2): Principal => {
  const principal = resolved.get(event);
  if (!principal) throw new AuthenticationError('The request carries no identity.');
  return principal;
};
