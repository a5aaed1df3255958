import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { applyServerKeepAlive, upstreamAgent } from '@homeward/platform';
import { UpstreamUnavailableError, createUpstreamFetcher } from './upstream-fetcher';

jest.setTimeout(30_000);

interface TestServer {
  url: string;
  server: Server;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A real HTTP server on a free port; `handle` answers (or not) each request. */
async function startServer(handle: (req: IncomingMessage, res: ServerResponse, nth: number) => void): Promise<TestServer> {
  let n = 0;
  let conns = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    n += 1;
    handle(req, res, n);
  });
  server.on('connection', (s: Socket) => {
    conns += 1;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    server,
    connections: () => conns,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const answer = (res: ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ data: { ok: true } }));
};
const body = JSON.stringify({ query: '{ ok }' });
const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('issue 14 item 9: keep-alive between the gateway and the subgraphs (real sockets)', () => {
  /** The race made deterministic: the server closes a kept-alive socket just as the next request arrives on it. */
  const closesReusedSockets = () =>
    startServer((req, res) => {
      const socket = req.socket as Socket & { served?: boolean };
      if (socket.served) {
        socket.destroy(); // closed as the request arrived: nothing was done with it
        return;
      }
      socket.served = true;
      answer(res);
    });

  it('issue 14 item 9: a reused socket closed by the server before any answer byte is retried once on a new socket', async () => {
    const upstream = await closesReusedSockets();
    const agent = upstreamAgent();
    try {
      const fetcher = createUpstreamFetcher({ upstream: 'community-correction', agent });
      const first = await fetcher(upstream.url, init);
      expect(first.status).toBe(200);
      const second = await fetcher(upstream.url, init); // on the pooled socket, which the server closes
      expect(second.status).toBe(200);
      expect(await second.json()).toEqual({ data: { ok: true } });
      expect(upstream.connections()).toBe(2);
    } finally {
      agent.destroy();
      await upstream.close();
    }
  });

  it('issue 14 item 9: a connection left idle exactly as long as the server keep-alive timeout is not reused (the agent closed it first)', async () => {
    const serverTimeout = 1_000;
    const upstream = await startServer((_req, res) => answer(res));
    applyServerKeepAlive(upstream.server, serverTimeout);
    const agent = upstreamAgent(serverTimeout / 2);
    try {
      const fetcher = createUpstreamFetcher({ upstream: 'community-correction', agent });
      for (let round = 0; round < 3; round++) {
        expect((await fetcher(upstream.url, init)).status).toBe(200);
        await sleep(serverTimeout);
      }
      expect((await fetcher(upstream.url, init)).status).toBe(200);
      expect(upstream.connections()).toBe(4);
    } finally {
      agent.destroy();
      await upstream.close();
    }
  });

  it('issue 14 item 9: an upstream that stays down is reported by service name, never by its internal address', async () => {
    const upstream = await startServer((req) => req.socket.destroy());
    const agent = upstreamAgent();
    try {
      const fetcher = createUpstreamFetcher({ upstream: 'community-correction', agent });
      const failure = await fetcher(upstream.url, init).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(UpstreamUnavailableError);
      expect((failure as Error).message).toContain('community-correction');
      expect((failure as Error).message).not.toMatch(/127\.0\.0\.1|socket hang up|:\d{4,5}/);
    } finally {
      agent.destroy();
      await upstream.close();
    }
  });
});
