/**
 * Issue 11 item 3: Hive Gateway federates a subgraph's Subscription over graphql-ws. A real
 * graphql-ws client on the gateway's /graphql; the alerts fake subgraph serves graphql-ws on its
 * own /graphql; the alert's Person is resolved from identity; the token is checked on connect.
 */
import { KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Client, createClient } from 'graphql-ws';
import jwt from 'jsonwebtoken';
import { generateRsaKeyPairSync, loadConfig } from '@homeward/platform';
import { testRedisPrefix, testRedisUrl } from '@homeward/testing';
import { FakeUpstream, startFakeUpstream } from '../../test/fake-upstreams';
import { GatewayConfig } from '../config';
import { createGatewayApp } from '../create-app';

jest.setTimeout(30_000);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WebSocket } = require('ws');

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const KID = 'sub-key-1';

interface LiveAlert {
  id: string;
  town: string;
  person: { key: string; maskedName: string };
}

describe('Hive Gateway: a federated subscription over graphql-ws (medium)', () => {
  const keys: { privateKey: KeyObject; publicKey: KeyObject } = generateRsaKeyPairSync(2048);
  const sign = (k = keys) =>
    jwt.sign({ kind: 'STAFF', usr: 'officer104', roles: ['TOWN_OFFICER'], towns: ['104'] }, k.privateKey, {
      algorithm: 'RS256',
      keyid: KID,
      issuer: 'homeward-identity',
      audience: 'homeward',
      subject: 'u-1',
      expiresIn: 300,
    });
  const upstreams: FakeUpstream[] = [];
  const connectionParams: unknown[] = [];
  const upgradeHeaders: Array<Record<string, unknown>> = [];
  const SECRET = 'subgraph-secret-for-the-socket-0123456789';
  const clients: Client[] = [];
  let app: INestApplication;
  let wsUrl: string;

  beforeAll(async () => {
    const identity = await startFakeUpstream({
      name: 'identity',
      sdl: `${LINK} type Query { identityPing: String } type Person @key(fields: "key") { key: ID! maskedName: String! }`,
      resolvers: { Person: { __resolveReference: (ref: { key: string }) => ({ key: ref.key, maskedName: `张*${ref.key.slice(-2)}` }) } },
      configure: (a) => {
        a.get('/.well-known/jwks.json', (_req, res) => {
          res.json({ keys: [{ ...keys.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] });
        });
      },
    });
    const alerts = await startFakeUpstream({
      name: 'alerts',
      sdl: `${LINK}
        type Query { alertsPing: String }
        type Subscription { alertChanged(towns: [String!]): LiveAlert! }
        type LiveAlert { id: ID! town: String! person: Person! }
        type Person @key(fields: "key", resolvable: false) { key: ID! }`,
      subscriptions: { connectionParams, upgradeHeaders },
      resolvers: {
        Subscription: {
          alertChanged: {
            subscribe: async function* (_: unknown, args: { towns?: string[] }) {
              for (const a of [
                { id: 'a-107', town: '107', person: { key: 'pk-07' } },
                { id: 'a-104', town: '104', person: { key: 'pk-04' } },
              ]) {
                await new Promise((r) => setTimeout(r, 50));
                if (!args.towns || args.towns.includes(a.town)) yield { alertChanged: a };
              }
            },
          },
        },
      },
    });
    upstreams.push(identity, alerts);
    for (const name of ['correction', 'resettlement', 'aftercare']) {
      upstreams.push(await startFakeUpstream({ name, sdl: `${LINK} type Query { ${name}Ping: String }`, resolvers: {} }));
    }
    const url = (name: string) => upstreams.find((u) => u.name === name)!.url;
    const config = loadConfig(GatewayConfig, {
      NODE_ENV: 'test',
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: testRedisPrefix('gateway-subs'),
      LOG_LEVEL: 'warn',
      IDENTITY_URL: url('identity'),
      CORRECTION_URL: url('correction'),
      RESETTLEMENT_URL: url('resettlement'),
      AFTERCARE_URL: url('aftercare'),
      ALERTS_URL: url('alerts'),
      SUBGRAPH_SHARED_SECRET: SECRET,
    });
    app = await createGatewayApp({ config, logger: false });
    await app.listen(0, '127.0.0.1');
    wsUrl = `ws://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await app?.close();
    await Promise.all(upstreams.map((u) => u.close()));
  });

  const connect = (token?: string) => {
    const c = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: token ? { authorization: `Bearer ${token}` } : {}, retryAttempts: 0, lazy: true });
    clients.push(c);
    return c;
  };

  it("AL-5: the alerts subgraph's subscription through the gateway, filtered by towns, its Person resolved from identity, the caller's token passed on", async () => {
    const got: LiveAlert[] = [];
    const token = sign();
    await new Promise<void>((resolve, reject) => {
      connect(token).subscribe<{ alertChanged: LiveAlert }>(
        { query: 'subscription { alertChanged(towns: ["104"]) { id town person { key maskedName } } }' },
        { next: (r) => (r.data ? got.push(r.data.alertChanged) : reject(new Error(JSON.stringify(r.errors)))), error: reject, complete: resolve },
      );
    });
    expect(got).toEqual([{ id: 'a-104', town: '104', person: { key: 'pk-04', maskedName: '张*04' } }]);
    expect(connectionParams).toContainEqual({ authorization: `Bearer ${token}` });
    // In production the subgraph refuses a socket without the gateway secret on the upgrade.
    expect(upgradeHeaders.map((h) => h['x-homeward-gateway-secret'])).toContain(SECRET);
  });

  it('the token is checked on connect: none, or one not signed by identity, is closed with 4403', async () => {
    const other = generateRsaKeyPairSync(2048);
    for (const token of [undefined, sign(other)]) {
      const client = connect(token);
      const closed = new Promise<number>((resolve) => client.on('closed', (e) => resolve((e as { code: number }).code)));
      client.subscribe({ query: 'subscription { alertChanged { id } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
      expect(await closed).toBe(4403);
    }
  });
});
