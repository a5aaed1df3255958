/** Issue 14 item 5: bull-board on the gateway, for SYSTEM_ADMIN only, over every queue of the house (real Redis). */
import { KeyObject } from 'node:crypto';
import { Logger, type INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { houseQueueNames } from '@homeward/bus';
import { generateRsaKeyPairSync, loadConfig } from '@homeward/platform';
import { flushRedisPrefix, testRedisPrefix, testRedisUrl } from '@homeward/testing';
import { startFakeUpstream, type FakeUpstream } from '../../test/fake-upstreams';
import { GatewayConfig } from '../config';
import { createGatewayApp } from '../create-app';
import { QUEUES_COOKIE, QUEUES_PATH } from './bull-board.mounter';

jest.setTimeout(30_000);

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const KID = 'queues-key-1';

describe('gateway: bull-board at /admin/queues (real Redis)', () => {
  const keys: { privateKey: KeyObject; publicKey: KeyObject } = generateRsaKeyPairSync(2048);
  const prefix = testRedisPrefix('gw-queues');
  let upstreams: FakeUpstream[] = [];
  let app: INestApplication;
  let connection: IORedis;
  let queue: Queue;

  const token = (roles: string[]) =>
    jwt.sign({ kind: 'STAFF', usr: 'ops', roles, towns: ['*'] }, keys.privateKey, {
      algorithm: 'RS256',
      keyid: KID,
      issuer: 'homeward-identity',
      audience: 'homeward',
      subject: 'u-ops',
      expiresIn: 300,
    });
  const get = (path: string, bearer?: string) => {
    const r = request(app.getHttpServer()).get(`${QUEUES_PATH}${path}`);
    return bearer ? r.set('authorization', `Bearer ${bearer}`) : r;
  };

  beforeAll(async () => {
    const names = ['identity', 'correction', 'resettlement', 'aftercare', 'alerts'];
    upstreams = await Promise.all(
      names.map((name) =>
        startFakeUpstream({
          name,
          sdl: `${LINK}\n type Query { ${name}Ping: String }`,
          resolvers: {},
          configure:
            name === 'identity'
              ? (e) => e.get('/.well-known/jwks.json', (_req, res) => res.json({ keys: [{ ...keys.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] }))
              : undefined,
        }),
      ),
    );
    const url = (n: string) => upstreams[names.indexOf(n)].url;
    const config = loadConfig(GatewayConfig, {
      NODE_ENV: 'test',
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      IDENTITY_URL: url('identity'),
      CORRECTION_URL: url('correction'),
      RESETTLEMENT_URL: url('resettlement'),
      AFTERCARE_URL: url('aftercare'),
      ALERTS_URL: url('alerts'),
    });
    app = await createGatewayApp({ config, logger: false });
    connection = new IORedis(testRedisUrl(), { maxRetriesPerRequest: null });
    queue = new Queue('events.alerts', { connection, prefix });
    await queue.add('correction.subject.enrolled', { id: 'e-1' }, { jobId: 'e-1', delay: 600_000 });
  });

  afterAll(async () => {
    await queue?.close();
    connection?.disconnect();
    await app?.close();
    await Promise.all(upstreams.map((u) => u.close()));
    await flushRedisPrefix(testRedisUrl(), prefix);
  });

  it('issue 14 item 5: a SYSTEM_ADMIN sees every queue of the house with its jobs (the gateway prefix)', async () => {
    const res = await get('/api/queues?activeQueue=events.alerts&status=delayed&page=1', token(['SYSTEM_ADMIN'])).expect(200);
    const queues = res.body.queues as { name: string; counts: Record<string, number>; readOnlyMode: boolean; jobs: { id: string }[] }[];
    expect(queues.map((q) => q.name).sort()).toEqual([...houseQueueNames()].sort());
    const alerts = queues.find((q) => q.name === 'events.alerts');
    expect(alerts?.counts.delayed).toBe(1);
    expect(alerts?.jobs.map((j) => j.id)).toEqual(['e-1']);
    // read-only: replays and discards go through the audited GraphQL mutations
    expect(queues.every((q) => q.readOnlyMode)).toBe(true);
  });

  it('issue 14 item 5: the board page and its assets come from the gateway itself (no CDN)', async () => {
    const page = await get('/', token(['SYSTEM_ADMIN'])).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    const html = page.text;
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain('static/css/');
    const asset = /(?:src|href)="([^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    // relative to <base href="/admin/queues/">
    expect(html).toContain(`<base href="${QUEUES_PATH}/"`);
    await request(app.getHttpServer()).get(`${QUEUES_PATH}/${asset as string}`).set('authorization', `Bearer ${token(['SYSTEM_ADMIN'])}`).expect(200);
  });

  it.each([
    ['no token', 401, () => undefined],
    ['a bad token', 401, () => 'not-a-jwt'],
    ['a TOWN_OFFICER', 403, () => token(['TOWN_OFFICER'])],
    ['a CITY_ADMIN', 403, () => token(['CITY_ADMIN'])],
  ])('issue 14 item 5: %s → %d problem+json (English + Chinese), no queue data', async (_who, status, bearerOf) => {
    const bearer = bearerOf();
    const res = await get('/api/queues', bearer).expect(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.detail).toMatch(/[A-Za-z].* \/ .*[\u4e00-\u9fff]/);
    expect(JSON.stringify(res.body)).not.toContain('events.alerts');
  });

  it('issue 14 item 5: a browser session: POST the token once, then the HttpOnly cookie scoped to the board opens it', async () => {
    const session = await request(app.getHttpServer()).post(`${QUEUES_PATH}/session`).type('form').send({ token: token(['SYSTEM_ADMIN']) }).expect(303);
    const cookie = String(session.headers['set-cookie']);
    expect(cookie).toContain(`${QUEUES_COOKIE}=`);
    expect(cookie).toContain(`Path=${QUEUES_PATH}`);
    expect(cookie).toContain('HttpOnly');
    await request(app.getHttpServer()).get(`${QUEUES_PATH}/api/queues`).set('cookie', cookie.split(';')[0]).expect(200);
    await request(app.getHttpServer()).post(`${QUEUES_PATH}/session`).type('form').send({ token: token(['CITY_ADMIN']) }).expect(403);
  });

  it('issue 14 item 5: every access and every refusal is written as an audit line (actor, roles, outcome, path)', async () => {
    const lines: unknown[] = [];
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation((m: unknown) => void lines.push(m));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation((m: unknown) => void lines.push(m));
    try {
      await get('/api/queues', token(['SYSTEM_ADMIN'])).expect(200);
      await get('/api/queues', token(['TOWN_OFFICER'])).expect(403);
    } finally {
      log.mockRestore();
      warn.mockRestore();
    }
    const audits = lines.filter((l): l is Record<string, unknown> => typeof l === 'object' && l !== null && (l as { audit?: boolean }).audit === true);
    expect(audits).toEqual([
      expect.objectContaining({ action: 'gateway.queues.view', outcome: 'SUCCESS', actorId: 'u-ops', actorRoles: ['SYSTEM_ADMIN'], path: `${QUEUES_PATH}/api/queues` }),
      expect.objectContaining({ action: 'gateway.queues.view', outcome: 'DENIED', status: 403, actorRoles: ['TOWN_OFFICER'] }),
    ]);
  });
});
