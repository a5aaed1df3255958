import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { APPS, freePort, stackRuntime, Supervisor } from '@homeward/devstack';
import { testRedisPrefix, testRedisUrl } from '@homeward/testing';

jest.setTimeout(120_000);

/**
 * The gateway waits for a supergraph before it listens. Nest keeps an HTTP app's logs in a buffer
 * until its start-up has finished, so a gateway whose composition kept failing said nothing at all
 * (CI, 2026-12-02: "gateway was not ready within 180 s", an empty log). It must say why it waits.
 */
describe('gateway start-up: a composition that keeps failing is logged while it waits', () => {
  let stub: Server;
  let stubUrl: string;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-gw-start-'));
  const supervisor = new Supervisor({ log: () => undefined, logDir });

  beforeAll(async () => {
    // Every subgraph URL points here: alive, but its `_service` answers no SDL.
    stub = createServer((req, res) => {
      if (req.url === '/health/live') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"errors":[{"message":"stub subgraph: no schema here"}]}'));
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    stubUrl = `http://127.0.0.1:${(stub.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await supervisor.stopAll(2_000);
    await new Promise((resolve) => stub.close(resolve));
    fs.rmSync(logDir, { recursive: true, force: true });
  });

  it('names the failing subgraph and the reason within seconds, and does not listen meanwhile', async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      PORT: String(port),
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: testRedisPrefix('gw-start'),
      LOG_LEVEL: 'info',
      CLOCK_CONTROL: 'false',
      IDENTITY_URL: stubUrl,
    };
    for (const app of APPS) if (app.name !== 'gateway') env[app.urlEnv] = stubUrl;
    const proc = supervisor.spawnApp('gateway', env, stackRuntime(process.env, ['gateway']));
    const deadline = Date.now() + 90_000;
    let output = '';
    while (Date.now() < deadline && !/Composition attempt 2 failed/.test(output)) {
      if (proc.child.exitCode !== null) throw new Error(`the gateway exited (${proc.child.exitCode}):\n${supervisor.tail('gateway')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      output = supervisor.tail('gateway', 200);
    }
    expect(output).toMatch(/Composition attempt 1 failed, retrying in \d+ ms: .*_service answered 200 \(stub subgraph: no schema here\)/);
    expect(output).toMatch(/Composition attempt 2 failed/);
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });
});
