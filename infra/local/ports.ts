import { createServer } from 'node:net';

/** Whether a server can listen on `port` on loopback right now. */
const canListen = (port: number): Promise<boolean> =>
  assertPortFree(port, 'a chosen port').then(
    () => true,
    () => false,
  );

/** The OS's choice of a free port (from its ephemeral range). */
const osPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

/**
 * Ports below the ephemeral ranges (Linux 32768–60999, macOS and Windows 49152–65535), where the
 * OS also picks the local port of every outgoing connection.
 */
const CHOSEN_PORTS = { from: 20_000, to: 32_767 };
const ATTEMPTS = 50;

/**
 * A free TCP port on loopback for a server that listens later: the stack chooses its ports first
 * (the functions' environment names them) and starts the servers once the rest is up. A port the
 * OS hands out is from its ephemeral range, and by the time the server listens an outgoing
 * connection (to DynamoDB Local, say) may hold it as its local port: "already in use". A port
 * below that range, free when chosen, stays free unless another server takes it.
 */
export const freePort = async (): Promise<number> => {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = CHOSEN_PORTS.from + Math.floor(Math.random() * (CHOSEN_PORTS.to - CHOSEN_PORTS.from + 1));
    if (await canListen(port)) return port;
  }
  return osPort();
};

/** Fails with a message a person can act on when something else already listens on `port`. */
export const assertPortFree = (port: number, what: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} (${what}) is already in use. Stop whatever uses it or choose another port (see README).`
            : `Cannot listen on port ${port} (${what}): ${error.message}`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
