import { Body, Controller, Get, HttpCode, Module, Param, Post, Res } from '@nestjs/common';
import type { Server } from 'node:http';
import { NestExpressApplication } from '@nestjs/platform-express';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsInt, IsString, Min } from 'class-validator';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import request from 'supertest';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { AgencyKind, DomainError, DomainErrorCode, PartnerScope, Role } from '@homeward/domain';
import { TestDatabase, createTestDatabase, flushRedisPrefix, testRedisPrefix, testRedisUrl } from '@homeward/testing';
import { AuditWriter, verifyAuditChain } from '../audit/audit-writer';
import { AgencyKinds, CurrentPrincipal, Public, RequiresScopes } from '../auth/decorators';
import { Principal } from '../auth/principal';
import { createApp } from '../bootstrap/bootstrap';
import { SERVER_KEEP_ALIVE_TIMEOUT_MS, UPSTREAM_IDLE_SOCKET_MS } from '../bootstrap/keep-alive';
import { FixedClock } from '../clock/clock';
import { ServiceConfig } from '../config/base-config';
import { loadConfig } from '../config/load-config';
import { inTransaction } from '../database/ambient-transaction';
import { PLATFORM_MIGRATIONS } from '../database/platform-migrations';
import { METRICS_REGISTRY, startMetricsServer } from '../metrics/metrics';
import { PlatformModule } from '../platform.module';
import { TestKeys, partnerPrincipal, staffPrincipal } from '../testing';
import { Idempotent, requestHash } from './idempotency.interceptor';
import { IdempotencyStore, createIdempotencyTable } from './idempotency.store';

const SCHEMA = 'ptest';
const SERVICE = 'platform-test';

class ThingsInit1700000000100 implements MigrationInterface {
  name = 'ThingsInit1700000000100';
  async up(q: QueryRunner): Promise<void> {
    await createIdempotencyTable(q, SCHEMA);
    await q.query(`CREATE TABLE ptest.things (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL, qty int NOT NULL)`);
  }
  async down(): Promise<void> {}
}

class CreateThingDto {
  @IsString()
  name: string;

  @IsInt()
  @Min(1)
  qty: number;
}

