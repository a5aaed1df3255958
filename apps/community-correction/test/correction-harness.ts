import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { EventPublisher } from '@homeward/bus';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { EnrolmentFixture, ServiceApp, bootServiceApp, enrolmentPayload, eventually, testRedisPrefix, untilALockIsAwaited } from '@homeward/testing';
import { AppModule } from '../src/app.module';
import { CorrectionConfig } from '../src/config';

export type CorrectionApp = ServiceApp<CorrectionConfig>;

/**
 * The community-correction app for a medium test: fresh database, Redis prefix `hwt:<label>:…`,
 * tokens of `keys` accepted, `clock` injected; `env` adds or overrides variables.
 */
export function bootCorrectionApp(opts: { label: string; clock: FixedClock; keys: TestKeys; env?: Record<string, string> }): Promise<CorrectionApp> {
  return bootServiceApp({
    name: 'community-correction',
    appModule: (overrides) => AppModule.forRoot(overrides),
    config: CorrectionConfig,
    keys: opts.keys,
    clock: opts.clock,
    prefix: testRedisPrefix(opts.label),
    env: opts.env,
  });
}

/**
 * Issue 6 item 7: an officer (token) assigns the social worker `workerId` to `subjectId` through the
 * GraphQL mutation, as a town officer would; answers the assignment id.
 */
export async function assignSocialWorker(svc: CorrectionApp, officerToken: string, subjectId: string, workerId: string): Promise<string> {
  const res = await request(svc.app.getHttpServer())
    .post('/graphql')
    .set('authorization', `Bearer ${officerToken}`)
    .send({
      query: `mutation($input: AssignSocialWorkerInput!) { assignSocialWorker(input: $input) { id } }`,
      variables: { input: { subjectId, workerId } },
    })
    .expect(200);
  if (res.body.errors) throw new Error(`assignSocialWorker failed: ${JSON.stringify(res.body.errors)}`);
  return res.body.data.assignSocialWorker.id;
}

/**
 * The requests a medium test of the app sends, bound to the app `svc()` answers (booted in beforeAll):
 * `gql` as a token (`ok` its data, `errorCode` its error), `post` to the partner REST API with an idempotency key, `outbox` the payloads
 * published under an event name, in order.
 */
export function correctionClient(svc: () => CorrectionApp) {
  const http = () => request(svc().app.getHttpServer());
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  return {
    http,
    gql,
    /** The data of a GraphQL call that must succeed (200, no errors). */
    ok: async (token: string, query: string, variables: Record<string, unknown> = {}) => {
      const res = await gql(token, query, variables).expect(200);
      expect(res.body.errors).toBeUndefined();
      return res.body.data;
    },
    /** The `extensions.code` of a GraphQL call's first error (undefined when it succeeded). */
    errorCode: async (token: string, query: string, variables: Record<string, unknown> = {}) => {
      const res = await gql(token, query, variables).expect(200);
      return res.body.errors?.[0]?.extensions?.code as string | undefined;
    },
    post: (path: string, token: string, body: object, key = `K-${randomUUID()}`) =>
      http().post(`/api/v1/correction/${path}`).set('authorization', `Bearer ${token}`).set('idempotency-key', key).send(body),
    outbox: (name: string): Promise<Array<{ payload: Record<string, unknown> }>> =>
      svc().dataSource.query(`SELECT payload FROM correction.bus_outbox WHERE name = $1 ORDER BY seq`, [name]),
  };
}

/**
 * One app per test file: boots it in beforeAll (`env` may be a function, read then, for values
 * another beforeAll makes), closes it in afterAll, and answers the running app and its client.
 */
export function useCorrectionApp(opts: { label: string; clock: FixedClock; keys: TestKeys; env?: Record<string, string> | (() => Record<string, string>) }) {
  let svc: CorrectionApp | undefined;
  const current = (): CorrectionApp => {
    if (!svc) throw new Error('useCorrectionApp: the app is not booted (use it inside a test or a later beforeAll)');
    return svc;
  };
  beforeAll(async () => {
    svc = await bootCorrectionApp({ ...opts, env: typeof opts.env === 'function' ? opts.env() : opts.env });
  });
  afterAll(async () => {
    await svc?.close();
  });
  return { svc: current, ...correctionClient(current) };
}

