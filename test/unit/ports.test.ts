import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '#infra/local/ports';

/** The local stack's ports: chosen where outgoing connections never take them, and free. */
describe('Function: freePort', () => {
  it('chooses ports below the ephemeral ranges that a server can then listen on', async () => {
    const ports = await Promise.all(Array.from({ length: 8 }, () => freePort()));

    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(32_768);
    }
    const server = createServer();
    await new Promise<void>((listening) => server.listen(ports[0], '127.0.0.1', listening));
    expect(server.listening).toBe(true);
    await new Promise((closed) => server.close(closed));
  });
});