@Controller('api/v1/things')
class ThingsController {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditWriter,
  ) {}

  @Post()
  @HttpCode(201)
  @AgencyKinds(AgencyKind.COURT, AgencyKind.PRISON)
  @RequiresScopes(PartnerScope.CORRECTION_ENROLMENTS)
  @Idempotent()
  async create(@CurrentPrincipal() caller: Principal, @Body() dto: CreateThingDto, @Res({ passthrough: true }) res: Response) {
    if (dto.name === 'refused') throw new DomainError(DomainErrorCode.TOWN_UNKNOWN, 'unknown town / 未知的镇街', { field: 'name' });
    return inTransaction(this.ds, async (m) => {
      const rows: Array<{ id: string }> = await m.query(`INSERT INTO ptest.things (name, qty) VALUES ($1, $2) RETURNING id`, [dto.name, dto.qty]);
      await this.audit.record({ actor: caller, action: 'test.thing.create', entityType: 'Thing', entityId: rows[0].id }, m);
      res.location(`/api/v1/things/${rows[0].id}`);
      return { id: rows[0].id, name: dto.name };
    });
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret internals: password=hunter2');
  }

  @Public()
  @Get('open/:x')
  open(@Param('x') x: string): { x: string } {
    return { x };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('platform app: auth, problem+json, idempotency, rate limit, health, metrics (real PostgreSQL + Redis)', () => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const prefix = testRedisPrefix('platform');
  const AUDIT_KEY = 'partner-api-medium-spec-audit-key-0123456789';
  const court = partnerPrincipal(AgencyKind.COURT, { agencyId: 'court-1' });
  const courtToken = keys.mint(court);
  const policeToken = keys.mint(partnerPrincipal(AgencyKind.POLICE));

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig(ServiceConfig, {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      MIGRATION_DATABASE_URL: db.url,
      AUDIT_CHAIN_KEY: AUDIT_KEY,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      PERSON_KEY_SECRET: 'p'.repeat(40),
      IDENTITY_URL: 'http://127.0.0.1:9',
      RATE_LIMIT_PER_MINUTE: '40',
      LOG_LEVEL: 'silent',
    });
    @Module({
      imports: [
        PlatformModule.forService({
          service: SERVICE,
          schema: SCHEMA,
          config: ServiceConfig,
          configInstance: config,
          migrations: [...PLATFORM_MIGRATIONS, ThingsInit1700000000100],
          partnerApi: true,
          jwks: { useValue: keys.provider },
          clock: new FixedClock(new Date()),
        }),
        ThingsModule,
      ],
    })
    class TestAppModule {}
    app = await createApp(TestAppModule, { name: SERVICE, defaultPort: 0, logger: false, swagger: { title: 'Test', paths: '/api/v1/things' } });
    ds = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await flushRedisPrefix(testRedisUrl(), prefix);
  });

  const post = (body: object, key?: string, token = courtToken) => {
    const r = request(app.getHttpServer()).post('/api/v1/things').set('Authorization', `Bearer ${token}`);
    if (key) r.set('Idempotency-Key', key);
    return r.send(body);
  };

  async function thingCount(name: string): Promise<number> {
    const rows: Array<{ n: number }> = await ds.query(`SELECT count(*)::int AS n FROM ptest.things WHERE name = $1`, [name]);
    return rows[0].n;
  }

  it('answers 201 with Location, and the same key + body replays the first answer without a second record', async () => {
    const first = await post({ name: 'replayed', qty: 1 }, 'DOC-2026-001');
    expect(first.status).toBe(201);
    expect(first.headers.location).toBe(`/api/v1/things/${first.body.id}`);
    const again = await post({ qty: 1, name: 'replayed' }, 'DOC-2026-001');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await thingCount('replayed')).toBe(1);
  });

  it('answers 409 problem+json for the same key with a different body', async () => {
    await post({ name: 'conflict', qty: 1 }, 'DOC-2026-002').expect(201);
    const res = await post({ name: 'conflict', qty: 2 }, 'DOC-2026-002');
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, type: 'urn:homeward:problem:idempotency-key-reused' });
    expect(await thingCount('conflict')).toBe(1);
  });

  it('answers 400 problem+json without an Idempotency-Key', async () => {
    const res = await post({ name: 'nokey', qty: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'required header / 必填请求头' }]);
    expect(await thingCount('nokey')).toBe(0);
  });

  it('forgets a key whose request failed, so a fixed body may reuse it', async () => {
    const bad = await post({ name: 'fixed', qty: 0 }, 'DOC-2026-003');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'qty', message: 'qty must not be less than 1' }]);
    const refused = await post({ name: 'refused', qty: 1 }, 'DOC-2026-003');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ title: 'Unprocessable entity / 无法处理', code: 'TOWN_UNKNOWN' });
    await post({ name: 'fixed', qty: 1 }, 'DOC-2026-003').expect(201);
    expect(await thingCount('fixed')).toBe(1);
  });

  it('answers 409 "in progress" while the first request with the key is still running', async () => {
    const body = { name: 'busy', qty: 1 };
    // The first request's transaction holds the key (claimed, not yet answered).
    const first = ds.createQueryRunner();
    await first.connect();
    await first.startTransaction();
    try {
      const claim = await app.get(IdempotencyStore).claim(first.manager, 'court-1', 'DOC-BUSY', requestHash('POST', '/api/v1/things', body));
      expect(claim.kind).toBe('claimed');
      const res = await post(body, 'DOC-BUSY');
      expect(res.status).toBe(409);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body.type).toBe('urn:homeward:problem:idempotency-request-in-progress');
      expect(await thingCount('busy')).toBe(0);
    } finally {
      await first.rollbackTransaction();
      await first.release();
    }
    // The first one never answered (rolled back): the key is free, the retry runs.
    await post(body, 'DOC-BUSY').expect(201);
    expect(await thingCount('busy')).toBe(1);
  });

  it('keeps keys per agency: another agency may use the same key', async () => {
    const prison = keys.mint(partnerPrincipal(AgencyKind.PRISON, { agencyId: 'prison-1' }));
    await post({ name: 'per-agency', qty: 1 }, 'SHARED-KEY').expect(201);
    await post({ name: 'per-agency', qty: 1 }, 'SHARED-KEY', prison).expect(201);
    expect(await thingCount('per-agency')).toBe(2);
  });

  it('rejects unknown fields (whitelist) with 400', async () => {
    const res = await post({ name: 'x', qty: 1, admin: true }, 'DOC-2026-004');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'admin', message: 'property admin should not exist' }]);
  });

  it('answers 401 problem+json without a token and 403 for a wrong agency kind; both are audited', async () => {
    const none = await request(app.getHttpServer()).post('/api/v1/things').send({ name: 'x', qty: 1 });
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const police = await post({ name: 'x', qty: 1 }, 'K-1', policeToken);
    expect(police.status).toBe(403);
    const staff = await post({ name: 'x', qty: 1 }, 'K-2', keys.mint(staffPrincipal({ roles: [Role.CITY_ADMIN] })));
    expect(staff.status).toBe(403);
    const denied: Array<{ action: string; actor_kind: string }> = await ds.query(
      `SELECT action, actor_kind FROM audit.events WHERE split_part(service, '#', 1) = $1 AND outcome = 'DENIED' ORDER BY id`,
      [SERVICE],
    );
    expect(denied).toEqual([
      { action: 'auth.unauthenticated', actor_kind: 'ANONYMOUS' },
      { action: 'auth.forbidden', actor_kind: 'PARTNER' },
      { action: 'auth.forbidden', actor_kind: 'STAFF' },
    ]);
    expect((await verifyAuditChain(ds, SERVICE, AUDIT_KEY)).ok).toBe(true);
  });

  it('hides internals of an unexpected error behind a 500 and echoes the request id', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/v1/things/boom')
      .set('Authorization', `Bearer ${courtToken}`)
      .set('X-Request-Id', 'trace-123');
    expect(res.status).toBe(500);
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.body.requestId).toBe('trace-123');
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it('serves /health/live and /health/ready (PostgreSQL and Redis with noeviction) without a token', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { postgres: { ok: true }, redis: { ok: true } } });
  });

  it('issue 14 item 9: the app server keeps idle connections longer than the gateway agent (keepAliveTimeout, headersTimeout)', () => {
    const server = app.getHttpServer() as Server;
    expect(server.keepAliveTimeout).toBe(SERVER_KEEP_ALIVE_TIMEOUT_MS);
    expect(server.keepAliveTimeout).toBeGreaterThan(UPSTREAM_IDLE_SOCKET_MS);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
  });

  it('serves /metrics (on the metrics listener, issue 6 item 14) with the request histogram labelled by app and route', async () => {
    await request(app.getHttpServer()).get('/metrics').expect(404);
    const metrics = await startMetricsServer(app.get<Registry>(METRICS_REGISTRY), 0);
    try {
      const res = await request(metrics).get('/metrics').expect(200);
      expect(res.text).toContain('http_request_duration_seconds_bucket');
      expect(res.text).toMatch(/app="platform-test"/);
      expect(res.text).toMatch(/route="\/api\/v1\/things"/);
    } finally {
      metrics.close();
    }
  });

  it('serves the OpenAPI document at /api/docs-json', async () => {
    const res = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toContain('/api/v1/things');
    expect(Object.keys(res.body.paths)).not.toContain('/health/live');
  });

  it('answers 429 with Retry-After past RATE_LIMIT_PER_MINUTE for one client', async () => {
    const limited = keys.mint(partnerPrincipal(AgencyKind.COURT, { agencyId: 'court-busy' }));
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 42; i++) {
      last = await request(app.getHttpServer()).get('/api/v1/things/open/1').set('Authorization', `Bearer ${limited}`);
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    expect(statuses[41]).toBe(429);
    expect(last?.headers['retry-after']).toMatch(/^\d+$/);
    expect(last?.body).toMatchObject({ status: 429, title: 'Too many requests / 请求过于频繁' });
    // Another client is not affected.
    await request(app.getHttpServer()).get('/api/v1/things/open/1').set('Authorization', `Bearer ${courtToken}`).expect(200);
  });
});
