import { createRemoteJWKSet, decodeJwt, type JWTPayload, jwtVerify } from 'jose';

/**
 * An OpenID Connect issuer the local stack trusts besides its dev key: a Cognito user pool, or a
 * local OAuth 2.0 / OIDC test server. The local API accepts its ID tokens as API Gateway's JWT
 * authorizer accepts Cognito's, and the console signs people in through it with the same code
 * (authorization code + PKCE) that runs on AWS.
 */
export interface TrustedIssuer {
  /** The issuer (`iss`), whose `/.well-known/openid-configuration` names its keys. */
  issuer: string;
  /** The console's client id: the audience its ID tokens carry. */
  clientId: string;
  /** A non-standard logout endpoint (Cognito's `https://<domain>/logout`); default: the provider's end-session endpoint. */
  logoutUrl?: string;
}

/** Whether a token names this issuer (unverified: only to choose which key checks it). */
export const isIssuedBy = (trusted: TrustedIssuer, token: string): boolean => {
  try {
    return decodeJwt(token).iss === trusted.issuer;
  } catch {
    return false;
  }
};

/**
 * What API Gateway's JWT authorizer checks: the signature by one of the issuer's published keys,
 * the issuer, the expiry, and `aud` (an ID token) or `client_id` (an access token) naming the
 * client. The keys are discovered on first use and cached, refetched for an unknown key id.
 */
export const issuerVerifier = (trusted: TrustedIssuer): ((token: string) => Promise<JWTPayload>) => {
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const discover = async () => {
    const url = `${trusted.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
    if (!jwksUri) throw new Error(`${url} names no jwks_uri`);
    return createRemoteJWKSet(new URL(jwksUri));
  };
  return async (token) => {
    keys ??= discover().catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    const { payload } = await jwtVerify(token, await keys, {
      issuer: trusted.issuer,
      requiredClaims: ['exp'],
    });
    const audiences = [payload.aud ?? []].flat();
    if (!audiences.includes(trusted.clientId) && payload.client_id !== trusted.clientId) {
      throw Object.assign(new Error('The token is not for this client.'), { claim: 'aud' });
    }
    return payload;
  };
};
