import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { CONSOLE_HEADERS, contentSecurityPolicy } from '#shared/http/console-headers';
import { buildConsole } from '../../web/build.ts';
import type { TrustedIssuer } from './oidc.ts';

/**
 * The local console: the web app built as for AWS and served as CloudFront serves it — hashed
 * assets cached for a year, `index.html` for every other path (the app routes in the browser),
 * the same security headers — plus `/config.json`, the runtime settings that point it at the
 * local API and its development sign-in.
 */

export interface LocalConsole {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export const startLocalConsole = async (options: {
  port: number;
  apiUrl: string;
  host?: string;
  /** Build into this folder (default `web/dist`). */
  outdir?: string;
  /** Origins the console calls besides the API: the local S3, where attachment files are uploaded. */
  connect?: readonly string[];
  /** Sign in through this OpenID Connect issuer instead of the development sign-in. */
  oidc?: TrustedIssuer;
}): Promise<LocalConsole> => {
  const built = await buildConsole(options.outdir);
  const root = built.outdir;
  const { oidc } = options;
  const settings = JSON.stringify({
    apiUrl: options.apiUrl,
    auth: oidc
      ? {
          kind: 'oidc',
          authority: oidc.issuer,
          clientId: oidc.clientId,
          ...(oidc.logoutUrl ? { logoutUrl: oidc.logoutUrl } : {}),
        }
      : { kind: 'dev', devUrl: `${options.apiUrl}/_local` },
    deskName: 'Tierdesk (local)',
  });
  // As on AWS: the page may call the identity provider (discovery, token endpoint) and post to it.
  const provider = oidc ? [new URL(oidc.issuer).origin] : [];
  const headers = {
    ...CONSOLE_HEADERS,
    'content-security-policy': contentSecurityPolicy({
      connect: [options.apiUrl, ...(options.connect ?? []), ...provider],
      forms: provider,
    }),
  };

  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent((request.url ?? '/').split('?')[0] ?? '/');
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/config.json') {
      response
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(settings);
      return;
    }
    const file = normalize(join(root, path));
    const inside = file.startsWith(`${root}${sep}`);
    const isFile = inside && (await stat(file).catch(() => undefined))?.isFile();
    if (isFile && path !== '/index.html') {
      const immutable = path.startsWith('/assets/');
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      response.end(request.method === 'HEAD' ? undefined : await readFile(file));
      return;
    }
    // A missing asset is a 404; every other path is a page of the app.
    if (path.startsWith('/assets/')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-cache' });
    response.end(request.method === 'HEAD' ? undefined : await readFile(join(root, 'index.html')));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${options.port} (Tierdesk console) is already in use. Stop whatever uses it or choose another port.`,
            )
          : error,
      ),
    );
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
