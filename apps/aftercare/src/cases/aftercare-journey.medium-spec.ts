import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AgencyKind, ClosureReason, DrugTestResult, FollowUpKind, Role, idNumberCheckChar } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, findClearPii, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../app.module';
import { AftercareConfig } from '../config';
import { DrugTestsService } from '../drug-tests/drug-tests.service';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { AftercareCasesService } from './aftercare-cases.service';

jest.setTimeout(120_000);

const ID_A = '11010519491231002X';
const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);
const ID_B = withCheck('32028119900307001');
const ID_C = withCheck('32028119800101001');

/** AC-2 … AC-5 on the spine: enrolment, follow-ups, drug tests from police, relapse, breach, closure (real PostgreSQL + Redis). */
describe('aftercare cases: contact, follow-ups, drug tests, closure (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<AftercareConfig>;
  let app: NestExpressApplication;
  let cases: AftercareCasesService;
  let followUps: FollowUpsService;
  let tests: DrugTestsService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  const mint = (p: Parameters<TestKeys['mint']>[0]) => keys.mint(p, { expiresInSeconds: 3650 * 86_400, now: clock.now() });
  const centre = mint(partnerPrincipal(AgencyKind.REHAB_CENTRE, { agencyId: 'wuxi-rehab-1' }));
  const police = mint(partnerPrincipal(AgencyKind.POLICE, { agencyId: 'jiangyin-psb' }));
  const court = mint(partnerPrincipal(AgencyKind.COURT, { agencyId: 'jiangyin-court' }));
  const officer104 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] });
  const officer001 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['001'] });
  let caseA: string;
  let caseB: string;

  const notice = (idNumber: string, n: number) => ({
    person: { idNumber, name: `照管${n}`, residenceTown: '104' },
    centreRecordNo: `WX-J-${n}`,
    releaseDate: '2027-03-10',
    keyPerson: false,
    communityRehabilitation: n === 2,
  });
  const policeTest = (key: string, idNumber: string, testedAt: string, result: string, token = police) =>
    request(app.getHttpServer())
      .post('/api/v1/aftercare/drug-test-results')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', key)
      .send({ person: { idNumber, name: '照管', residenceTown: '104' }, testedAt, result });
  const caseRow = async (id: string) =>
    (
      await svc.db.query<{ status: string; relapse_count: number; last_relapse_on: string | null; refused_tests: number; serious_breach_on: string | null; first_contact_on: string | null }>(
        `SELECT status, relapse_count, last_relapse_on::text, refused_tests, serious_breach_on::text, first_contact_on::text FROM aftercare.cases WHERE id = $1`,
        [id],
      )
    )[0];
  const events = async (name: string) => (await svc.db.query<{ payload: Record<string, unknown> }>(`SELECT payload FROM aftercare.bus_outbox WHERE name = $1 ORDER BY seq`, [name])).map((r) => r.payload);

  beforeAll(async () => {
    svc = await bootServiceApp({ name: 'aftercare', appModule: (o) => AppModule.forRoot(o), config: AftercareConfig, keys, clock, prefix: testRedisPrefix('ac-journey') });
    app = svc.app;
    cases = app.get(AftercareCasesService);
    followUps = app.get(FollowUpsService);
    tests = app.get(DrugTestsService);
    const res = await request(app.getHttpServer())
      .post('/api/v1/aftercare/release-notices')
      .set('authorization', `Bearer ${centre}`)
      .set('idempotency-key', 'J-1')
      .send({ notices: [notice(ID_A, 1), notice(ID_B, 2)] })
      .expect(207);
    const ids = res.body.results.map((r: { id: string }) => r.id);
    const rows = await svc.db.query<{ id: string; notice_id: string }>(`SELECT id, notice_id FROM aftercare.cases`);
    caseA = rows.find((r) => r.notice_id === ids[0])!.id;
    caseB = rows.find((r) => r.notice_id === ids[1])!.id;
  });
  afterAll(async () => svc?.close());

  it('AC-2: the first contact (contact card issued) enrols the subject; within 7 days it counts as in time, and only once', async () => {
    clock.set('2027-03-12T02:00:00Z');
    await expect(cases.recordFirstContact(officer104, { caseId: caseA, contactedOn: '2027-03-13', contactCardIssued: true })).rejects.toThrow(/对接日期不能晚于今天/);
    await expect(cases.recordFirstContact(officer104, { caseId: caseA, contactedOn: '2027-03-09', contactCardIssued: true })).rejects.toThrow(/早于解戒日期/);
    const kase = await cases.recordFirstContact(officer104, { caseId: caseA, contactedOn: '2027-03-11', contactCardIssued: true });
    expect(kase).toMatchObject({ status: 'ENROLLED', enrolledOn: '2027-03-11', contactCardIssuedOn: '2027-03-11' });
    expect((await events('aftercare.subject.enrolled'))[0]).toMatchObject({ caseId: caseA, town: '104', inTime: true });
    await expect(cases.recordFirstContact(officer104, { caseId: caseA, contactedOn: '2027-03-12', contactCardIssued: false })).rejects.toThrow(/已对接/);
    // Contact after 7 days: enrolled, but not in time (K-AC1).
    clock.set('2027-03-20T02:00:00Z');
    await cases.recordFirstContact(officer104, { caseId: caseB, contactedOn: '2027-03-18', contactCardIssued: true });
    expect((await events('aftercare.subject.enrolled'))[1]).toMatchObject({ caseId: caseB, inTime: false });
  });

  it('AC-2: another town\'s officer finds no case (NOT_FOUND, audited) and changes nothing', async () => {
    await expect(cases.findOne(officer001, caseA)).rejects.toThrow(/未找到该后续照管对象/);
    await expect(followUps.record(officer001, { caseId: caseA, kind: FollowUpKind.PHONE, heldOn: '2027-03-20', contactMade: true, situation: '正常', drugTest: DrugTestResult.NOT_TESTED })).rejects.toThrow(/未找到/);
    const [{ n }] = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.events WHERE outcome = 'DENIED' AND entity_id = $1`, [caseA]);
    expect(n).toBeGreaterThanOrEqual(2);
    expect(await followUps.forCase(officer104, caseA)).toEqual([]);
  });

  it('AC-3: a PHONE follow-up counts for its month, a FACE_TO_FACE visit for its quarter; what was said is stored encrypted', async () => {
    const phone = await followUps.record(officer104, { caseId: caseA, kind: FollowUpKind.PHONE, heldOn: '2027-03-20', contactMade: true, situation: '在家务农，情绪稳定', hardship: '缺少生活费用', assistance: '协助申请临时救助', drugTest: DrugTestResult.NOT_TESTED });
    clock.set('2027-04-15T02:00:00Z');
    const visit = await followUps.record(officer104, { caseId: caseA, kind: FollowUpKind.FACE_TO_FACE, heldOn: '2027-04-15', contactMade: true, situation: '上门走访', drugTest: DrugTestResult.NEGATIVE });
    expect([phone.period, visit.period]).toEqual(['2027-03', '2027-Q2']);
    expect((await followUps.forCase(officer104, caseA)).map((f) => [f.kind, f.period, f.drugTest])).toEqual([
      ['PHONE', '2027-03', 'NOT_TESTED'],
      ['FACE_TO_FACE', '2027-Q2', 'NEGATIVE'],
    ]);
    const [{ n }] = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM aftercare.drug_tests WHERE case_id = $1`, [caseA]);
    expect(n).toBe(1);
    expect(await findClearPii(svc.db.url, { situation: '在家务农，情绪稳定', hardship: '缺少生活费用', assistance: '协助申请临时救助', id: ID_A })).toEqual([]);
    await expect(followUps.record(officer104, { caseId: caseA, kind: 'EMAIL' as FollowUpKind, heldOn: '2027-04-15', contactMade: true, situation: 'x', drugTest: DrugTestResult.NEGATIVE })).rejects.toThrow(/回访方式无效/);
  });

  it('AC-4: a positive police test marks a relapse (201, matched); an unknown person is kept unmatched; a court is 403', async () => {
    clock.set('2027-05-03T02:00:00Z');
    const res = await policeTest('DT-1', ID_A, '2027-05-02', 'POSITIVE').expect(201);
    expect(res.body).toEqual({ id: expect.any(String), matched: true, relapse: true });
    expect(await caseRow(caseA)).toMatchObject({ relapse_count: 1, last_relapse_on: '2027-05-02' });
    expect(await events('aftercare.relapse.marked')).toEqual([expect.objectContaining({ caseId: caseA, relapsedOn: '2027-05-02', source: 'POLICE_TEST' })]);
    const again = await policeTest('DT-1', ID_A, '2027-05-02', 'POSITIVE').expect(201);
    expect(again.body.id).toBe(res.body.id);
    expect((await caseRow(caseA)).relapse_count).toBe(1);
    const stranger = await policeTest('DT-2', ID_C, '2027-05-02', 'NEGATIVE').expect(201);
    expect(stranger.body).toMatchObject({ matched: false, relapse: false });
    await policeTest('DT-3', ID_A, '2027-05-02', 'NOT_TESTED').expect(400);
    await policeTest('DT-4', ID_A, '2027-05-02', 'POSITIVE', court).expect(403);
    expect((await caseRow(caseA)).relapse_count).toBe(1);
  });

  it('AC-4: the third refused test (cfg) is a serious breach reported once to police; a police report marks a relapse', async () => {
    await policeTest('RF-1', ID_B, '2027-04-01', 'REFUSED').expect(201);
    await followUps.record(officer104, { caseId: caseB, kind: FollowUpKind.FACE_TO_FACE, heldOn: '2027-04-20', contactMade: true, situation: '拒绝尿检', drugTest: DrugTestResult.REFUSED });
    expect(await events('aftercare.serious-breach')).toEqual([]);
    await policeTest('RF-3', ID_B, '2027-05-01', 'REFUSED').expect(201);
    await policeTest('RF-4', ID_B, '2027-05-02', 'REFUSED').expect(201);
    expect(await caseRow(caseB)).toMatchObject({ refused_tests: 4, serious_breach_on: '2027-05-01', relapse_count: 0 });
    expect(await events('aftercare.serious-breach')).toEqual([expect.objectContaining({ caseId: caseB, refusedTests: 3, onDay: '2027-05-01' })]);
    await tests.markRelapseByPoliceReport(officer104, caseB, '2027-05-02');
    expect(await caseRow(caseB)).toMatchObject({ relapse_count: 1, last_relapse_on: '2027-05-02' });
  });

  it('AC-4: the police read the serious breach back (ID number and name for them to act on), audited; a court is 403; a bad date is 400', async () => {
    const read = (query: string, token = police) => request(app.getHttpServer()).get(`/api/v1/aftercare/serious-breaches${query}`).set('authorization', `Bearer ${token}`);
    const res = await read('?since=2027-04-01').expect(200);
    expect(res.body.items).toEqual([{ caseId: caseB, idNumber: ID_B, name: '照管2', town: '104', refusedTests: 4, breachOn: '2027-05-01' }]);
    expect((await read('?since=2027-05-02').expect(200)).body.items).toEqual([]);
    await read('?since=2027-13-01').expect(400);
    await read('', court).expect(403);
    const audit = await svc.db.query<{ keys: string[] | null }>(`SELECT details->'personKeys' AS keys FROM audit.events WHERE action = 'aftercare.serious-breach.list' AND outcome = 'SUCCESS' ORDER BY id`);
    expect(audit).toHaveLength(2);
    expect(audit[0].keys).toHaveLength(1);
  });

  it('AC-5: closure as abstinent only 3 years after the last relapse; on death at once; a closed case takes no follow-up', async () => {
    clock.set('2030-04-01T02:00:00Z');
    await expect(cases.close(officer104, caseA, ClosureReason.ABSTINENT_THREE_YEARS, '2030-04-01')).rejects.toThrow(/戒断未满3年（2030-05-02届满）/);
    expect((await caseRow(caseA)).status).toBe('ENROLLED');
    clock.set('2030-05-02T02:00:00Z');
    const closed = await cases.close(officer104, caseA, ClosureReason.ABSTINENT_THREE_YEARS, '2030-05-02');
    expect(closed).toMatchObject({ status: 'CLOSED', closedOn: '2030-05-02', closureReason: 'ABSTINENT_THREE_YEARS' });
    await cases.close(officer104, caseB, ClosureReason.DIED, '2030-05-01');
    expect(await events('aftercare.case.closed')).toHaveLength(2);
    await expect(followUps.record(officer104, { caseId: caseA, kind: FollowUpKind.PHONE, heldOn: '2030-05-02', contactMade: true, situation: 'x', drugTest: DrugTestResult.NEGATIVE })).rejects.toThrow(/仅照管中的对象/);
    await expect(cases.close(officer104, caseA, ClosureReason.MOVED, '2030-05-02')).rejects.toThrow(/已解除/);
    // A police test after closure no longer touches the closed case.
    const late = await policeTest('DT-9', ID_A, '2030-05-02', 'POSITIVE').expect(201);
    expect(late.body.matched).toBe(false);
  });
});