export interface ActiveSubjectFixture extends EnrolmentFixture {
  /** Reporting and activation day; default the correction start (`on`). */
  activatedOn?: string;
  /** Status to leave it in; default ACTIVE (DISCHARGED also sets ended_on the next day, reason EXPIRED). */
  status?: 'ACTIVE' | 'DISCHARGED';
  /** Publish correction.subject.activated and wait until supervision has made its STRICT level (CC-8). */
  announce?: boolean;
  /** Top-level fields of the enrolment body to replace or add (see enrolmentPayload). */
  enrolment?: Record<string, unknown>;
}

/**
 * A subject enrolled through the partner API by `courtToken`, then made ACTIVE in the database:
 * activation belongs to the lifecycle feature, so tests of other features take this short cut.
 * Answers the subject id.
 */
export async function enrolActiveSubject(svc: CorrectionApp, courtToken: string, fixture: ActiveSubjectFixture): Promise<string> {
  const res = await request(svc.app.getHttpServer())
    .post('/api/v1/correction/enrolments')
    .set('authorization', `Bearer ${courtToken}`)
    .set('idempotency-key', `ENROL-${fixture.idNumber}-${randomUUID()}`)
    .send(enrolmentPayload(fixture, fixture.enrolment))
    .expect(201);
  const id = res.body.id as string;
  const activatedOn = fixture.activatedOn ?? fixture.on ?? '2026-11-20';
  const ended = fixture.status === 'DISCHARGED';
  await svc.dataSource.query(
    `UPDATE correction.subjects SET status = $2, reported_on = $3, activated_on = $3,
            ended_on = CASE WHEN $4 THEN $3::date + 1 END, end_reason = CASE WHEN $4 THEN 'EXPIRED' END WHERE id = $1`,
    [id, fixture.status ?? 'ACTIVE', activatedOn, ended],
  );
  if (fixture.announce) {
    const [{ person_key: personKey }] = await svc.dataSource.query(`SELECT person_key FROM correction.subjects WHERE id = $1`, [id]);
    const town = fixture.town ?? '104';
    await svc.dataSource.transaction((m) => svc.app.get(EventPublisher).publish(m, 'correction.subject.activated', { subjectId: id, personKey, town, activatedOn }));
    await eventually(() => svc.dataSource.query(`SELECT 1 FROM correction.supervision_levels WHERE subject_id = $1`, [id]), (r) => r.length >= 1);
  }
  return id;
}

/**
 * A residence transfer's carryOut as another transaction runs it, around a change that must wait for it
 * (session 14's lock-order tests): the subject locked FOR UPDATE; then `start()` (a change of one of the
 * subject's records); once a backend of this database waits on a lock, `recordsUpdate` (the transfer's update
 * of that record's table, `$1` the subject) with a 5 s lock timeout; COMMIT. Answers what `start()` answers.
 * A change that locked its record before the subject deadlocked here (one side rolled back).
 */
export async function whileSubjectIsMoved<T>(ds: DataSource, subjectId: string, start: () => Promise<T>, recordsUpdate: string): Promise<T> {
  const transfer = ds.createQueryRunner();
  await transfer.connect();
  try {
    await transfer.query('START TRANSACTION');
    await transfer.query(`SELECT id FROM correction.subjects WHERE id = $1 FOR UPDATE`, [subjectId]);
    const started = start();
    started.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    await untilALockIsAwaited(ds);
    await transfer.query(`SET LOCAL lock_timeout = '5s'`);
    await transfer.query(recordsUpdate, [subjectId]);
    await transfer.query('COMMIT');
    return await started;
  } finally {
    if (transfer.isTransactionActive) await transfer.query('ROLLBACK').catch(() => undefined);
    await transfer.release();
  }
}
