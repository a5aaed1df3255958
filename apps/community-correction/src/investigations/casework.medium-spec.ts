import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

/** Wuxi city centre: outside the county, so only an approved leave makes it allowed (CC-12/CC-13). */
const WUXI = { lat: 31.49, lng: 120.31 };
const YEAR = 3600 * 24 * 365;

describe('CC-13 leave, CC-14 investigation assessments, CC-16 procuratorate notices (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const mint = (p: Parameters<TestKeys['mint']>[0]) => keys.mint(p, { expiresInSeconds: YEAR, now: clock.now() });
  const court = mint(partnerPrincipal(AgencyKind.COURT));
  const otherCourt = mint(partnerPrincipal(AgencyKind.COURT, { agencyId: 'another-court' }));
  const procuratorate = mint(partnerPrincipal(AgencyKind.PROCURATORATE));
  const platform = mint(partnerPrincipal(AgencyKind.MONITORING_PLATFORM));
  const bureau = mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'], username: 'bureau' }));
  const officer104 = mint(staffPrincipal({ towns: ['104'] }));
  const officer107 = mint(staffPrincipal({ towns: ['107'] }));

  const http = () => request(app.getHttpServer());
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const post = (path: string, token: string, body: object, key = `K-${Math.random()}`) =>
    http().post(`/api/v1/correction/${path}`).set('authorization', `Bearer ${token}`).set('idempotency-key', key).send(body);
  const outbox = (name: string) => ds.query(`SELECT payload FROM correction.bus_outbox WHERE name = $1 ORDER BY seq`, [name]);

  async function activeSubject(idNumber: string): Promise<string> {
    const res = await post('enrolments', court, {
      person: { idNumber, name: '测试对象', residenceTown: '104' },
      sentenceType: 'PROBATION',
      judgmentDocumentNo: `(2026)苏0281刑初${idNumber.slice(-4)}号`,
      judgmentEffectiveDate: '2026-11-20',
      correctionStartDate: '2026-11-20',
      correctionEndDate: '2027-11-19',
      offence: '盗窃罪',
      decidingAuthority: '江阴市人民法院',
    }).expect(201);
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = 'correction' AND table_name = 'subjects' AND column_name = 'activated_on'`,
    );
    await ds.query(`UPDATE correction.subjects SET status = 'ACTIVE', reported_on = '2026-11-20'${n ? `, activated_on = '2026-11-20'` : ''} WHERE id = $1`, [res.body.id]);
    return res.body.id;
  }

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cccase', clock, keys, env: { MONITORING_SILENT_CHECK_SECONDS: '3600' } });
    ({ app, dataSource: ds } = svc);
  });

  afterAll(async () => {
    await svc?.close();
  });

  describe('CC-13 leave', () => {
    const REQUEST = `mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id status approvalLevel approvalLevelLabel days } }`;
    const APPROVE = `mutation($input: DecideLeaveInput!) { approveLeave(input: $input) { status decidedBy } }`;
    const RETURN = `mutation($input: RecordLeaveReturnInput!) { recordLeaveReturn(input: $input) { status returnedOn } }`;
    let subjectId: string;
    const leave = (over: Record<string, unknown> = {}) => ({ subjectId, kind: 'LEAVE', destination: '无锡市', reason: '探亲', startDate: '2026-11-23', endDate: '2026-11-29', ...over });

    beforeAll(async () => {
      subjectId = await activeSubject('11010519491231002X');
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

  describe('CC-14 investigation assessments', () => {
    const body = (over: Record<string, unknown> = {}, person: Record<string, unknown> = {}) => ({
      person: { idNumber: '110101199003071719', name: '赵某', residenceTown: '104', ...person },
      requestingDocumentNo: '(2026)苏0281刑初88号委托函',
      proposedSentenceType: 'PROBATION',
      expedited: false,
      offence: '危险驾驶罪',
      receivedDate: '2026-11-20',
      ...over,
    });
    let id: string;

    it('CC-14: 201 with dueDate = received + 10 working days (the received day not counted), PENDING', async () => {
      const res = await post('investigation-requests', court, body(), 'INV-1').expect(201);
      expect(res.body).toEqual({ id: expect.any(String), dueDate: '2026-12-04', status: 'PENDING' });
      expect(res.headers.location).toBe(`/api/v1/correction/investigation-requests/${res.body.id}`);
      id = res.body.id;
      const [event] = await outbox('correction.investigation.received');
      expect(event.payload).toMatchObject({ investigationId: id, town: '104', dueDate: '2026-12-04', remindOn: '2026-12-02' });
      const same = await post('investigation-requests', court, body(), 'INV-1').expect(201);
      expect(same.body.id).toBe(id);
    });

    it('CC-14: expedited (速裁) is due in 5 working days; a default receivedDate is today', async () => {
      const res = await post('investigation-requests', court, body({ expedited: true, receivedDate: undefined }, { idNumber: '11010119900307029X' })).expect(201);
      expect(res.body.dueDate).toBe('2026-11-27');
    });

    it.each([
      ['a wrong check digit', body({}, { idNumber: '110105194912310021' }), 422],
      ['an unknown town', body({}, { residenceTown: '999' }), 422],
      ['a sentence type outside CC-1', body({ proposedSentenceType: 'FINE' }), 422],
      ['a missing expedited flag', body({ expedited: undefined }), 400],
    ])('%s is refused', async (_what, payload, status) => {
      const res = await post('investigation-requests', court, payload).expect(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('only courts, procuratorates, police and prisons request; only the requester reads it', async () => {
      await post('investigation-requests', platform, body()).expect(403);
      const mine = await http().get(`/api/v1/correction/investigation-requests/${id}`).set('authorization', `Bearer ${court}`).expect(200);
      expect(mine.body).toEqual({ id, status: 'PENDING', dueDate: '2026-12-04' });
      await http().get(`/api/v1/correction/investigation-requests/${id}`).set('authorization', `Bearer ${otherCourt}`).expect(404);
    });

    it('staff of the town see it; another town does not until the bureau assigns it there', async () => {
      const q = `{ investigations(first: 10) { totalCount edges { node { id dueDate statusLabel overdue } } } }`;
      expect((await gql(officer104, q).expect(200)).body.data.investigations.totalCount).toBe(2);
      expect((await gql(officer107, q).expect(200)).body.data.investigations.totalCount).toBe(0);
      const assign = await gql(bureau, `mutation($input: AssignInvestigationTownInput!) { assignInvestigationTown(input: $input) { town { code } } }`, {
        input: { investigationId: id, town: '107' },
      }).expect(200);
      expect(assign.body.data.assignInvestigationTown.town.code).toBe('107');
      expect((await gql(officer107, q).expect(200)).body.data.investigations.totalCount).toBe(1);
      const [moved] = await outbox('correction.investigation.rescheduled');
      expect(moved.payload).toMatchObject({ investigationId: id, town: '107', dueDate: '2026-12-04' });
    });

    it('CC-14: extension by agreement moves the due date later (never earlier)', async () => {
      const EXTEND = `mutation($input: ExtendInvestigationInput!) { extendInvestigation(input: $input) { dueDate originalDueDate extensionReason } }`;
      const earlier = await gql(officer107, EXTEND, { input: { investigationId: id, newDueDate: '2026-12-01', reason: 'x' } }).expect(200);
      expect(earlier.body.errors[0].extensions.code).toBe('DATE_RANGE_INVALID');
      const ok = await gql(officer107, EXTEND, { input: { investigationId: id, newDueDate: '2026-12-11', reason: '经与法院协商延期' } }).expect(200);
      expect(ok.body.data.extendInvestigation).toEqual({ dueDate: '2026-12-11', originalDueDate: '2026-12-04', extensionReason: '经与法院协商延期' });
      const events = await outbox('correction.investigation.rescheduled');
      expect(events[events.length - 1].payload).toMatchObject({ dueDate: '2026-12-11', remindOn: '2026-12-09' });
    });

    it('CC-14: completion with an opinion and report; the requester fetches them; no second completion', async () => {
      const COMPLETE = `mutation($input: CompleteInvestigationInput!) { completeInvestigation(input: $input) { status opinion opinionLabel completedOn } }`;
      const input = { investigationId: id, opinion: 'SUITABLE', summary: '居住地固定，家庭支持', report: '调查评估报告全文' };
      const foreign = await gql(officer104, COMPLETE, { input }).expect(200);
      expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
      const res = await gql(officer107, COMPLETE, { input }).expect(200);
      expect(res.body.data.completeInvestigation).toEqual({ status: 'COMPLETED', opinion: 'SUITABLE', opinionLabel: '适用社区矫正', completedOn: '2026-11-20' });
      const [done] = await outbox('correction.investigation.completed');
      expect(done.payload).toMatchObject({ investigationId: id, onTime: true });
      const fetched = await http().get(`/api/v1/correction/investigation-requests/${id}`).set('authorization', `Bearer ${court}`).expect(200);
      expect(fetched.body).toMatchObject({ status: 'COMPLETED', opinion: 'SUITABLE', summary: '居住地固定，家庭支持', report: '调查评估报告全文', completedAt: '2026-11-20T02:00:00.000Z' });
      const again = await gql(officer107, COMPLETE, { input }).expect(200);
      expect(again.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
    });
  });

  describe('CC-16 procuratorate notices', () => {
    let subjectId: string;
    let noticeId: string;
    const notice = (over: Record<string, unknown> = {}) => ({ subjectId, kind: 'SUGGESTION', documentNo: '澄检建〔2026〕12号', issuedDate: '2026-11-20', content: '建议加强对该对象的日常监管', ...over });

    beforeAll(async () => {
      subjectId = await activeSubject('110101199003077758');
    });

    it('CC-16/CC-23: 201 with replyDue = issued + 15 days (cfg), 2026-12-05 being a Saturday → Monday 12-07; the reminder day is 3 days before', async () => {
      const res = await post('procuratorate-notices', procuratorate, notice()).expect(201);
      expect(res.body).toEqual({ id: expect.any(String), replyDue: '2026-12-07' });
      noticeId = res.body.id;
      const [event] = await outbox('correction.procuratorate-notice.received');
      expect(event.payload).toMatchObject({ noticeId, subjectId, town: '104', replyDue: '2026-12-07', remindOn: '2026-12-04' });
    });

    it('an unknown subject is 422, a bad kind 400, a court 403', async () => {
      await post('procuratorate-notices', procuratorate, notice({ subjectId: '00000000-0000-4000-8000-000000000000' })).expect(422);
      await post('procuratorate-notices', procuratorate, notice({ kind: 'LETTER' })).expect(400);
      await post('procuratorate-notices', court, notice()).expect(403);
    });

    it('CC-16: the town replies once; another town cannot see or reply', async () => {
      const REPLY = `mutation($input: ReplyProcuratorateNoticeInput!) { replyProcuratorateNotice(input: $input) { status statusLabel repliedOn } }`;
      expect((await gql(officer107, `{ procuratorateNotices(first: 5) { totalCount } }`).expect(200)).body.data.procuratorateNotices.totalCount).toBe(0);
      const list = await gql(officer104, `{ procuratorateNotices(first: 5) { totalCount edges { node { kindLabel replyDue overdue } } } }`).expect(200);
      expect(list.body.data.procuratorateNotices.edges[0].node).toEqual({ kindLabel: '检察建议', replyDue: '2026-12-07', overdue: false });
      const foreign = await gql(officer107, REPLY, { input: { noticeId, reply: '已整改' } }).expect(200);
      expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
      const ok = await gql(officer104, REPLY, { input: { noticeId, reply: '已落实整改' } }).expect(200);
      expect(ok.body.data.replyProcuratorateNotice).toEqual({ status: 'REPLIED', statusLabel: '已回复', repliedOn: '2026-11-20' });
      expect(await outbox('correction.procuratorate-notice.replied')).toHaveLength(1);
      const again = await gql(officer104, REPLY, { input: { noticeId, reply: '再次回复' } }).expect(200);
      expect(again.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
    });
  });
});
