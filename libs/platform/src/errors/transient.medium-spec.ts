import { Controller, INestApplication, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource, QueryFailedError } from 'typeorm';
import { TestDatabase, createTestDatabase, untilALockIsAwaited } from '@homeward/testing';
import { createDataSource } from '../database/data-source';
import { formatGraphQLError } from './graphql-errors';
import { ProblemDetailsFilter } from './problem.filter';
import { TRY_AGAIN_MESSAGE } from './transient';

jest.setTimeout(60_000);

/**
 * A real deadlock: the request's transaction updates row 1 then row 2, another session holds row 2 and
 * then asks for row 1. The request's session detects the deadlock first (its deadlock_timeout is
 * 100 ms, the other's 10 s), so PostgreSQL aborts the request's transaction.
 */
describe('a deadlock or serialization failure is a 503 TRY_AGAIN that changed nothing (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let other: Client;
  let app: INestApplication;

  const lockedInTurn = async (): Promise<void> => {
    await ds.transaction(async (m) => {
      await m.query(`SET LOCAL deadlock_timeout = '100ms'`);
      await m.query(`UPDATE probe SET v = v + 1 WHERE id = 1`);
      await m.query(`UPDATE probe SET v = v + 1 WHERE id = 2`);
    });
  };

  @Controller('probe')
  class ProbeController {
    @Post()
    async change(): Promise<{ ok: true }> {
      await lockedInTurn();
      return { ok: true };
    }
  }

  /** Holds row 2, waits until `work` is blocked on it, then asks for row 1: `work` is the deadlock's victim. */
  const deadlock = async <T>(work: () => Promise<T>): Promise<T> => {
    await other.query('BEGIN');
    await other.query(`SET LOCAL deadlock_timeout = '10s'`);
    await other.query(`UPDATE probe SET v = v + 10 WHERE id = 2`);
    const pending = work();
    pending.catch(() => undefined);
    await untilALockIsAwaited(other, { intervalMs: 20 });
    await other.query(`UPDATE probe SET v = v + 10 WHERE id = 1`);
    await other.query('COMMIT');
    return pending;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, schema: 'public', migrations: [], poolSize: 2 });
    await ds.initialize();
    await ds.query(`CREATE TABLE probe (id int PRIMARY KEY, v int NOT NULL)`);
    other = new Client({ connectionString: db.url });
    await other.connect();
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.init();
  });
  beforeEach(async () => {
    await ds.query(`TRUNCATE probe; INSERT INTO probe VALUES (1, 0), (2, 0)`);
  });
  afterAll(async () => {
    await app?.close();
    await other?.end();
    await ds?.destroy();
    await db?.drop();
  });

  it('REST: 503 problem+json TRY_AGAIN with Retry-After, bilingual; the request wrote nothing, the other session everything', async () => {
    const res = await deadlock(() => request(app.getHttpServer()).post('/probe').then((r) => r));
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ status: 503, code: 'TRY_AGAIN', type: 'urn:homeward:problem:try-again', detail: TRY_AGAIN_MESSAGE });
    expect(res.body.detail).toMatch(/请重新提交/);
    expect(await ds.query(`SELECT id, v FROM probe ORDER BY id`)).toEqual([{ id: 1, v: 10 }, { id: 2, v: 10 }]);
    // sent again, it goes through
    await request(app.getHttpServer()).post('/probe').expect(201);
    expect(await ds.query(`SELECT id, v FROM probe ORDER BY id`)).toEqual([{ id: 1, v: 11 }, { id: 2, v: 11 }]);
  });

  it('GraphQL: the real driver error formats as TRY_AGAIN with the bilingual message, not INTERNAL_SERVER_ERROR', async () => {
    const err = await deadlock(() => lockedInTurn().then(() => undefined, (e: unknown) => e));
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('40P01');
    const formatted = formatGraphQLError({ message: (err as Error).message, path: ['confirmVideoVisit'] }, err);
    expect(formatted).toMatchObject({ message: TRY_AGAIN_MESSAGE, extensions: { code: 'TRY_AGAIN' } });
  });

  it('a unique violation is not transient: still the generic 500', async () => {
    @Controller('dup')
    class DupController {
      @Post()
      async dup(): Promise<void> {
        await ds.query(`INSERT INTO probe VALUES (1, 0)`);
      }
    }
    const moduleRef = await Test.createTestingModule({ controllers: [DupController] }).compile();
    const dupApp = moduleRef.createNestApplication({ logger: false });
    dupApp.useGlobalFilters(new ProblemDetailsFilter());
    await dupApp.init();
    try {
      const res = await request(dupApp.getHttpServer()).post('/dup').expect(500);
      expect(res.headers['retry-after']).toBeUndefined();
      expect(res.body.code).toBeUndefined();
    } finally {
      await dupApp.close();
    }
  });
});
