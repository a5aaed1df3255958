import { Body, Controller, HttpCode, Module, Post, Res } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsString } from 'class-validator';
import type { Response } from 'express';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { PartnerScope, AgencyKind } from '@homeward/domain';
import {
  TestDatabase,
  createTestDatabase,
  databaseOutage,
  eventually,
  flushRedisPrefix,
  injectStatementFault,
  testAdminDatabaseUrl,
  testRedisPrefix,
  testRedisUrl,
} from '@homeward/testing';
import { AgencyKinds, RequiresScopes } from '../auth/decorators';
import { createApp } from '../bootstrap/bootstrap';
import { FixedClock } from '../clock/clock';
import { ServiceConfig } from '../config/base-config';
import { loadConfig } from '../config/load-config';
import { inTransaction } from '../database/ambient-transaction';
import { PLATFORM_MIGRATIONS } from '../database/platform-migrations';
import { PlatformModule } from '../platform.module';
import { TestKeys, partnerPrincipal } from '../testing';
import { Idempotent } from './idempotency.interceptor';
import { PURGE_EVERY_MS, createIdempotencyTable } from './idempotency.store';

jest.setTimeout(60_000);

const SCHEMA = 'pcrash';

class CrashInit1700000000200 implements MigrationInterface {
  name = 'CrashInit1700000000200';
  async up(q: QueryRunner): Promise<void> {
    await createIdempotencyTable(q, SCHEMA);
    await q.query(`CREATE TABLE pcrash.records (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL)`);
  }
  async down(): Promise<void> {}
}

class CreateRecordDto {
  @IsString()
  name: string;
}

/** Runs after the key is claimed and before the business write (a test sets it). */
let beforeWrite: (() => Promise<void>) | undefined;

@Controller('api/v1/records')
class RecordsController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  @Post()
  @HttpCode(201)
  @AgencyKinds(AgencyKind.COURT)
  @RequiresScopes(PartnerScope.CORRECTION_ENROLMENTS)
  @Idempotent()
  async create(@Body() dto: CreateRecordDto, @Res({ passthrough: true }) res: Response) {
    if (beforeWrite) await beforeWrite();
    return inTransaction(this.ds, async (m) => {
      const rows: Array<{ id: string }> = await m.query(`INSERT INTO pcrash.records (name) VALUES ($1) RETURNING id`, [dto.name]);
      res.location(`/api/v1/records/${rows[0].id}`);
      return { id: rows[0].id, name: dto.name };
    });
  }
}

@Module({ controllers: [RecordsController] })
class RecordsModule {}

