import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { testCast } from '@homeward/testing';
import { assignSocialWorker, enrolActiveSubject, useCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

describe('CC-17 restorative justice (real PostgreSQL + Redis)', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-08-03T02:00:00Z'));
  const { court, bureau, officer104, officer107, worker104Principal, worker104 } = testCast(keys, clock);
  const { svc, ok, errorCode } = useCorrectionApp({ label: 'ccrest', clock, keys });

  const FIELDS = `id status statusLabel serviceHours quality qualityLabel excellent excellentOn serviceLog { hours note supervisedBy }`;
  const OPEN = `mutation($input: OpenRestorativeCaseInput!) { openRestorativeCase(input: $input) { ${FIELDS} } }`;
  const ASSESS = `mutation($input: AssessRestorativeCaseInput!) { assessRestorativeCase(input: $input) { ${FIELDS} } }`;
  const VICTIM = `mutation($input: RestorativeVictimInput!) { recordRestorativeVictim(input: $input) { ${FIELDS} } }`;
  const PLAN = `mutation($input: RestorativePlanInput!) { recordRestorativePlan(input: $input) { ${FIELDS} } }`;
  const START = `mutation($id: ID!) { startRestorativeService(caseId: $id) { ${FIELDS} } }`;
  const LOG = `mutation($input: RestorativeServiceInput!) { logRestorativeService(input: $input) { ${FIELDS} } }`;
  const EVALUATE = `mutation($input: EvaluateRestorativeCaseInput!) { evaluateRestorativeCase(input: $input) { ${FIELDS} } }`;
  const EXCELLENT = `mutation($id: ID!) { markRestorativeCaseExcellent(caseId: $id) { ${FIELDS} } }`;
  const TARGET = `query($year: Int!) { restorativeExcellenceTarget(year: $year) { town { code } excellentCases target met } }`;

  async function caseToService(subjectId: string): Promise<string> {
    const { openRestorativeCase: c } = await ok(officer104, OPEN, { input: { subjectId, harmDescription: '盗窃致被害人财产损失' } });
    await ok(officer104, ASSESS, { input: { caseId: c.id, suitable: true, note: '认罪悔罪，适宜修复' } });
    await ok(officer104, VICTIM, { input: { caseId: c.id, agrees: true, note: '被害人同意参与' } });
    await ok(officer104, PLAN, { input: { caseId: c.id, plan: '赔偿损失并参加社区服务20小时' } });
    await ok(officer104, START, { id: c.id });
    return c.id;
  }

  it('CC-17: assessment → victim → plan → supervised service → evaluation → excellent; the town meets the second-half target', async () => {
    const subjectId = await enrolActiveSubject(svc(), court, { idNumber: '11010519491231002X', on: '2026-08-01' });
    const before = await ok(bureau, TARGET, { year: 2026 });
    expect(before.restorativeExcellenceTarget.find((t: { town: { code: string } }) => t.town.code === '104')).toEqual({ town: { code: '104' }, excellentCases: 0, target: 1, met: false });
    const id = await caseToService(subjectId);
    expect(await errorCode(officer104, LOG, { input: { caseId: id, serviceDate: '2026-08-02', hours: 4, note: '开始前' } })).toBe('DATE_RANGE_INVALID');
    await ok(officer104, LOG, { input: { caseId: id, serviceDate: '2026-08-03', hours: 4, note: '社区清扫' } });
    const logged = await ok(officer104, LOG, { input: { caseId: id, serviceDate: '2026-08-03', hours: 2.5, note: '敬老院服务' } });
    expect(logged.logRestorativeService).toMatchObject({ status: 'IN_SERVICE', statusLabel: '社区服务监督中', serviceHours: 6.5 });
    expect(logged.logRestorativeService.serviceLog).toEqual([
      { hours: 4, note: '社区清扫', supervisedBy: 'officer' },
      { hours: 2.5, note: '敬老院服务', supervisedBy: 'officer' },
    ]);
    const evaluated = await ok(officer104, EVALUATE, { input: { caseId: id, quality: 'EXCELLENT', note: '修复效果好' } });
    expect(evaluated.evaluateRestorativeCase).toMatchObject({ status: 'EVALUATED', quality: 'EXCELLENT', qualityLabel: '优秀', excellent: false });
    const flagged = await ok(officer104, EXCELLENT, { id });
    expect(flagged.markRestorativeCaseExcellent).toMatchObject({ excellent: true, excellentOn: '2026-08-03' });
    expect(await errorCode(officer104, EXCELLENT, { id })).toBe('ILLEGAL_TRANSITION');
    const after = await ok(officer104, TARGET, { year: 2026 });
    expect(after.restorativeExcellenceTarget).toEqual([{ town: { code: '104' }, excellentCases: 1, target: 1, met: true }]);
    expect((await ok(officer107, TARGET, { year: 2026 })).restorativeExcellenceTarget).toEqual([{ town: { code: '107' }, excellentCases: 0, target: 1, met: false }]);
    expect((await ok(officer104, TARGET, { year: 2027 })).restorativeExcellenceTarget[0].met).toBe(false);
    const [{ n }] = await svc().db.query(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'correction.restorative.mark-excellent'`);
    expect(n).toBe(1);
  });

  it('CC-17: steps out of order are ILLEGAL_TRANSITION; a GOOD case cannot be flagged excellent; unsuitable closes', async () => {
    const subjectId = await enrolActiveSubject(svc(), court, { idNumber: '11010519491231003X'.slice(0, 17) + '8', on: '2026-08-01' });
    const { openRestorativeCase: c } = await ok(officer104, OPEN, { input: { subjectId, harmDescription: '损害' } });
    expect(await errorCode(officer104, PLAN, { input: { caseId: c.id, plan: '方案' } })).toBe('ILLEGAL_TRANSITION');
    expect(await errorCode(officer104, EVALUATE, { input: { caseId: c.id, quality: 'GOOD', note: 'x' } })).toBe('ILLEGAL_TRANSITION');
    const id = await caseToService(subjectId);
    await ok(officer104, EVALUATE, { input: { caseId: id, quality: 'GOOD', note: '良好' } });
    expect(await errorCode(officer104, EXCELLENT, { id })).toBe('ILLEGAL_TRANSITION');
    const closed = await ok(officer104, ASSESS, { input: { caseId: c.id, suitable: false, note: '不适宜' } });
    expect(closed.assessRestorativeCase.status).toBe('CLOSED_UNSUITABLE');
    expect(await errorCode(officer104, VICTIM, { input: { caseId: c.id, agrees: true, note: 'x' } })).toBe('ILLEGAL_TRANSITION');
  });

  it("CC-17: another town's officer neither sees nor changes the case; a social worker cannot write", async () => {
    const subjectId = await enrolActiveSubject(svc(), court, { idNumber: '110105194912310046', on: '2026-08-01' });
    const { openRestorativeCase: c } = await ok(officer104, OPEN, { input: { subjectId, harmDescription: '损害' } });
    expect(await errorCode(officer107, ASSESS, { input: { caseId: c.id, suitable: true, note: 'x' } })).toBe('NOT_FOUND');
    expect(await errorCode(officer107, OPEN, { input: { subjectId, harmDescription: 'x' } })).toBe('NOT_FOUND');
    expect(await errorCode(worker104, ASSESS, { input: { caseId: c.id, suitable: true, note: 'x' } })).toBe('FORBIDDEN');
    const list = await ok(officer107, `query { restorativeCases(first: 50) { totalCount edges { node { id } } } }`);
    expect(list.restorativeCases.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(c.id);
    await assignSocialWorker(svc(), officer104, subjectId, worker104Principal.sub); // issue 6 item 7
    const mine = await ok(worker104, `query($s: ID) { restorativeCases(subjectId: $s) { totalCount edges { node { id harmDescription } } } }`, { s: subjectId });
    expect(mine.restorativeCases).toEqual({ totalCount: 1, edges: [{ node: { id: c.id, harmDescription: '损害' } }] });
  });
});
