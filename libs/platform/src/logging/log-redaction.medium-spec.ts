/**
 * Issue 6 item 5: a failed query's log line holds no person data. A real PostgreSQL statement
 * fails (a NUL byte in a name, a duplicate key, a bad date literal); the error is logged the way
 * the apps log it (pino with the platform's options, as ProblemDetailsFilter does) and through
 * the platform's TypeORM logger; the captured output is searched for the values.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { DataSource } from 'typeorm';
import { TestDatabase, createTestDatabase } from '@homeward/testing';
import { buildDataSourceOptions, createDataSource } from '../database/data-source';
import { PlatformTypeOrmLogger } from '../database/typeorm-logger';
import { platformPinoOptions } from './logging.module';

const NAME = '张三丰';
const MASKED = '110105********002X';
const BIRTH = '19491231';
const OFFENCE = '盗窃罪';
const VALUES = [NAME, MASKED, BIRTH, '1949-12-31', OFFENCE];

function capture(): { logger: pino.Logger; text: () => string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { logger: pino(platformPinoOptions('test-service', 'debug'), sink), text: () => lines.join('') };
}

describe('issue 6 item 5: failed queries leave no person data in the log (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const out = capture();

  beforeAll(async () => {
    db = await createTestDatabase();
    const typeormSink = {
      log: (m: unknown, ...rest: unknown[]) => out.logger.info(m as object, ...(rest as [])),
      warn: (m: unknown, ...rest: unknown[]) => out.logger.warn(m as object, ...(rest as [])),
      error: (m: unknown, ...rest: unknown[]) => out.logger.error(m as object, ...(rest as [])),
      debug: (m: unknown, ...rest: unknown[]) => out.logger.debug(m as object, ...(rest as [])),
    };
    ds = createDataSource({
      ...buildDataSourceOptions({ url: db.url, schema: 'public', poolSize: 2 }),
      logging: 'all',
      logger: new PlatformTypeOrmLogger('all', typeormSink),
    });
    await ds.initialize();
    await ds.query(`CREATE TABLE people (name text PRIMARY KEY, masked_id text, birth date, offence text)`);
    await ds.query(`INSERT INTO people VALUES ($1, $2, $3, $4)`, ['李四', MASKED, '1949-12-31', OFFENCE]);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const failing = async (sql: string, params: unknown[]): Promise<unknown> => {
    try {
      await ds.query(sql, params);
    } catch (err) {
      return err;
    }
    throw new Error('the statement was expected to fail');
  };

  it.each<[string, string, unknown[]]>([
    ['a NUL byte in a name', `INSERT INTO people VALUES ($1, $2, $3, $4)`, [`${NAME}\u0000`, MASKED, '1949-12-31', OFFENCE]],
    ['a duplicate key (detail: "Key (name)=(…)")', `INSERT INTO people VALUES ($1, $2, $3, $4)`, ['李四', MASKED, '1949-12-31', `${OFFENCE}${NAME}`]],
    ['a bad date literal (message: invalid input syntax … "…")', `INSERT INTO people VALUES ($1, $2, $3, $4)`, [NAME, MASKED, `${BIRTH}${NAME}`, OFFENCE]],
  ])('%s: the error logged by the app and by TypeORM names no value, but keeps the SQL and SQLSTATE', async (_what, sql, params) => {
    const err = await failing(sql, params);
    const before = out.text().length;
    // what ProblemDetailsFilter writes for an unexpected error
    out.logger.error({ err, requestId: 'req-1' }, 'unhandled error on POST /api/v1/correction/enrolments');
    const text = out.text();
    const line = text.slice(before);
    for (const v of VALUES) expect(text).not.toContain(v);
    expect(line).toContain('INSERT INTO people');
    expect(line).toContain('req-1');
    expect(line).toMatch(/"code":"(22021|23505|22007|22008)"/);
    expect(text).toMatch(/query failed \((22021|23505|22007|22008)\)/);
  });

  it('TypeORM query logging (logging: all) prints statements without their parameters', () => {
    expect(out.text()).toContain('INSERT INTO people');
    for (const v of VALUES) expect(out.text()).not.toContain(v);
  });

  it('every app DataSource uses the platform TypeORM logger', () => {
    expect(buildDataSourceOptions({ url: db.url, schema: 'x' }).logger).toBeInstanceOf(PlatformTypeOrmLogger);
  });

  it('request bodies, query strings and GraphQL variables are redacted from log lines', () => {
    const before = out.text().length;
    out.logger.info(
      { req: { url: `/graphql?variables=${encodeURIComponent(JSON.stringify({ name: NAME }))}`, body: { person: { name: NAME } }, query: { name: NAME } }, variables: { input: { name: NAME } } },
      'request',
    );
    const line = out.text().slice(before);
    expect(line).not.toContain(NAME);
    expect(line).not.toContain(encodeURIComponent(NAME));
    expect(line).toContain('/graphql?[redacted]');
  });

  it('issue 6 items 5/12: credentials in request headers (bearer token, cookie, the gateway secret) never reach a log line', () => {
    const before = out.text().length;
    const secret = 'gateway-secret-0123456789-abcdefghijklmnop';
    out.logger.info({ req: { url: '/graphql', headers: { authorization: 'Bearer eyJhbGciOi.secret', cookie: 'sid=abc', 'x-homeward-gateway-secret': secret } } }, 'request');
    const line = out.text().slice(before);
    expect(line).not.toContain(secret);
    expect(line).not.toContain('eyJhbGciOi.secret');
    expect(line).not.toContain('sid=abc');
  });

  it('issue 13: a request line through pino-http (real HTTP) names the service and the request — id, method, path, client, user agent — and carries no header', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const log = pinoHttp({ ...platformPinoOptions('gateway', 'info'), genReqId: () => 'req-13' }, sink);
    const server = createServer((req, res) => {
      log(req, res);
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}/graphql?variables=${encodeURIComponent(NAME)}`, {
        headers: { authorization: 'Bearer eyJhbGciOi.secret', cookie: 'sid=abc', 'user-agent': 'court-client/1.0' },
      });
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      server.close();
    }
    const line = JSON.parse(lines.find((l) => l.includes('request completed')) ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ service: 'gateway', name: 'gateway', req: { id: 'req-13', method: 'GET', url: '/graphql?[redacted]', remoteAddress: '127.0.0.1', userAgent: 'court-client/1.0' } });
    expect(line.req).not.toHaveProperty('headers');
    const text = lines.join('');
    for (const leaked of ['eyJhbGciOi.secret', 'sid=abc', NAME, encodeURIComponent(NAME)]) expect(text).not.toContain(leaked);
  });
});
