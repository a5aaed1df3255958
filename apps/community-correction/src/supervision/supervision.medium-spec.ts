import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { CorrectionApp, assignSocialWorker, bootCorrectionApp, enrolActiveSubject } from '../../test/correction-harness';

jest.setTimeout(90_000);

/**
 * CC-8 levels, CC-9 check-ins and compliance, CC-11 sanctions, through the staff GraphQL
 * API on real PostgreSQL + Redis, moving the FixedClock.
 */
describe('community-correction supervision (CC-8, CC-9, CC-11, real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-03-01T02:00:00Z'));
  const court = () => keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: 3600, now: clock.now() });
  const officer = (towns = ['104'], roles = [Role.TOWN_OFFICER]) => keys.mint(staffPrincipal({ towns, roles }), { now: clock.now() });

  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables }).expect(200);
  const outbox = async (name: string, subjectId: string) =>
    (await ds.query(`SELECT payload FROM correction.bus_outbox WHERE name = $1 AND payload->>'subjectId' = $2 ORDER BY occurred_at, id`, [name, subjectId])).map(
      (r: { payload: Record<string, unknown> }) => r.payload,
    );

  /** Enrols through the partner API, then makes the subject ACTIVE on `activatedOn` and announces it on the bus. */
  const activeSubject = (idNumber: string, town: string, activatedOn: string) =>
    enrolActiveSubject(svc, court(), { idNumber, town, on: '2026-03-01', activatedOn, announce: true });

  const SET_LEVEL = `mutation($input: SetSupervisionLevelInput!) { setSupervisionLevel(input: $input) { level levelLabel reason highRisk effectiveOn } }`;
  const CHECK_IN = `mutation($input: RecordCheckInInput!) { recordCheckIn(input: $input) { id channel channelLabel onDate dueOn daysLate } }`;
  const SUBJECT = `query($id: ID!) { correctionSubject(id: $id) {
      supervision { level levelLabel strictReasons { reason label } checkInIntervalDays educationHoursPerMonth communityServiceHoursPerMonth }
      compliance { month checkInsDue checkInsDone checkInsOverdue nextCheckInDue overdueDays educationHoursDue educationHoursDone communityServiceHoursDue communityServiceHoursDone }
      suggestedSanction { kind label reason lateOrLostContactDays }
      sanctions { kind kindLabel decidedOn }
      supervisionHistory { level reason decidedBy }
      checkIns(first: 10) { totalCount edges { node { channel daysLate } } }
    } }`;

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'ccsup', clock, keys });
    ({ app, dataSource: ds } = svc);
  });

  afterAll(async () => {
    await svc?.close();
  });

  let subjectId: string;

  it('CC-8: on activation the subject is STRICT (入矫初期严管) and the next check-in is due 7 days later', async () => {
    subjectId = await activeSubject('11010519491231002X', '104', '2026-03-01');
    const [row] = await eventually(
      () => ds.query(`SELECT level, decided_by, effective_on::text FROM correction.supervision_levels WHERE subject_id = $1`, [subjectId]),
      (r) => r.length === 1,
    );
    expect(row).toEqual({ level: 'STRICT', decided_by: 'system', effective_on: '2026-03-01' });
    expect(await outbox('correction.supervision.level-changed', subjectId)).toEqual([
      expect.objectContaining({ level: 'STRICT', checkInIntervalDays: 7, nextCheckInDue: '2026-03-08' }),
    ]);
    const res = await gql(officer(), SUBJECT, { id: subjectId });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.correctionSubject.supervision).toEqual({
      level: 'STRICT',
      levelLabel: '严管',
      strictReasons: [{ reason: 'FIRST_MONTHS', label: '入矫初期严管' }],
      checkInIntervalDays: 7,
      educationHoursPerMonth: 12,
      communityServiceHoursPerMonth: 12,
    });
  });

  it('CC-8: a level below STRICT in the first 2 months is refused with ILLEGAL_TRANSITION and changes nothing', async () => {
    clock.set(new Date('2026-04-30T02:00:00Z'));
    const res = await gql(officer(), SET_LEVEL, { input: { subjectId, level: 'ORDINARY', reason: '表现良好' } });
    expect(res.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
    expect(res.body.errors[0].message).toContain('入矫初期严管');
    expect(await ds.query(`SELECT 1 FROM correction.supervision_levels WHERE subject_id = $1`, [subjectId])).toHaveLength(1);
  });

  it('CC-8: a high-risk subject cannot go below STRICT; after the first 2 months a normal one can', async () => {
    clock.set(new Date('2026-05-01T02:00:00Z'));
    const risky = await gql(officer(), SET_LEVEL, { input: { subjectId, level: 'LENIENT', reason: '评估', highRisk: true } });
    expect(risky.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
    expect(risky.body.errors[0].message).toContain('再犯风险高');
    const ok = await gql(officer(), SET_LEVEL, { input: { subjectId, level: 'ORDINARY', reason: '表现良好，调整为普管' } });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.setSupervisionLevel).toMatchObject({ level: 'ORDINARY', levelLabel: '普管', effectiveOn: '2026-05-01', highRisk: false });
    const events = await outbox('correction.supervision.level-changed', subjectId);
    expect(events[events.length - 1]).toMatchObject({ level: 'ORDINARY', checkInIntervalDays: 14, nextCheckInDue: '2026-03-15' });
    const audit = await svc.db.query(`SELECT 1 FROM audit.events WHERE action = 'correction.supervision.set-level' AND entity_id = $1`, [subjectId]);
    expect(audit).toHaveLength(1);
  });

  it('CC-9: an APP check-in without the face-match result is refused; with it, it is recorded and announced with the next due date', async () => {
    const bad = await gql(officer(), CHECK_IN, { input: { subjectId, channel: 'APP', at: '2026-05-01T01:00:00Z', lat: 31.9, lng: 120.3 } });
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const res = await gql(officer(), CHECK_IN, { input: { subjectId, channel: 'APP', at: '2026-05-01T01:00:00Z', faceMatch: true, lat: 31.9, lng: 120.3 } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.recordCheckIn).toMatchObject({ channel: 'APP', channelLabel: '在矫通自主报到', onDate: '2026-05-01', dueOn: '2026-03-15', daysLate: 47 });
    const events = await outbox('correction.checkin.recorded', subjectId);
    expect(events).toEqual([expect.objectContaining({ checkedInOn: '2026-05-01', checkInIntervalDays: 14, nextCheckInDue: '2026-05-15', channel: 'APP' })]);
  });

  it('CC-11 (issue 7 item 2): a check-in 47 days late publishes threshold-reached once, suggesting 警告 — lateness is not lost contact, so never revocation', async () => {
    expect(await outbox('correction.sanction.threshold-reached', subjectId)).toEqual([
      expect.objectContaining({ suggested: 'WARNING', lateOrLostContactDays: 47 }),
    ]);
    const res = await gql(officer(), SUBJECT, { id: subjectId });
    expect(res.body.data.correctionSubject.suggestedSanction).toEqual({
      kind: 'WARNING',
      label: '警告',
      reason: '迟报47日，超过10日，建议警告',
      lateOrLostContactDays: 47,
    });
  });

  it('CC-9: compliance of the current month counts check-ins and hours due and done (by the injected clock)', async () => {
    clock.set(new Date('2026-05-20T02:00:00Z'));
    await gql(officer(), CHECK_IN, { input: { subjectId, channel: 'FACE_TO_FACE', at: '2026-05-14T02:00:00Z', note: '当面报告' } });
    const edu = await gql(officer(), `mutation($i: LogHoursInput!) { logEducation(input: $i) { kind kindLabel hours } }`, { i: { subjectId, hours: 3.5, onDate: '2026-05-10' } });
    expect(edu.body.data.logEducation).toEqual({ kind: 'EDUCATION', kindLabel: '教育学习', hours: 3.5 });
    await gql(officer(), `mutation($i: LogHoursInput!) { logCommunityService(input: $i) { hours } }`, { i: { subjectId, hours: 4, onDate: '2026-05-11' } });
    await gql(officer(), `mutation($i: LogHoursInput!) { logCommunityService(input: $i) { hours } }`, { i: { subjectId, hours: 2, onDate: '2026-04-11' } });
    const res = await gql(officer(), SUBJECT, { id: subjectId });
    expect(res.body.data.correctionSubject.compliance).toEqual({
      month: '2026-05',
      checkInsDue: 3, // met 05-01 (late) and 05-14, then 05-28 ahead
      checkInsDone: 2,
      checkInsOverdue: 0,
      nextCheckInDue: '2026-05-28',
      overdueDays: 0,
      educationHoursDue: 8,
      educationHoursDone: 3.5,
      communityServiceHoursDue: 8,
      communityServiceHoursDone: 4,
    });
    expect(res.body.data.correctionSubject.checkIns.totalCount).toBe(2);
  });

  it('CC-9: moving the clock past the due day shows the check-in overdue', async () => {
    clock.set(new Date('2026-05-30T02:00:00Z'));
    const res = await gql(officer(), SUBJECT, { id: subjectId });
    expect(res.body.data.correctionSubject.compliance).toMatchObject({ nextCheckInDue: '2026-05-28', overdueDays: 2, checkInsOverdue: 1 });
  });

  it('CC-11 + CC-8: recording a 警告 answers the lapse and makes the level STRICT; below STRICT is then refused until improvement', async () => {
    const rec = await gql(officer(), `mutation($i: RecordSanctionInput!) { recordSanction(input: $i) { kind kindLabel decidedOn } }`, {
      i: { subjectId, kind: 'WARNING', decidedOn: '2026-05-30', reason: '未按规定报告', decidedBy: '江阴市司法局' },
    });
    expect(rec.body.errors).toBeUndefined();
    expect(rec.body.data.recordSanction).toEqual({ kind: 'WARNING', kindLabel: '警告', decidedOn: '2026-05-30' });
    const res = await gql(officer(), SUBJECT, { id: subjectId });
    const s = res.body.data.correctionSubject;
    expect(s.supervision.level).toBe('STRICT');
    expect(s.supervision.strictReasons).toEqual([{ reason: 'SANCTIONED', label: '受到处罚后严管' }]);
    expect(s.supervisionHistory[0]).toMatchObject({ level: 'STRICT', reason: '受到处罚后严管' });
    const refused = await gql(officer(), SET_LEVEL, { input: { subjectId, level: 'ORDINARY', reason: '调整' } });
    expect(refused.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
    await gql(officer(), `mutation($i: RecordImprovementInput!) { recordImprovement(input: $i) { since } }`, { i: { subjectId, since: '2026-05-31', note: '表现好转' } });
    clock.set(new Date('2026-06-01T02:00:00Z'));
    const ok = await gql(officer(), SET_LEVEL, { input: { subjectId, level: 'ORDINARY', reason: '表现好转' } });
    expect(ok.body.errors).toBeUndefined();
  });

  it('CC-11: two 警告 without improvement suggest proposing revocation (and publish the threshold once more)', async () => {
    await gql(officer(), `mutation($i: RecordSanctionInput!) { recordSanction(input: $i) { kind } }`, {
      i: { subjectId, kind: 'WARNING', decidedOn: '2026-06-01', reason: '再次违规', decidedBy: '江阴市司法局' },
    });
    await gql(officer(), `mutation($i: RecordSanctionInput!) { recordSanction(input: $i) { kind } }`, {
      i: { subjectId, kind: 'WARNING', decidedOn: '2026-06-01', reason: '再次违规', decidedBy: '江阴市司法局' },
    });
    const res = await gql(officer(), SUBJECT, { id: subjectId });
    expect(res.body.data.correctionSubject.suggestedSanction).toMatchObject({ kind: 'REVOCATION_PROPOSAL', reason: '已受警告2次，仍未改正，建议提请撤销缓刑/假释或收监执行' });
    const events = await outbox('correction.sanction.threshold-reached', subjectId);
    expect(events.map((e: Record<string, unknown>) => e.suggested)).toEqual(['WARNING', 'REVOCATION_PROPOSAL']);
  });

  it('another town\'s officer can neither read nor change the supervision (NOT_FOUND, never the record)', async () => {
    const other = officer(['107']);
    const read = await gql(other, SUBJECT, { id: subjectId });
    expect(read.body.data.correctionSubject).toBeNull();
    const change = await gql(other, CHECK_IN, { input: { subjectId, channel: 'PHONE_VOICE', at: '2026-05-31T02:00:00Z' } });
    expect(change.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const level = await gql(other, SET_LEVEL, { input: { subjectId, level: 'STRICT', reason: 'x' } });
    expect(level.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('a social worker reads (once assigned, issue 6 item 7) but cannot record', async () => {
    const swPrincipal = staffPrincipal({ towns: ['104'], roles: [Role.SOCIAL_WORKER] });
    const sw = keys.mint(swPrincipal, { now: clock.now() });
    expect((await gql(sw, SUBJECT, { id: subjectId })).body.data.correctionSubject).toBeNull();
    await assignSocialWorker(svc, officer(), subjectId, swPrincipal.sub);
    expect((await gql(sw, SUBJECT, { id: subjectId })).body.data.correctionSubject.supervision.level).toBeDefined();
    const res = await gql(sw, CHECK_IN, { input: { subjectId, channel: 'PHONE_VOICE', at: '2026-05-31T02:00:00Z' } });
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
