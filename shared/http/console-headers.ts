/**
 * The console's security headers: one definition that CloudFront's response headers policy and
 * the local console server both send. The Content-Security-Policy allows scripts and styles from
 * the console's own origin only (no inline script, no eval), calls to the API and the identity
 * provider only, and no framing.
 */
export interface ConsoleOrigins {
  /** Where the console may send requests: the API, and on AWS the Cognito domain. */
  connect: readonly string[];
  /** Where sign-in forms may post (Cognito managed login). */
  forms?: readonly string[];
}

export const contentSecurityPolicy = (origins: ConsoleOrigins): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${origins.connect.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${(origins.forms ?? []).join(' ')}`.trim(),
    "frame-ancestors 'none'",
  ].join('; ');

/** Headers beside the CSP (CloudFront sets them through its own fields; the local server sends these). */
export const CONSOLE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};
