import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { testCast } from '@homeward/testing';
import { enrolActiveSubject, useCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

/** Wuxi city centre: outside the county, so only an approved leave makes it allowed (CC-12/CC-13). */
const WUXI = { lat: 31.49, lng: 120.31 };

describe('CC-13 leave (real PostgreSQL + Redis)', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const { court, platform, bureau, officer104, officer107 } = testCast(keys, clock);
  const { svc, gql, post, outbox } = useCorrectionApp({ label: 'ccleave', clock, keys, env: { MONITORING_SILENT_CHECK_SECONDS: '3600' } });

  const REQUEST = `mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id status approvalLevel approvalLevelLabel days } }`;
  const APPROVE = `mutation($input: DecideLeaveInput!) { approveLeave(input: $input) { status decidedBy } }`;
  const RETURN = `mutation($input: RecordLeaveReturnInput!) { recordLeaveReturn(input: $input) { status returnedOn } }`;
  let subjectId: string;
  const leave = (over: Record<string, unknown> = {}) => ({ subjectId, kind: 'LEAVE', destination: '无锡市', reason: '探亲', startDate: '2026-11-23', endDate: '2026-11-29', ...over });

  beforeAll(async () => {
    subjectId = await enrolActiveSubject(svc(), court, { idNumber: '11010519491231002X' });
  });

  it('CC-13: up to 7 days the justice office (town officer) approves; the approval is published', async () => {
    const req = await gql(officer104, REQUEST, { input: leave() }).expect(200);
    expect(req.body.data.requestLeave).toMatchObject({ status: 'REQUESTED', approvalLevel: 'JUSTICE_OFFICE', approvalLevelLabel: '司法所', days: 7 });
    const id = req.body.data.requestLeave.id;
    const ok = await gql(officer104, APPROVE, { input: { leaveId: id } }).expect(200);
    expect(ok.body.data.approveLeave).toEqual({ status: 'APPROVED', decidedBy: 'officer' });
    const [event] = await outbox('correction.leave.approved');
    expect(event.payload).toMatchObject({ leaveId: id, subjectId, town: '104', kind: 'LEAVE', startDate: '2026-11-23', endDate: '2026-11-29' });
    const back = await gql(officer104, RETURN, { input: { leaveId: id, returnedOn: '2026-11-29' } }).expect(200);
    expect(back.body.data.recordLeaveReturn).toEqual({ status: 'RETURNED', returnedOn: '2026-11-29' });
    expect(await outbox('correction.leave.returned')).toHaveLength(1);
    const again = await gql(officer104, RETURN, { input: { leaveId: id, returnedOn: '2026-11-29' } }).expect(200);
    expect(again.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
  });

  it('CC-13: 8 days needs the county bureau: the town officer is refused, the bureau approves', async () => {
    const req = await gql(officer104, REQUEST, { input: leave({ endDate: '2026-11-30' }) }).expect(200);
    expect(req.body.data.requestLeave).toMatchObject({ approvalLevel: 'COUNTY_BUREAU', days: 8 });
    const id = req.body.data.requestLeave.id;
    const refused = await gql(officer104, APPROVE, { input: { leaveId: id } }).expect(200);
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    // The refusal is on record (it was written inside the transaction the refusal rolled back, and lost).
    const denied = await svc().db.query(`SELECT action, towns FROM audit.events WHERE entity_id = $1 AND outcome = 'DENIED'`, [id]);
    expect(denied).toEqual([{ action: 'correction.leave.approve', towns: ['104'] }]);
    const ok = await gql(bureau, APPROVE, { input: { leaveId: id } }).expect(200);
    expect(ok.body.data.approveLeave.status).toBe('APPROVED');
  });

  it('CC-13: one approval covers at most 30 days (cfg); another town\'s officer cannot request for the subject', async () => {
    const long = await gql(officer104, REQUEST, { input: leave({ endDate: '2026-12-23' }) }).expect(200);
    expect(long.body.errors[0].extensions).toMatchObject({ domainCode: 'VALIDATION_FAILED' });
    const foreign = await gql(officer107, REQUEST, { input: leave() }).expect(200);
    expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('CC-12 + CC-13: fixes inside an approved leave\'s travel area are no breach; after the leave they are', async () => {
    const mon = await gql(bureau, `mutation($input: ApproveMonitoringInput!) { approveElectronicMonitoring(input: $input) { id } }`, {
      input: { subjectId, ground: 'LEFT_COUNTY_WITHOUT_APPROVAL', deviceId: 'DEV-L', startDate: '2026-11-20', endDate: '2027-02-19', approvedBy: '李局长' },
    }).expect(200);
    expect(mon.body.errors).toBeUndefined();
    const area = { minLat: 31.45, minLng: 120.25, maxLat: 31.55, maxLng: 120.35 };
    const req = await gql(officer104, REQUEST, { input: leave({ startDate: '2026-12-01', endDate: '2026-12-03', destination: '无锡市区', travelArea: area }) }).expect(200);
    await gql(officer104, APPROVE, { input: { leaveId: req.body.data.requestLeave.id } }).expect(200);
    const during = await post('location-fixes', platform, { fixes: [{ deviceId: 'DEV-L', at: '2026-12-02T10:00:00+08:00', ...WUXI }] }).expect(202);
    expect(during.body.accepted).toBe(1);
    expect(await outbox('correction.location.breach')).toHaveLength(0);
    await post('location-fixes', platform, { fixes: [{ deviceId: 'DEV-L', at: '2026-12-04T10:00:00+08:00', ...WUXI }] }).expect(202);
    expect(await outbox('correction.location.breach')).toHaveLength(1);
  });
});
