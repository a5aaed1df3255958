import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { testCast } from '@homeward/testing';
import { assignSocialWorker, enrolActiveSubject, useCorrectionApp } from '../../test/correction-harness';
import { AssistanceService } from './assistance.service';

jest.setTimeout(60_000);

describe('CC-18 assistance and disputes (real PostgreSQL + Redis)', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-08-03T02:00:00Z'));
  const { court, bureau, officer104, officer107, worker104Principal, worker104 } = testCast(keys, clock);
  const { svc, ok, errorCode } = useCorrectionApp({ label: 'ccassist', clock, keys });

  const NEED = `mutation($input: RecordAssistanceNeedInput!) { recordAssistanceNeed(input: $input) { id kind kindLabel status statusLabel } }`;
  const GIVE = `mutation($input: GiveAssistanceInput!) { giveAssistance(input: $input) { status statusLabel givenOn givenBy givenNote } }`;

  it('CC-18: need recorded → assistance given (date, by, note); once only; K-CC3 counts in need / assisted', async () => {
    const a = await enrolActiveSubject(svc(), court, { idNumber: '110105194912310062', on: '2026-08-01' });
    const b = await enrolActiveSubject(svc(), court, { idNumber: '110105194912310089', on: '2026-08-01' });
    const counts = svc().app.get(AssistanceService);
    const base = await counts.assistanceCounts(['104'], '2026-08-01', '2026-08-31');
    const { recordAssistanceNeed: na } = await ok(officer104, NEED, { input: { subjectId: a, kind: 'MINIMUM_LIVING_ALLOWANCE', description: '家庭困难', recordedOn: '2026-08-01' } });
    expect(na).toMatchObject({ kind: 'MINIMUM_LIVING_ALLOWANCE', kindLabel: '最低生活保障', status: 'OPEN', statusLabel: '待帮扶' });
    await ok(officer104, NEED, { input: { subjectId: b, kind: 'JOB_REFERRAL', description: '失业' } });
    expect(await counts.assistanceCounts(['104'], '2026-08-01', '2026-08-31')).toEqual({ inNeed: base.inNeed + 2, assisted: base.assisted });
    const given = await ok(officer104, GIVE, { input: { needId: na.id, givenOn: '2026-08-02', givenBy: '澄江街道民政办', note: '已纳入低保' } });
    expect(given.giveAssistance).toEqual({ status: 'MET', statusLabel: '已帮扶', givenOn: '2026-08-02', givenBy: '澄江街道民政办', givenNote: '已纳入低保' });
    expect(await counts.assistanceCounts(['104'], '2026-08-01', '2026-08-31')).toEqual({ inNeed: base.inNeed + 2, assisted: base.assisted + 1 });
    // A need met before the period no longer makes the subject "in need" in it; other towns are not counted.
    expect(await counts.assistanceCounts(['104'], '2026-09-01', '2026-09-30')).toEqual({ inNeed: base.inNeed + 1, assisted: 0 });
    expect(await counts.assistanceCounts(['107'], '2026-08-01', '2026-08-31')).toEqual({ inNeed: 0, assisted: 0 });
    expect(await errorCode(officer104, GIVE, { input: { needId: na.id, note: 'again' } })).toBe('ILLEGAL_TRANSITION');
    expect(await errorCode(officer107, GIVE, { input: { needId: na.id, note: 'x' } })).toBe('NOT_FOUND');
    expect(await errorCode(officer104, NEED, { input: { subjectId: a, kind: 'TEMPORARY_RELIEF', description: 'x', recordedOn: '2026-08-04' } })).toBe('DATE_INVALID');
    await assignSocialWorker(svc(), officer104, b, worker104Principal.sub); // issue 6 item 7
    const open = await ok(worker104, `query { assistanceNeeds(status: OPEN, kind: JOB_REFERRAL) { totalCount edges { node { subjectId kindLabel } } } }`);
    expect(open.assistanceNeeds.edges).toEqual([{ node: { subjectId: b, kindLabel: '就业推荐' } }]);
    expect((await ok(officer107, `query { assistanceNeeds { totalCount } }`)).assistanceNeeds.totalCount).toBe(0);
  });

  it('CC-18: a dispute found and resolved, once', async () => {
    const s = await enrolActiveSubject(svc(), court, { idNumber: '110105194912310097', on: '2026-08-01' });
    const found = await ok(officer104, `mutation($input: RecordDisputeInput!) { recordDispute(input: $input) { id status statusLabel } }`, {
      input: { subjectId: s, description: '邻里纠纷', foundOn: '2026-08-02' },
    });
    expect(found.recordDispute).toMatchObject({ status: 'OPEN', statusLabel: '未化解' });
    const RESOLVE = `mutation($input: ResolveDisputeInput!) { resolveDispute(input: $input) { status statusLabel resolvedOn resolution } }`;
    const resolved = await ok(officer104, RESOLVE, { input: { disputeId: found.recordDispute.id, resolution: '调解成功' } });
    expect(resolved.resolveDispute).toEqual({ status: 'RESOLVED', statusLabel: '已化解', resolvedOn: '2026-08-03', resolution: '调解成功' });
    expect(await errorCode(officer104, RESOLVE, { input: { disputeId: found.recordDispute.id, resolution: 'x' } })).toBe('ILLEGAL_TRANSITION');
    const list = await ok(bureau, `query($s: ID) { disputes(subjectId: $s) { totalCount edges { node { status } } } }`, { s });
    expect(list.disputes).toEqual({ totalCount: 1, edges: [{ node: { status: 'RESOLVED' } }] });
  });
});
