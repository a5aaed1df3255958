import { AsyncLocalStorage } from 'node:async_hooks';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind, idNumberCheckChar } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal } from '@homeward/platform/testing';
import { enrolmentPayload, injectStatementFault } from '@homeward/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

/** A valid ID number of town 320281 born on `birth` (YYYYMMDD), sequence `seq`. */
const idNumber = (birth: string, seq: string): string => `320281${birth}${seq}${idNumberCheckChar(`320281${birth}${seq}`)}`;
const TRACE_HEADER = 'x-test-statements';

/**
 * Issue 13 S2: a partner enrolment is ONE transaction — the claim of its Idempotency-Key, the
 * subject, its outbox event, the stored answer and its audit row commit together (one BEGIN, one
 * COMMIT), and a failure at any step rolls all of it back, leaving the key reusable.
 */
describe('issue 13 S2: a partner enrolment is one transaction (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: 3600, now: clock.now() });
  /** The statements TypeORM sends inside the current request's async context. */
  const statements = new AsyncLocalStorage<string[]>();
  const traces = new Map<string, string[]>();

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc1tx', clock, keys });
    ds = svc.dataSource;
    const logger = ds.logger;
    const counting = new Proxy(logger, {
      get(target, prop, receiver) {
        if (prop === 'logQuery') {
          return (q: string, params?: unknown[], runner?: unknown) => {
            statements.getStore()?.push(q);
            return target.logQuery(q, params, runner as never);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    Object.defineProperty(ds, 'logger', { value: counting, configurable: true, writable: true });
    // Each traced request runs its handlers in its own statement log (a server's request event does
    // not inherit the sender's async context).
    const server = svc.app.getHttpServer();
    const listeners = server.listeners('request') as Array<(...a: unknown[]) => void>;
    server.removeAllListeners('request');
    server.on('request', (req: { headers: Record<string, string | undefined> }, res: unknown) => {
      const log = traces.get(req.headers[TRACE_HEADER] ?? '');
      const handle = () => listeners.forEach((l) => l.call(server, req, res));
      if (log) statements.run(log, handle);
      else handle();
    });
  });
  afterAll(async () => {
    await svc?.close();
  });

  const post = (body: object, key: string, trace?: string) => {
    const req = request(svc.app.getHttpServer()).post('/api/v1/correction/enrolments').set('authorization', `Bearer ${court}`).set('idempotency-key', key);
    return (trace ? req.set(TRACE_HEADER, trace) : req).send(body);
  };
  /** Sends the request with its own statement log. */
  const traced = async (body: object, key: string) => {
    const log: string[] = [];
    traces.set(key, log);
    const res = await post(body, key, key);
    return { res, log };
  };
  const n = async (sql: string, params: unknown[] = []): Promise<number> => ((await svc.db.query(sql, params)) as Array<{ n: number }>)[0].n;
  const rowsOf = async (subjectId: string) => ({
    subjects: await n(`SELECT count(*)::int AS n FROM correction.subjects WHERE id = $1`, [subjectId]),
    events: await n(`SELECT count(*)::int AS n FROM correction.bus_outbox WHERE name = 'correction.subject.enrolled' AND payload->>'subjectId' = $1`, [subjectId]),
    answers: await n(`SELECT count(*)::int AS n FROM correction.idempotency_keys WHERE state = 'COMPLETED' AND response->>'id' = $1`, [subjectId]),
    audits: await n(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'correction.subject.enrol' AND entity_id = $1`, [subjectId]),
  });

  it('issue 13 S2: the subject, its outbox event, the idempotency answer and the audit row commit in one transaction', async () => {
    // A first request runs the retention purge (in the background, on its own connection) out of the way.
    expect((await post(enrolmentPayload({ idNumber: idNumber('19800101', '000') }), 'S2-WARM-UP')).status).toBe(201);
    const { res, log } = await traced(enrolmentPayload({ idNumber: idNumber('19800101', '001') }), 'S2-ONE-TX');
    expect(res.status).toBe(201);
    const transactional = log.filter((q) => /^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)\b/i.test(q.trim()));
    expect(transactional.map((q) => q.trim().split(/\s+/)[0].toUpperCase())).toEqual(['START', 'COMMIT']);
    // Every write of the enrolment lies between that BEGIN and COMMIT.
    const begin = log.findIndex((q) => /^START TRANSACTION/i.test(q.trim()));
    const commit = log.findIndex((q) => /^COMMIT/i.test(q.trim()));
    const writes = log.map((q, i) => ({ q, i })).filter(({ q }) => /^\s*(WITH\b[\s\S]*)?(INSERT|UPDATE|DELETE)\b/i.test(q) || /INSERT INTO/i.test(q));
    expect(writes.length).toBeGreaterThanOrEqual(4);
    for (const w of writes) expect(w.i > begin && w.i < commit).toBe(true);
    expect(await rowsOf(res.body.id)).toEqual({ subjects: 1, events: 1, answers: 1, audits: 1 });
  });

  it.each<[string, string, Parameters<typeof injectStatementFault>[1]]>([
    ['the audit row cancelled (written just before COMMIT)', '002', { table: 'audit.events', at: 'BEFORE INSERT', action: 'cancel', when: `NEW.action = 'correction.subject.enrol'` }],
    ['the outbox insert cancelled', '003', { table: 'correction.bus_outbox', at: 'BEFORE INSERT', action: 'cancel', when: `NEW.name = 'correction.subject.enrolled'` }],
    ['the claim of the key cancelled', '004', { table: 'correction.idempotency_keys', at: 'BEFORE INSERT', action: 'cancel' }],
    ['the connection killed at COMMIT', '005', { table: 'correction.subjects', at: 'COMMIT', action: 'terminate' }],
  ])('issue 13 S2: %s → nothing of the enrolment is kept, and the same key then enrols once', async (_what, seq, fault) => {
    const body = enrolmentPayload({ idNumber: idNumber('19800101', seq) });
    const key = `S2-FAULT-${seq}`;
    const before = await n(`SELECT count(*)::int AS n FROM correction.subjects`);
    const remove = await injectStatementFault(svc.db, fault);
    try {
      const res = await post(body, key);
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.headers.location).toBeUndefined();
    } finally {
      await remove();
    }
    expect(await n(`SELECT count(*)::int AS n FROM correction.subjects`)).toBe(before);
    expect(await n(`SELECT count(*)::int AS n FROM correction.idempotency_keys WHERE key = $1`, [key])).toBe(0);

    const retry = await post(body, key);
    expect(retry.status).toBe(201);
    const replay = await post(body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(retry.body);
    expect(await rowsOf(retry.body.id)).toEqual({ subjects: 1, events: 1, answers: 1, audits: 1 });
  });

  it('issue 13 S2: concurrent duplicates of one request each get the first answer or 409 "in progress", and one subject is enrolled', async () => {
    const body = enrolmentPayload({ idNumber: idNumber('19800101', '006') });
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(body, 'S2-CONCURRENT')));
    const created = answers.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of answers) {
      if (r.status === 201) expect(r.body).toEqual(created[0].body);
      else {
        expect(r.status).toBe(409);
        expect(r.body.type).toMatch(/idempotency-request-in-progress$/);
        expect(r.headers['retry-after']).toBe('1');
      }
    }
    const again = await post(body, 'S2-CONCURRENT');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(created[0].body);
    expect(await rowsOf(created[0].body.id)).toEqual({ subjects: 1, events: 1, answers: 1, audits: 1 });
  });

  it('issue 13 S2: the same person enrolled under two keys at once → one 201 and one 409 "already enrolled" (never a 500)', async () => {
    const body = enrolmentPayload({ idNumber: idNumber('19800101', '007') });
    const [a, b] = await Promise.all([post(body, 'S2-PERSON-A'), post(body, 'S2-PERSON-B')]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const refused = a.status === 409 ? a : b;
    expect(refused.body.detail).toContain('已在社区矫正中');
    expect(await n(`SELECT count(*)::int AS n FROM correction.idempotency_keys WHERE key IN ('S2-PERSON-A', 'S2-PERSON-B')`)).toBe(1);
  });
});
