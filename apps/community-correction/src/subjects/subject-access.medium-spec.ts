import { DomainErrorCode, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { eventually, testCast } from '@homeward/testing';
import { enrolActiveSubject, useCorrectionApp } from '../../test/correction-harness';
import { SubjectAccess } from './subject-access';

jest.setTimeout(60_000);

/**
 * Issue 8 item 1: the one access path to a subject (SubjectAccess on libs/platform's RecordAccess),
 * on real PostgreSQL: visible or NOT_FOUND, the denial audited once, locked for update.
 */
describe('SubjectAccess (RecordAccess on real PostgreSQL + Redis)', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const { court, mint } = testCast(keys, clock);
  const { svc, gql } = useCorrectionApp({ label: 'ccaccess', clock, keys });
  const officer104 = staffPrincipal({ towns: ['104'] });
  const officer107 = staffPrincipal({ towns: ['107'] });
  let subjectId: string;
  let personKey: string;

  const access = () => svc().app.get(SubjectAccess);
  const deniedRows = (entityId: string): Promise<Array<{ action: string; actor_id: string }>> =>
    svc().db.query(`SELECT action, actor_id FROM audit.events WHERE entity_id = $1 AND outcome = 'DENIED' ORDER BY id`, [entityId]);

  beforeAll(async () => {
    subjectId = await enrolActiveSubject(svc(), court, { idNumber: '11010519491231002X' });
    [{ person_key: personKey }] = await svc().dataSource.query(`SELECT person_key FROM correction.subjects WHERE id = $1`, [subjectId]);
  });

  it("issue 8 item 1 (CC-2 jurisdiction): a TOWN_OFFICER of another town gets NOT_FOUND and one audited denial; the subject's town gets it", async () => {
    const ds = svc().dataSource;
    await expect(ds.transaction((m) => access().forChange(m, officer107, subjectId, 'correction.test.change'))).rejects.toMatchObject({
      code: DomainErrorCode.NOT_FOUND,
      message: expect.stringContaining('未找到'),
    });
    await expect(access().forRead(ds.manager, officer107, subjectId, 'correction.test.read')).rejects.toMatchObject({ code: DomainErrorCode.NOT_FOUND });
    expect(await deniedRows(subjectId)).toEqual([
      { action: 'correction.test.change', actor_id: officer107.sub },
      { action: 'correction.test.read', actor_id: officer107.sub },
    ]);
    expect((await access().forRead(ds.manager, officer104, subjectId, 'correction.test.read')).id).toBe(subjectId);
    // Through the API: the feature's denial is the request's only DENIED row (the interceptor adds none).
    const res = await gql(mint(officer107), `mutation($input: SetSupervisionLevelInput!) { setSupervisionLevel(input: $input) { level } }`, {
      input: { subjectId, level: 'ORDINARY', reason: '表现良好' },
    }).expect(200);
    expect(res.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await deniedRows(subjectId)).map((r) => r.action)).toEqual(['correction.test.change', 'correction.test.read', 'correction.supervision.set-level']);
  });

  it('issue 8 item 1 (issue 6 item 7): a SOCIAL_WORKER of the town not assigned to the subject gets NOT_FOUND; assigned, it reads it', async () => {
    const ds = svc().dataSource;
    const unassigned = staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'], caseload: [] });
    await expect(access().forRead(ds.manager, unassigned, subjectId, 'correction.test.worker-read')).rejects.toMatchObject({ code: DomainErrorCode.NOT_FOUND });
    expect(await access().findForRead(ds.manager, unassigned, subjectId, 'correction.test.worker-read')).toBeNull();
    expect((await deniedRows(subjectId)).filter((r) => r.action === 'correction.test.worker-read')).toHaveLength(2);
    const assigned = { ...unassigned, caseload: [personKey] };
    expect((await access().forRead(ds.manager, assigned, subjectId, 'correction.test.worker-read')).id).toBe(subjectId);
    // A social worker never changes the subject's own file (town scope), assigned or not.
    await expect(ds.transaction((m) => access().forTownChange(m, assigned, subjectId, 'correction.test.file-change'))).rejects.toMatchObject({
      code: DomainErrorCode.NOT_FOUND,
    });
  });

  it('issue 8 item 1: forChange locks the subject FOR UPDATE: a concurrent writer waits until the holder commits', async () => {
    const ds = svc().dataSource;
    const steps: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = ds.transaction(async (m) => {
      await access().forChange(m, officer104, subjectId, 'correction.test.lock');
      steps.push('first locked');
      await held;
      await m.query(`UPDATE correction.subjects SET reported_on = '2026-11-21' WHERE id = $1`, [subjectId]);
      steps.push('first done');
    });
    await eventually(async () => steps, (s) => s.includes('first locked'));
    const second = ds.transaction(async (m) => {
      const subject = await access().forChange(m, officer104, subjectId, 'correction.test.lock');
      steps.push(`second locked, sees reported_on ${subject.reportedOn}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(steps).toEqual(['first locked']);
    release();
    await Promise.all([first, second]);
    expect(steps).toEqual(['first locked', 'first done', 'second locked, sees reported_on 2026-11-21']);
  });
});
