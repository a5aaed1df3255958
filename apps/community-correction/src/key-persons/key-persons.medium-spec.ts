import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { testCast, untilALockIsAwaited } from '@homeward/testing';
import { enrolActiveSubject, useCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

/** CC-10 key persons (一月一认定): a town's monthly determination, versions and the current list, on real PostgreSQL + Redis. */
describe('CC-10 key persons (real PostgreSQL + Redis)', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-06-01T02:00:00Z'));
  const { mint, court, officer104 } = testCast(keys, clock);
  const officer = (towns = ['104']) => (towns[0] === '104' ? officer104 : mint(staffPrincipal({ towns })));
  const client = useCorrectionApp({ label: 'cckp', clock, keys });
  const { svc } = client;
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) => client.gql(token, query, variables).expect(200);
  const activeSubject = (idNumber: string, town: string, activatedOn: string) => enrolActiveSubject(svc(), court, { idNumber, town, on: '2026-03-01', activatedOn });
  let subjectId: string;

  beforeAll(async () => {
    subjectId = await activeSubject('11010519491231002X', '104', '2026-03-01');
  });

  const RECORD = `mutation($i: RecordKeyPersonDeterminationInput!) { recordKeyPersonDetermination(input: $i) {
      id town { code } month version versions entries { subjectId flagLevel flagLevelLabel transformationProgressLabel released reasons } } }`;
  const FIND = `query($town: String!, $month: String!, $version: Int) { keyPersonDetermination(town: $town, month: $month, version: $version) {
      version versions entries { subjectId flagLevel released subject { id } } } }`;
  let other: string;

  it('CC-10: a determination is recorded; recording again makes version 2 and keeps version 1 (history)', async () => {
    other = await activeSubject('320281198506151237', '104', '2026-03-01');
    const entry = { subjectId, reasons: ['多次违反报告规定'], flagLevel: 'CITY', transformationProgress: 'IN_PROGRESS', released: false };
    const v1 = await gql(officer(), RECORD, { i: { town: '104', month: '2026-06', entries: [entry] } });
    expect(v1.body.errors).toBeUndefined();
    expect(v1.body.data.recordKeyPersonDetermination).toMatchObject({
      town: { code: '104' },
      month: '2026-06',
      version: 1,
      entries: [{ subjectId, flagLevel: 'CITY', flagLevelLabel: '市级挂牌', transformationProgressLabel: '转化中', released: false, reasons: ['多次违反报告规定'] }],
    });
    const v2 = await gql(officer(), RECORD, {
      i: { town: '104', month: '2026-06', entries: [{ ...entry, released: true, transformationProgress: 'TRANSFORMED' }, { ...entry, subjectId: other, flagLevel: 'TOWN' }] },
    });
    expect(v2.body.data.recordKeyPersonDetermination).toMatchObject({ version: 2, versions: [2, 1] });
    const latest = await gql(officer(), FIND, { town: '104', month: '2026-06' });
    expect(latest.body.data.keyPersonDetermination.version).toBe(2);
    expect(latest.body.data.keyPersonDetermination.entries).toHaveLength(2);
    const first = await gql(officer(), FIND, { town: '104', month: '2026-06', version: 1 });
    expect(first.body.data.keyPersonDetermination.entries).toEqual([{ subjectId, flagLevel: 'CITY', released: false, subject: { id: subjectId } }]);
    const events = await svc().dataSource.query(`SELECT payload FROM correction.bus_outbox WHERE name = 'correction.key-persons.determined' ORDER BY occurred_at`);
    expect(events.map((e: { payload: { version: number; keyPersonCount: number } }) => [e.payload.version, e.payload.keyPersonCount])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    // AL-4 (issue 11): the subjects with their person key, released = no longer a key person.
    const subjects = events[1].payload.subjects as Array<{ subjectId: string; personKey: string; keyPerson: boolean }>;
    expect(subjects.map((x) => [x.subjectId, x.keyPerson])).toEqual([
      [subjectId, false],
      [other, true],
    ]);
    expect(subjects.every((x) => /^[0-9a-f]{64}$/.test(x.personKey))).toBe(true);
  });

  it('CC-10: the current key persons are the unreleased entries of the latest determination', async () => {
    const res = await gql(officer(), `{ currentKeyPersons(first: 10) { totalCount edges { node { subjectId month town { code name } } } } }`);
    expect(res.body.data.currentKeyPersons).toEqual({ totalCount: 1, edges: [{ node: { subjectId: other, month: '2026-06', town: { code: '104', name: '徐霞客镇' } } }] });
  });

  it('CC-10: a determination recorded while a holiday-table change locks the open subjects one by one (in id order) waits for it, and both complete — no deadlock', async () => {
    const [lo, hi] = [subjectId, other].sort();
    const ds = svc().dataSource;
    // the deadlines' recompute of a holiday-table change: every open subject FOR UPDATE, in id order, has reached `lo`
    const recompute = ds.createQueryRunner();
    await recompute.connect();
    try {
      await recompute.query(`START TRANSACTION`);
      await recompute.query(`SELECT id FROM correction.subjects WHERE id = $1 FOR UPDATE`, [lo]);
      // the officer lists `hi` first
      const entry = (id: string) => ({ subjectId: id, reasons: ['多次违反报告规定'], flagLevel: 'TOWN', transformationProgress: 'IN_PROGRESS', released: false });
      const recorded = gql(officer(), RECORD, { i: { town: '104', month: '2026-07', entries: [entry(hi), entry(lo)] } }).then((r) => r); // sent now
      await untilALockIsAwaited(ds);
      // the recompute goes on to `hi`: the determination must not hold it while it waits for `lo`
      await recompute.query(`SET LOCAL lock_timeout = '5s'`);
      await recompute.query(`SELECT id FROM correction.subjects WHERE id = $1 FOR UPDATE`, [hi]);
      await recompute.query(`COMMIT`);
      const res = await recorded;
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.recordKeyPersonDetermination).toMatchObject({ month: '2026-07', version: 1 });
      // the answer keeps the officer's order
      expect(res.body.data.recordKeyPersonDetermination.entries.map((e: { subjectId: string }) => e.subjectId)).toEqual([hi, lo]);
    } finally {
      if (recompute.isTransactionActive) await recompute.query('ROLLBACK').catch(() => undefined);
      await recompute.release();
    }
  });

  it('CC-10: a subject of another town is refused; another town\'s officer cannot read or record for 104', async () => {
    const stranger = await activeSubject('110101199003077758', '107', '2026-03-01');
    const bad = await gql(officer(), RECORD, {
      i: { town: '104', month: '2026-06', entries: [{ subjectId: stranger, reasons: ['x'], flagLevel: 'TOWN', transformationProgress: 'NOT_STARTED', released: false }] },
    });
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const o107 = officer(['107']);
    expect((await gql(o107, FIND, { town: '104', month: '2026-06' })).body.data.keyPersonDetermination).toBeNull();
    const rec = await gql(o107, RECORD, { i: { town: '104', month: '2026-06', entries: [] } });
    expect(rec.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await gql(o107, `{ currentKeyPersons(first: 10) { totalCount } }`)).body.data.currentKeyPersons.totalCount).toBe(0);
  });
});