describe('issue 14 items 1–2: claim, business write and stored answer commit in one transaction (real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  let ds: DataSource;
  let admin: Client;
  const keys = new TestKeys();
  const prefix = testRedisPrefix('idemcrash');
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = keys.mint(partnerPrincipal(AgencyKind.COURT, { agencyId: 'court-1' }), { expiresInSeconds: 3600 * 24 * 365, now: clock.now() });

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig(ServiceConfig, {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      MIGRATION_DATABASE_URL: db.url,
      AUDIT_CHAIN_KEY: 'idempotency-crash-medium-spec-audit-key-0123',
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      PERSON_KEY_SECRET: 'p'.repeat(40),
      IDENTITY_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'silent',
    });
    @Module({
      imports: [
        PlatformModule.forService({
          service: 'idem-crash-test',
          schema: SCHEMA,
          config: ServiceConfig,
          configInstance: config,
          migrations: [...PLATFORM_MIGRATIONS, CrashInit1700000000200],
          partnerApi: true,
          jwks: { useValue: keys.provider },
          clock,
        }),
        RecordsModule,
      ],
    })
    class CrashAppModule {}
    app = await createApp(CrashAppModule, { name: 'idem-crash-test', defaultPort: 0, logger: false });
    ds = app.get(DataSource);
    admin = new Client({ connectionString: testAdminDatabaseUrl() });
    await admin.connect();
  });

  afterAll(async () => {
    beforeWrite = undefined;
    await admin?.query(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await app?.close();
    await db?.drop();
    await flushRedisPrefix(testRedisUrl(), prefix);
  });

  const post = (name: string, key: string) =>
    request(app.getHttpServer()).post('/api/v1/records').set('Authorization', `Bearer ${court}`).set('Idempotency-Key', key).send({ name });
  const count = async (sql: string, params: unknown[]): Promise<number> => ((await ds.query(sql, params)) as Array<{ n: number }>)[0].n;
  const records = (name: string) => count(`SELECT count(*)::int AS n FROM pcrash.records WHERE name = $1`, [name]);
  const keysNamed = (key: string) => count(`SELECT count(*)::int AS n FROM pcrash.idempotency_keys WHERE key = $1`, [key]);

  /** After the failed first try: nothing kept; a retry runs once; a second retry replays it. */
  async function expectNothingThenOneOnRetry(name: string, key: string): Promise<void> {
    expect(await records(name)).toBe(0);
    expect(await keysNamed(key)).toBe(0);
    const retry = await post(name, key);
    expect(retry.status).toBe(201);
    const again = await post(name, key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(retry.body);
    expect(again.headers.location).toBe(`/api/v1/records/${retry.body.id}`);
    expect(await records(name)).toBe(1);
  }

  async function failOnce(fault: Parameters<typeof injectStatementFault>[1], name: string, key: string): Promise<void> {
    const remove = await injectStatementFault(ds, fault);
    try {
      const first = await post(name, key);
      expect(first.status).toBeGreaterThanOrEqual(500);
      expect(first.headers.location).toBeUndefined();
    } finally {
      await remove();
    }
  }

  it('issue 14 item 1: a database outage right after the claim leaves no key "in progress": the retry runs (no 409 for 30 days)', async () => {
    let outage: { end(): Promise<void> } | undefined;
    beforeWrite = async () => {
      beforeWrite = undefined;
      outage = await databaseOutage(admin, db.name);
    };
    try {
      const first = await post('outage-after-claim', 'CRASH-OUTAGE');
      expect(first.status).toBeGreaterThanOrEqual(500);
    } finally {
      beforeWrite = undefined;
      await outage?.end();
    }
    await expectNothingThenOneOnRetry('outage-after-claim', 'CRASH-OUTAGE');
  });

  it('issue 14 item 1: the connection killed after the claim (at the business write) → nothing kept; the retry runs', async () => {
    await failOnce({ table: 'pcrash.records', at: 'BEFORE INSERT', action: 'terminate' }, 'kill-after-claim', 'CRASH-CLAIM');
    await expectNothingThenOneOnRetry('kill-after-claim', 'CRASH-CLAIM');
  });

  it('issue 14 items 1–2: the connection killed after the business write → no record, no key; the retry creates one record', async () => {
    await failOnce({ table: 'pcrash.records', at: 'AFTER INSERT', action: 'terminate' }, 'kill-after-write', 'CRASH-WRITE');
    await expectNothingThenOneOnRetry('kill-after-write', 'CRASH-WRITE');
  });

  it('issue 14 item 2: the store-answer statement cancelled → no record; the retry creates exactly one (never two)', async () => {
    await failOnce({ table: 'pcrash.idempotency_keys', at: 'BEFORE UPDATE', action: 'cancel' }, 'cancel-store', 'CRASH-STORE-CANCEL');
    await expectNothingThenOneOnRetry('cancel-store', 'CRASH-STORE-CANCEL');
  });

  it('issue 14 item 2: the connection killed at the store-answer step → no record; the retry creates exactly one', async () => {
    await failOnce({ table: 'pcrash.idempotency_keys', at: 'BEFORE UPDATE', action: 'terminate' }, 'kill-store', 'CRASH-STORE-KILL');
    await expectNothingThenOneOnRetry('kill-store', 'CRASH-STORE-KILL');
  });

  it('issue 14 item 2: the connection killed at COMMIT → all or nothing; the retry creates exactly one', async () => {
    await failOnce({ table: 'pcrash.idempotency_keys', at: 'COMMIT', action: 'terminate', when: `NEW.state = 'COMPLETED'` }, 'kill-commit', 'CRASH-COMMIT');
    await expectNothingThenOneOnRetry('kill-commit', 'CRASH-COMMIT');
  });

  it('issue 14 item 1: a key left IN_PROGRESS by the earlier two-transaction code is taken over, not 409 forever', async () => {
    await ds.query(
      `INSERT INTO pcrash.idempotency_keys (agency_id, key, request_hash, state, created_at, expires_at)
       VALUES ('court-1', 'CRASH-LEGACY', repeat('0', 64), 'IN_PROGRESS', now(), now() + interval '30 days')`,
    );
    const res = await post('legacy', 'CRASH-LEGACY');
    expect(res.status).toBe(201);
    expect(await records('legacy')).toBe(1);
  });

  it('issue 14 item 6: keys past their 30 days are purged (at most every 10 minutes, on a later request); live keys stay', async () => {
    await ds.query(
      `INSERT INTO pcrash.idempotency_keys (agency_id, key, request_hash, state, status_code, response, created_at, expires_at)
       VALUES ('court-1', 'RET-OLD', repeat('0', 64), 'COMPLETED', 201, '{}', $1::timestamptz - interval '31 days', $1::timestamptz - interval '1 day'),
              ('court-1', 'RET-LIVE', repeat('0', 64), 'COMPLETED', 201, '{}', $1::timestamptz - interval '29 days', $1::timestamptz + interval '1 day')`,
      [clock.now()],
    );
    clock.set(new Date(clock.now().getTime() + PURGE_EVERY_MS));
    await post('retention', 'RET-TRIGGER').expect(201);
    await eventually(() => keysNamed('RET-OLD'), (n) => n === 0);
    expect(await keysNamed('RET-LIVE')).toBe(1);
  });

  it('issue 14 items 1–2: the app keeps answering after the faults (its pool recovered)', async () => {
    const res = await post('after-faults', 'CRASH-AFTER');
    expect(res.status).toBe(201);
    expect(await records('after-faults')).toBe(1);
  });
});
