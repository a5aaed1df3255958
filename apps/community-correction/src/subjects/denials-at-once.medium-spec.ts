import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { testCast } from '@homeward/testing';
import { enrolActiveSubject, useCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

/**
 * A denial is audited outside the caller's transaction (its rollback must not take the row). It was written
 * at once on a second pooled connection while the transaction held its first: as many denied changes at once as
 * the pool has connections each held one and waited for another, and the service hung (a lock-order review,
 * session 14). A pool of 3 here, 12 denied changes at once.
 */
describe('denials at once do not exhaust the pool (real PostgreSQL + Redis)', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-08-03T02:00:00Z'));
  const { court, officer104, officer107 } = testCast(keys, clock);
  const { svc, gql } = useCorrectionApp({ label: 'ccdenials', clock, keys, env: { DATABASE_POOL_SIZE: '3' } });
  const ABSCONDED = `mutation($i: MarkAbscondedInput!) { markAbsconded(input: $i) { absconded } }`;

  it("issue 8 item 1: twelve changes of another town's subject at once each answer NOT_FOUND, every denial is on record when its answer comes, and the service still answers", async () => {
    const subjectId = await enrolActiveSubject(svc(), court, { idNumber: '110105194912310062', on: '2026-08-01' });
    // a listening server: supertest otherwise starts and closes the one server around each request, and
    // concurrent requests then reset each other's connections
    const server = svc().app.getHttpServer();
    if (!server.address()) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
      Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))]);
    const answers = await within(
      Promise.all(Array.from({ length: 12 }, () => gql(officer107, ABSCONDED, { i: { subjectId, lostContactOn: '2026-08-02' } }).then((r) => r))),
      20_000,
    );
    expect(answers.map((r) => r.body.errors?.[0]?.extensions?.code)).toEqual(Array(12).fill('NOT_FOUND'));
    const [{ n }] = await svc().db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit.events WHERE outcome = 'DENIED' AND entity_id = $1 AND action = 'correction.subject.change'`,
      [subjectId],
    );
    expect(n).toBe(12);
    // and the town's own officer still gets through
    const own = await within(gql(officer104, ABSCONDED, { i: { subjectId, lostContactOn: '2026-08-02' } }).then((r) => r), 10_000);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.markAbsconded.absconded).toBe(true);
  });
});
