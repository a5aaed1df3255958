import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal } from '@homeward/platform/testing';
import { enrolmentPayload, injectStatementFault, investigationPayload, StatementFault } from '@homeward/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

const YEAR = 3600 * 24 * 365;

/**
 * Issue 14 items 1–2 on the real partner endpoints: a fault at each step of an idempotent POST
 * (after the business write, at the stored answer, at COMMIT) leaves nothing, and the retry with the
 * same key creates exactly one record, one event and one audit row.
 */
describe('issue 14 items 1–2: partner writes of community-correction under connection faults (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: YEAR, now: clock.now() });

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'ccidem', clock, keys, env: { MONITORING_SILENT_CHECK_SECONDS: '3600' } });
    ds = svc.dataSource;
  });
  afterAll(async () => {
    await svc?.close();
  });

  const post = (path: string, body: object, key: string) =>
    request(svc.app.getHttpServer()).post(`/api/v1/correction/${path}`).set('authorization', `Bearer ${court}`).set('idempotency-key', key).send(body);
  const n = async (sql: string, params: unknown[] = []): Promise<number> => ((await svc.db.query(sql, params)) as Array<{ n: number }>)[0].n;

  const enrolment = (idNumber: string) => enrolmentPayload({ idNumber });
  const investigation = (documentNo: string) => investigationPayload({ requestingDocumentNo: documentNo });

  async function firstTryFails(fault: StatementFault, path: string, body: object, key: string): Promise<void> {
    const remove = await injectStatementFault(svc.db, fault); // as the superuser: the app role may not create triggers
    try {
      const res = await post(path, body, key);
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.headers.location).toBeUndefined();
    } finally {
      await remove();
    }
  }

  it.each<[string, StatementFault['at'], StatementFault['action'], string]>([
    ['the store-answer statement cancelled', 'BEFORE UPDATE', 'cancel', 'correction.idempotency_keys'],
    ['the connection killed at the store-answer step', 'BEFORE UPDATE', 'terminate', 'correction.idempotency_keys'],
    ['the connection killed after the business write', 'AFTER INSERT', 'terminate', 'correction.investigations'],
    ['the connection killed at COMMIT', 'COMMIT', 'terminate', 'correction.idempotency_keys'],
  ])('issue 14 item 2: investigation request, %s → the retry with the same key makes one investigation and one event', async (what, at, action, table) => {
    const doc = `(2026)苏0281刑初委托函-${what}`;
    const key = `INV-FAULT-${at}-${action}-${table}`.replace(/ /g, '_');
    await firstTryFails({ table, at, action, when: table.endsWith('idempotency_keys') ? `NEW.state = 'COMPLETED'` : undefined }, 'investigation-requests', investigation(doc), key);
    expect(await n(`SELECT count(*)::int AS n FROM correction.investigations WHERE requesting_document_no = $1`, [doc])).toBe(0);

    const retry = await post('investigation-requests', investigation(doc), key);
    expect(retry.status).toBe(201);
    const replay = await post('investigation-requests', investigation(doc), key);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(retry.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await n(`SELECT count(*)::int AS n FROM correction.investigations WHERE requesting_document_no = $1`, [doc])).toBe(1);
    expect(
      await n(`SELECT count(*)::int AS n FROM correction.bus_outbox WHERE name = 'correction.investigation.received' AND payload->>'investigationId' = $1`, [
        retry.body.id,
      ]),
    ).toBe(1);
    expect(await n(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'correction.investigation.receive' AND entity_id = $1`, [retry.body.id])).toBe(1);
  });

  it('issue 14 item 1: enrolment, store-answer cancelled → the retry enrols once (not "already enrolled") and a replay gets the id', async () => {
    const body = enrolment('11010519491231002X');
    await firstTryFails({ table: 'correction.idempotency_keys', at: 'BEFORE UPDATE', action: 'cancel' }, 'enrolments', body, 'ENROL-FAULT');
    expect(await n(`SELECT count(*)::int AS n FROM correction.subjects`)).toBe(0);
    expect(await n(`SELECT count(*)::int AS n FROM correction.bus_outbox WHERE name = 'correction.subject.enrolled'`)).toBe(0);
    const retry = await post('enrolments', body, 'ENROL-FAULT');
    expect(retry.status).toBe(201);
    const replay = await post('enrolments', body, 'ENROL-FAULT');
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(retry.body.id);
    expect(replay.headers.location).toBe(`/api/v1/correction/enrolments/${retry.body.id}`);
    expect(await n(`SELECT count(*)::int AS n FROM correction.subjects`)).toBe(1);
    expect(await n(`SELECT count(*)::int AS n FROM correction.bus_outbox WHERE name = 'correction.subject.enrolled'`)).toBe(1);
  });
});
