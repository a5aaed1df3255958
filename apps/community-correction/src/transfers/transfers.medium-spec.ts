import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind, PeriodKind, Role, idNumberCheckChar, periodRange } from '@homeward/domain';
import { FixedClock, Principal } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { CorrectionApp, assignSocialWorker, bootCorrectionApp, whileSubjectIsMoved } from '../../test/correction-harness';
import { IndicatorsService } from '../indicators/indicators.service';
import { TransfersService } from './transfers.service';

jest.setTimeout(90_000);

/** A valid resident ID number (GB 11643) for the n-th test subject, male, born 1985-03-15. */
function idNumber(n: number): string {
  const first17 = `32028119850315${String(2 * n + 1).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

/** 00:30 in Shanghai on `date`: the transfer date has begun there. */
const shanghaiMorning = (date: string) => new Date(`${date}T00:30:00+08:00`);

describe('CC-13 change of residence moves the case (issue 7 item 9; real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  let transfers: TransfersService;
  let indicators: IndicatorsService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = partnerPrincipal(AgencyKind.COURT);
  const bureau = staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'], username: 'bureau' });
  const officer104 = staffPrincipal({ towns: ['104'], username: 'officer104' });
  const officer107 = staffPrincipal({ towns: ['107'], username: 'officer107' });
  const workerId = randomUUID();
  const socialWorker = staffPrincipal({ sub: workerId, roles: [Role.SOCIAL_WORKER], towns: ['104'], username: 'sw104' });
  const token = (p: Principal) => keys.mint(p, { now: clock.now(), expiresInSeconds: 3600 * 24 * 365 });

  const post = (path: string, body: object, who: Principal = court) =>
    request(app.getHttpServer()).post(path).set('authorization', `Bearer ${token(who)}`).set('idempotency-key', `K-${randomUUID()}`).send(body);
  const gql = (who: Principal, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token(who)}`).send({ query, variables }).expect(200);
  const outbox = (name: string, subjectId: string) =>
    ds.query(`SELECT payload FROM correction.bus_outbox WHERE name = $1 AND payload->>'subjectId' = $2 ORDER BY seq`, [name, subjectId]);

  const M = {
    report: `mutation($i: RecordReportInInput!) { recordReportIn(input: $i) { id } }`,
    tick: `mutation($i: TickIntakeItemsInput!) { tickIntakeItems(input: $i) { id } }`,
    activate: `mutation($i: ActivateSubjectInput!) { activateSubject(input: $i) { id status } }`,
    member: `mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }`,
    recruit: `mutation($input: RecruitVolunteerInput!) { recruitVolunteer(input: $input) { id } }`,
    serve: `mutation($input: ServeSubjectInput!) { serveSubject(input: $input) { id } }`,
    request: `mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id kind approvalLevel toTown { code name } receivingCountyCode receivingAuthority } }`,
    approve: `mutation($input: DecideLeaveInput!) { approveLeave(input: $input) { status } }`,
    reject: `mutation($input: DecideLeaveInput!) { rejectLeave(input: $input) { status } }`,
    monitor: `mutation($input: ApproveMonitoringInput!) { approveElectronicMonitoring(input: $input) { id } }`,
  };
  const SUBJECT = `query($id: ID!) { correctionSubject(id: $id) { id status statusLabel town { code } endedOn endReason endReasonLabel team { role } } }`;
  const subjectAs = async (who: Principal, id: string) => (await gql(who, SUBJECT, { id })).body.data.correctionSubject;
  const ALL_ITEMS = ['DOCUMENTS_CHECKED', 'IDENTITY_VERIFIED', 'REGISTERED', 'ARCHIVE_OPENED', 'ANNOUNCEMENT_MADE'];

  /** Enrolled by the court in 104, reported, checklist done, ACTIVE on 2026-11-25 — through the API. */
  async function activeSubject(n: number): Promise<string> {
    clock.set(new Date('2026-11-20T02:00:00Z'));
    const res = await post('/api/v1/correction/enrolments', {
      person: { idNumber: idNumber(n), name: '迁居对象', residenceTown: '104' },
      sentenceType: 'PROBATION',
      judgmentDocumentNo: `(2026)苏0281刑初${7000 + n}号`,
      judgmentEffectiveDate: '2026-11-20',
      correctionStartDate: '2026-11-20',
      correctionEndDate: '2027-11-19',
      offence: '盗窃罪',
      decidingAuthority: '江阴市人民法院',
    }).expect(201);
    const id = res.body.id as string;
    clock.set(new Date('2026-11-25T02:00:00Z'));
    expect((await gql(officer104, M.report, { i: { subjectId: id, reportedOn: '2026-11-24' } })).body.errors).toBeUndefined();
    expect((await gql(officer104, M.tick, { i: { subjectId: id, items: ALL_ITEMS, doneOn: '2026-11-24' } })).body.errors).toBeUndefined();
    expect((await gql(officer104, M.activate, { i: { subjectId: id, on: '2026-11-25' } })).body.errors).toBeUndefined();
    return id;
  }

  const residenceChange = (subjectId: string, over: Record<string, unknown>) => ({
    subjectId,
    kind: 'RESIDENCE_CHANGE',
    destination: '新住所',
    reason: '随家人迁居',
    startDate: '2026-11-26',
    endDate: '2026-11-26',
    ...over,
  });

  /** The officer of 104 asks, the county bureau approves (CC-13: a residence change is the bureau's). */
  async function approvedChange(subjectId: string, over: Record<string, unknown>): Promise<string> {
    const req = await gql(officer104, M.request, { input: residenceChange(subjectId, over) });
    expect(req.body.errors).toBeUndefined();
    const leaveId = req.body.data.requestLeave.id as string;
    const ok = await gql(bureau, M.approve, { input: { leaveId } });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.approveLeave.status).toBe('APPROVED');
    return leaveId;
  }

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc-transfer', clock, keys, env: { TRANSFER_SWEEP_INTERVAL_SECONDS: '3600', MONITORING_SILENT_CHECK_SECONDS: '3600' } });
    ({ app, dataSource: ds } = svc);
    transfers = svc.app.get(TransfersService);
    indicators = svc.app.get(IndicatorsService);
  });

  afterAll(async () => {
    await svc?.close();
  });

  describe('within Jiangyin, dated today', () => {
    let subjectId: string;
    let volunteerId: string;

    beforeAll(async () => {
      subjectId = await activeSubject(1);
      await assignSocialWorker(svc, token(officer104), subjectId, workerId);
      const member = await gql(officer104, M.member, { i: { subjectId, role: 'GRID_WORKER', name: '网格员甲', gender: 'MALE' } });
      expect(member.body.errors).toBeUndefined();
      const volunteer = await gql(officer104, M.recruit, { input: { town: '104', name: '志愿者乙', kind: 'VETERAN', recruitedOn: '2026-06-01' } });
      expect(volunteer.body.errors).toBeUndefined();
      volunteerId = volunteer.body.data.recruitVolunteer.id;
      const served = await gql(officer104, M.serve, { input: { volunteerId, subjectId, fromDate: '2026-11-25' } });
      expect(served.body.errors).toBeUndefined();
      clock.set(shanghaiMorning('2026-11-26'));
    });

    it('CC-13: the request names the new town; the approval moves the case from 徐霞客 (104) to 华士 (107) at once', async () => {
      expect(await subjectAs(socialWorker, subjectId)).toMatchObject({ id: subjectId });
      await approvedChange(subjectId, { toTown: '107' });
      expect(await subjectAs(officer107, subjectId)).toMatchObject({ status: 'ACTIVE', town: { code: '107' } });
      const [event] = await outbox('correction.subject.transferred', subjectId);
      expect(event.payload).toEqual({
        transferId: expect.any(String),
        leaveId: expect.any(String),
        subjectId,
        personKey: expect.stringMatching(/^[0-9a-f]{64}$/),
        town: '107',
        fromTown: '104',
        toTown: '107',
        receivingCountyCode: null,
        effectiveDate: '2026-11-26',
      });
      const [audit] = await svc.db.query<{ n: string }>(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.transfer.apply' AND details->>'subjectId' = $1`, [subjectId]);
      expect(Number(audit.n)).toBe(1);
    });

    it('CC-13: from the transfer date the old town\'s officer gets NOT_FOUND (a read answers null, a change NOT_FOUND)', async () => {
      expect(await subjectAs(officer104, subjectId)).toBeNull();
      const change = await gql(officer104, M.request, { input: { ...residenceChange(subjectId, {}), kind: 'LEAVE', startDate: '2026-12-01', endDate: '2026-12-02' } });
      expect(change.body.errors[0].extensions.code).toBe('NOT_FOUND');
      // The new town's officer can change the case now.
      const leave = await gql(officer107, M.request, { input: { ...residenceChange(subjectId, {}), kind: 'LEAVE', startDate: '2026-12-01', endDate: '2026-12-02' } });
      expect(leave.body.errors).toBeUndefined();
    });

    it('CC-13: the old town\'s social-worker assignment and correction team end with the transfer', async () => {
      expect(await subjectAs(socialWorker, subjectId)).toBeNull();
      const [ended] = await outbox('correction.assignment.changed', subjectId).then((rows) => rows.filter((r: { payload: { endedAt: string | null } }) => r.payload.endedAt));
      expect(ended.payload).toMatchObject({ workerId, town: '104', endedBy: 'system:residence-transfer' });
      expect((await subjectAs(officer107, subjectId)).team).toEqual([]);
    });

    it('CC-13, CC-22: the old town\'s volunteer stops serving the subject on the transfer date (kept as history); the hand-over counts it', async () => {
      const links = await ds.query(`SELECT town, from_date::text, to_date::text, ended_by FROM correction.volunteer_subjects WHERE volunteer_id = $1`, [volunteerId]);
      expect(links).toEqual([{ town: '104', from_date: '2026-11-25', to_date: '2026-11-26', ended_by: 'system:residence-transfer' }]);
      const [t] = await ds.query(`SELECT handover FROM correction.residence_transfers WHERE subject_id = $1`, [subjectId]);
      expect(t.handover).toMatchObject({ volunteerServicesEnded: 1, teamMembersEnded: 1, assignmentsEnded: 1 });
      // The new town's volunteer may serve the subject now.
      const volunteer = await gql(officer107, M.recruit, { input: { town: '107', name: '志愿者丙', kind: 'VETERAN', recruitedOn: '2026-06-01' } });
      const served = await gql(officer107, M.serve, { input: { volunteerId: volunteer.body.data.recruitVolunteer.id, subjectId } });
      expect(served.body.errors).toBeUndefined();
    });
  });

  describe('within Jiangyin, dated in the future', () => {
    let subjectId: string;

    beforeAll(async () => {
      subjectId = await activeSubject(2);
      clock.set(shanghaiMorning('2026-11-26'));
      await approvedChange(subjectId, { toTown: '107', startDate: '2026-12-15', endDate: '2026-12-15' });
    });

    it('CC-13: before the transfer date the old officer still has the case and the new one does not', async () => {
      expect(await subjectAs(officer104, subjectId)).toMatchObject({ town: { code: '104' } });
      const pending = await gql(officer104, `query($id: ID!) { correctionSubject(id: $id) { residenceTransfers { status toTown { code } effectiveDate } } }`, { id: subjectId });
      expect(pending.body.data.correctionSubject.residenceTransfers).toEqual([{ status: 'PENDING', toTown: { code: '107' }, effectiveDate: '2026-12-15' }]);
      expect(await subjectAs(officer107, subjectId)).toBeNull();
      clock.set(new Date('2026-12-14T15:59:00Z')); // 23:59 on 12-14 in Shanghai
      await transfers.applyDue();
      expect(await subjectAs(officer104, subjectId)).toMatchObject({ town: { code: '104' } });
      expect(await outbox('correction.subject.transferred', subjectId)).toHaveLength(0);
    });

    it('CC-13: on the transfer date the periodic run moves it: the old officer gets NOT_FOUND, the new one sees it', async () => {
      clock.set(shanghaiMorning('2026-12-15'));
      expect(await transfers.applyDue()).toBe(1);
      expect(await subjectAs(officer104, subjectId)).toBeNull();
      expect(await subjectAs(officer107, subjectId)).toMatchObject({ status: 'ACTIVE', town: { code: '107' } });
      const [event] = await outbox('correction.subject.transferred', subjectId);
      expect(event.payload).toMatchObject({ fromTown: '104', toTown: '107', effectiveDate: '2026-12-15' });
      expect(await transfers.applyDue()).toBe(0);
    });

    it('CC-13: indicators count the subject in the new town from the transfer date (November stays with 104)', async () => {
      const november = await indicators.countsByTown(['104', '107'], periodRange(PeriodKind.MONTH, 2026, 11));
      const december = await indicators.countsByTown(['104', '107'], periodRange(PeriodKind.MONTH, 2026, 12));
      // Subject 1 moved on 11-26, subject 2 on 12-15.
      expect(november.get('104')?.activeSubjects).toBe(1);
      expect(november.get('107')?.activeSubjects).toBe(1);
      expect(december.get('104')?.activeSubjects).toBe(0);
      expect(december.get('107')?.activeSubjects).toBe(2);
    });
  });

  describe('out of Jiangyin', () => {
    let subjectId: string;

    beforeAll(async () => {
      subjectId = await activeSubject(3);
      const mon = await gql(bureau, M.monitor, {
        input: { subjectId, ground: 'LEFT_COUNTY_WITHOUT_APPROVAL', deviceId: 'DEV-T3', startDate: '2026-11-25', endDate: '2027-02-24', approvedBy: '李局长' },
      });
      expect(mon.body.errors).toBeUndefined();
      clock.set(shanghaiMorning('2026-12-16'));
    });

    it('CC-13: approval hands the case over: TRANSFERRED_OUT, no Jiangyin town keeps it, the city reads it read-only', async () => {
      const leaveId = await approvedChange(subjectId, { receivingCountyCode: '320282', receivingAuthority: '宜兴市社区矫正管理局', startDate: '2026-12-16', endDate: '2026-12-16' });
      expect(await subjectAs(officer104, subjectId)).toBeNull();
      expect(await subjectAs(officer107, subjectId)).toBeNull();
      expect(await subjectAs(bureau, subjectId)).toMatchObject({ status: 'TRANSFERRED_OUT', statusLabel: '已迁出移交', endedOn: '2026-12-16', endReason: 'TRANSFERRED_OUT', endReasonLabel: '变更执行地迁出移交' });
      const change = await gql(bureau, M.request, { input: { ...residenceChange(subjectId, {}), kind: 'LEAVE', startDate: '2026-12-20', endDate: '2026-12-21' } });
      expect(change.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
      const [event] = await outbox('correction.subject.transferred', subjectId);
      expect(event.payload).toMatchObject({ leaveId, fromTown: '104', toTown: null, receivingCountyCode: '320282', town: '320282', effectiveDate: '2026-12-16' });
    });

    it('CC-13: the hand-over record names the receiving county and what went with the case; Jiangyin\'s electronic location ends', async () => {
      const read = await gql(bureau, `query($id: ID!) { correctionSubject(id: $id) { residenceTransfers {
        status statusLabel fromTown { code } toTown { code } receivingCountyCode receivingAuthority effectiveDate approvedBy handover { monitoringsEnded assignmentsEnded } } } }`, { id: subjectId });
      expect(read.body.errors).toBeUndefined();
      expect(read.body.data.correctionSubject.residenceTransfers).toEqual([
        {
          status: 'APPLIED',
          statusLabel: '已移交',
          fromTown: { code: '104' },
          toTown: null,
          receivingCountyCode: '320282',
          receivingAuthority: '宜兴市社区矫正管理局',
          effectiveDate: '2026-12-16',
          approvedBy: 'bureau',
          handover: { monitoringsEnded: 1, assignmentsEnded: 0 },
        },
      ]);
      const [t] = await ds.query(`SELECT * FROM correction.residence_transfers WHERE subject_id = $1`, [subjectId]);
      expect(t).toMatchObject({ status: 'APPLIED', from_town: '104', to_town: null, receiving_county_code: '320282', receiving_authority: '宜兴市社区矫正管理局', approved_by: 'bureau' });
      expect(t.handover).toMatchObject({ monitoringsEnded: 1, archiveDocuments: expect.any(Number) });
      const [m] = await ds.query(`SELECT status, ended_on::text AS ended_on, town FROM correction.monitorings WHERE subject_id = $1`, [subjectId]);
      expect(m).toEqual({ status: 'ENDED', ended_on: '2026-12-16', town: '320282' });
    });
  });

  describe('bad input and refusals', () => {
    let subjectId: string;
    const leaves = async () => Number((await ds.query(`SELECT count(*) AS n FROM correction.leaves WHERE subject_id = $1`, [subjectId]))[0].n);
    const CJK = /[\u4e00-\u9fff]/;

    beforeAll(async () => {
      subjectId = await activeSubject(4);
      clock.set(shanghaiMorning('2026-11-26'));
    });

    it.each([
      ['no new town or county', {}, 'VALIDATION_FAILED'],
      ['both a town and a county', { toTown: '107', receivingCountyCode: '320282', receivingAuthority: '宜兴市社区矫正管理局' }, 'VALIDATION_FAILED'],
      ['the current town', { toTown: '104' }, 'VALIDATION_FAILED'],
      ['an unknown town', { toTown: '999' }, 'TOWN_UNKNOWN'],
      ['Jiangyin as the receiving county', { receivingCountyCode: '320281', receivingAuthority: '江阴市' }, 'VALIDATION_FAILED'],
      ['a county without its receiving body', { receivingCountyCode: '320282' }, 'VALIDATION_FAILED'],
    ])('CC-13: a change of residence naming %s is refused with a bilingual message and nothing stored', async (_what, over, code) => {
      const before = await leaves();
      const res = await gql(officer104, M.request, { input: residenceChange(subjectId, over) });
      expect(res.body.errors[0].extensions.domainCode ?? res.body.errors[0].extensions.code).toBe(code);
      expect(res.body.errors[0].message).toMatch(CJK);
      expect(await leaves()).toBe(before);
    });

    it('CC-13: a leave (外出) names no new town', async () => {
      const res = await gql(officer104, M.request, { input: { ...residenceChange(subjectId, { toTown: '107' }), kind: 'LEAVE' } });
      expect(res.body.errors[0].extensions.domainCode).toBe('VALIDATION_FAILED');
    });

    it('CC-13: a refused change of residence moves nothing', async () => {
      const req = await gql(officer104, M.request, { input: residenceChange(subjectId, { toTown: '107' }) });
      const no = await gql(bureau, M.reject, { input: { leaveId: req.body.data.requestLeave.id } });
      expect(no.body.data.rejectLeave.status).toBe('REJECTED');
      expect(await subjectAs(officer104, subjectId)).toMatchObject({ town: { code: '104' } });
      expect(await outbox('correction.subject.transferred', subjectId)).toHaveLength(0);
    });
  });

  describe('lock order (a lock-order review, session 14)', () => {
    it('CC-13: a residence change dated today approved while another change of the subject is being carried out waits for it (subject first), and both complete — no deadlock', async () => {
      const subjectId = await activeSubject(5);
      clock.set(shanghaiMorning('2026-11-26'));
      const req = await gql(officer104, M.request, { input: residenceChange(subjectId, { toTown: '107' }) });
      expect(req.body.errors).toBeUndefined();
      const leaveId = req.body.data.requestLeave.id as string;
      // a transfer's carryOut under way: the subject locked, then its leaves moved to the new town
      const res = await whileSubjectIsMoved(
        ds,
        subjectId,
        () => gql(bureau, M.approve, { input: { leaveId } }).then((r) => r),
        `UPDATE correction.leaves SET town = town WHERE subject_id = $1`,
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.approveLeave.status).toBe('APPROVED');
      expect(await subjectAs(officer107, subjectId)).toMatchObject({ town: { code: '107' } });
    });
  });
});
