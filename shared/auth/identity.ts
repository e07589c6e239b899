import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { AuthenticationError } from '#shared/domain/errors';
import { type Principal, principalFromGroups } from '#shared/domain/principal';

/**
 * The one place that reads identity from a request. On AWS the HTTP API JWT authorizer has
 * verified a Cognito ID token and hands its claims over as strings (array claims flattened to
 * `"[tier1 tier2]"`); the local server verifies its dev tokens and hands them over the same way.
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

export const principalOf = (event: APIGatewayProxyEventV2): Principal => {
  const claims = claimsOf(event);
  // Cognito's `sub` is an opaque id, its `email` the person; local dev tokens carry both as the email.
  const id = claims?.email ?? claims?.sub;
  if (typeof id !== 'string' || !id.includes('@')) {
    throw new AuthenticationError('The token carries no email identity.');
  }
  return principalFromGroups(id, parseListClaim(claims?.['cognito:groups']));
};
