/**
 * The WebSocket proxy for the live alert feed: an upgrade on the gateway's `/subscriptions`
 * is tunnelled to the alerts app (real TCP on both legs; the upstream is a raw upgrade echo).
 */
import { createServer, IncomingHttpHeaders, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { UpstreamUrls } from '../upstreams';
import { attachSubscriptionsProxy } from './rest-proxy';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** Upgraded sockets leave the server's own bookkeeping: track every socket to close it. */
const sockets = new Set<Duplex>();
function track(server: Server): Server {
  server.on('connection', (socket: Duplex) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return server;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function upgrade(port: number, path: string): Promise<{ headers: IncomingHttpHeaders; echoed: string } | { status: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { connection: 'Upgrade', upgrade: 'websocket' } });
    req.on('upgrade', (res, socket) => {
      socket.once('data', (chunk: Buffer) => {
        socket.destroy();
        resolve({ headers: res.headers, echoed: chunk.toString() });
      });
      socket.write('ping');
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    req.end();
  });
}

describe(attachSubscriptionsProxy.name, () => {
  const upstream = track(createServer((_req, res) => res.end('upstream')));
  const gateway = track(
    createServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    }),
  );
  let detach: () => void;
  let gatewayPort: number;

  beforeAll(async () => {
    upstream.on('upgrade', (req, socket: Duplex) => {
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `X-Upstream-Path: ${req.url}\r\nX-Upstream-Request-Id: ${req.headers['x-request-id'] ?? ''}\r\n\r\n`,
      );
      socket.on('data', (chunk: Buffer) => socket.write(Buffer.concat([Buffer.from('echo:'), chunk])));
    });
    const upstreamPort = await listen(upstream);
    const alerts = `http://127.0.0.1:${upstreamPort}`;
    const urls: UpstreamUrls = { identity: 'http://x', correction: 'http://x', resettlement: 'http://x', aftercare: 'http://x', alerts };
    detach = attachSubscriptionsProxy(gateway, urls);
    gatewayPort = await listen(gateway);
  });

  afterAll(async () => {
    detach();
    for (const socket of sockets) socket.destroy();
    await Promise.all([close(gateway), close(upstream)]);
  });

  it('tunnels an upgrade on /subscriptions to the alerts app, with a request id', async () => {
    const result = await upgrade(gatewayPort, '/subscriptions');
    expect(result).toEqual({
      headers: expect.objectContaining({ 'x-upstream-path': '/subscriptions', 'x-upstream-request-id': expect.any(String) }),
      echoed: 'echo:ping',
    });
  });

  it('leaves upgrades on other paths alone', async () => {
    const socketClosed = upgrade(gatewayPort, '/graphql').then(
      () => 'answered',
      () => 'closed',
    );
    // Nobody handles the upgrade: Node keeps the socket open, so give it a moment and compare.
    const winner = await Promise.race([socketClosed, new Promise((resolve) => setTimeout(() => resolve('not proxied'), 300))]);
    expect(winner).toBe('not proxied');
  });
});
