import { Client, createClient } from 'graphql-ws';
import { ws } from '../src/live/ws';

/**
 * graphql-ws clients for the live-feed tests (AL-5): `connect(token)` opens a lazy client on `url()`
 * with the token in connection_init (none when undefined), no retries; `dispose()` closes them all.
 */
export function liveClients(url: () => string): { connect(token: string | undefined): Client; dispose(): Promise<void> } {
  const clients: Client[] = [];
  return {
    connect(token) {
      const client = createClient({ url: url(), webSocketImpl: ws.WebSocket, connectionParams: token ? { authorization: `Bearer ${token}` } : {}, retryAttempts: 0, lazy: true });
      clients.push(client);
      return client;
    },
    async dispose() {
      for (const c of clients) await c.dispose();
    },
  };
}

/** Polls `probe` every 20 ms until it gives a value; fails after `ms` (the feed's "within 1 s"). */
export async function within<T>(probe: () => T | undefined, ms = 1000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() - start > ms) throw new Error(`nothing within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
