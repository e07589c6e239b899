/**
 * The console's runtime settings, `/config.json` beside `index.html`: written at deploy time on
 * AWS (the API URL, the Cognito domain and client) and served by the local stack locally, so one
 * build runs everywhere.
 */
export type AuthSettings =
  | {
      kind: 'dev';
      /** The local stack's sign-in stand-ins (`GET /_local/people`, `POST /_local/token`). */
      devUrl: string;
    }
  | {
      kind: 'oidc';
      /** The OpenID issuer (Cognito: `https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
      authority: string;
      clientId: string;
      /** Where the identity provider signs out (Cognito managed login: `https://<domain>/logout`). */
      logoutUrl?: string;
      scope?: string;
    };

export interface Settings {
  apiUrl: string;
  auth: AuthSettings;
  /** The desk's name, shown in the header. */
  deskName?: string;
}

export const loadSettings = async (): Promise<Settings> => {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok)
    throw new Error(`The console's settings (/config.json) could not be read: HTTP ${response.status}`);
  return (await response.json()) as Settings;
};
