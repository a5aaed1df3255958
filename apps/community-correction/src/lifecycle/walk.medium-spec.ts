import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind, idNumberCheckChar } from '@homeward/domain';
import { FixedClock, Principal } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(90_000);

const ID_NUMBER = `32028119800303011${idNumberCheckChar('32028119800303011')}`;

// The hand-over to resettlement (CC-20) crosses services: test/correction-lifecycle.e2e-spec.ts walks it through the bus.
describe('one subject from enrolment to discharge (CC-3, CC-4, CC-5, CC-7, CC-15, CC-2)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = partnerPrincipal(AgencyKind.COURT);
  const police = partnerPrincipal(AgencyKind.POLICE);
  const officer = staffPrincipal({ towns: ['104'], username: 'officer104' });
  const token = (p: Principal) => keys.mint(p, { now: clock.now() });
  const post = (path: string, body: object, key: string) =>
    request(app.getHttpServer()).post(path).set('authorization', `Bearer ${token(court)}`).set('idempotency-key', key).send(body).expect(201);
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const res = await request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token(officer)}`).send({ query, variables }).expect(200);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  };
  const exitList = async (): Promise<string[]> =>
    (await request(app.getHttpServer()).get('/api/v1/correction/exit-control').set('authorization', `Bearer ${token(police)}`).expect(200)).body.items.map(
      (i: { idNumber: string }) => i.idNumber,
    );

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc-walk', clock, keys });
    ({ app, dataSource: ds } = svc);
  });

  afterAll(async () => {
    await svc?.close();
  });

  it('walks enrol → documents → report → checklist → plan → activate → discharge, with the events in order, the discharge event carrying what resettlement needs', async () => {
    // CC-3 / CC-4: enrolment by the court, then the two required documents.
    const enrolled = await post(
      '/api/v1/correction/enrolments',
      {
        person: { idNumber: ID_NUMBER, name: '周某', residenceTown: '104' },
        sentenceType: 'PROBATION',
        judgmentDocumentNo: '(2026)苏0281刑初88号',
        judgmentEffectiveDate: '2026-11-20',
        correctionStartDate: '2026-11-20',
        correctionEndDate: '2027-01-19',
        offence: '危险驾驶罪',
        decidingAuthority: '江阴市人民法院',
      },
      'WALK-ENROL',
    );
    const id: string = enrolled.body.id;
    await post(`/api/v1/correction/enrolments/${id}/documents`, { documentType: 'JUDGMENT', documentNo: '(2026)苏0281刑初88号', issuedDate: '2026-11-18' }, 'WALK-D1');
    const docs = await post(`/api/v1/correction/enrolments/${id}/documents`, { documentType: 'EXECUTION_NOTICE', documentNo: '澄法执88号', issuedDate: '2026-11-20' }, 'WALK-D2');
    expect(docs.body.complete).toBe(true);

    // CC-4 report-in on time, CC-5 checklist, CC-7 plan with its team.
    clock.set(new Date('2026-11-24T02:00:00Z'));
    const reported = await gql(`mutation($i: RecordReportInInput!) { recordReportIn(input: $i) { reportDaysLate } }`, { i: { subjectId: id, reportedOn: '2026-11-24' } });
    expect(reported.recordReportIn.reportDaysLate).toBe(0);
    const items = ['DOCUMENTS_CHECKED', 'IDENTITY_VERIFIED', 'REGISTERED', 'ARCHIVE_OPENED', 'ANNOUNCEMENT_MADE'];
    await gql(`mutation($i: TickIntakeItemsInput!) { tickIntakeItems(input: $i) { intakeComplete } }`, { i: { subjectId: id, items, doneOn: '2026-11-24' } });
    await gql(`mutation($i: SaveCorrectionPlanInput!) { saveCorrectionPlan(input: $i) { id } }`, { i: { subjectId: id, content: '每周电话汇报，每月走访' } });
    await gql(`mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }`, {
      i: { subjectId: id, role: 'JUSTICE_OFFICE_STAFF', name: '陈所长', gender: 'MALE', versedInMinors: false },
    });
    await gql(`mutation($s: ID!) { approveCorrectionPlan(subjectId: $s) { approved } }`, { s: id });

    // CC-5 → ACTIVE; CC-15 the police see the subject.
    const active = await gql(`mutation($i: ActivateSubjectInput!) { activateSubject(input: $i) { status exitControl { active } } }`, { i: { subjectId: id, on: '2026-11-24' } });
    expect(active.activateSubject).toEqual({ status: 'ACTIVE', exitControl: { active: true } });
    expect(await exitList()).toContain(ID_NUMBER);

    // CC-2: discharged as EXPIRED on the last day; CC-15 the report is withdrawn.
    clock.set(new Date('2027-01-19T02:00:00Z'));
    const discharged = await gql(
      `mutation($i: DischargeSubjectInput!) { dischargeSubject(input: $i) { status endedOn endReasonLabel exitControl { active withdrawalReason } } }`,
      { i: { subjectId: id, reason: 'EXPIRED', on: '2027-01-19' } },
    );
    expect(discharged.dischargeSubject).toEqual({ status: 'DISCHARGED', endedOn: '2027-01-19', endReasonLabel: '矫正期满', exitControl: { active: false, withdrawalReason: 'DISCHARGED' } });
    expect(await exitList()).not.toContain(ID_NUMBER);

    // The outbox holds the whole story, in order, without PII.
    const events: Array<{ id: string; name: string; version: number; payload: Record<string, unknown>; occurred_at: Date }> = await ds.query(
      `SELECT id, name, version, payload, occurred_at FROM correction.bus_outbox WHERE payload->>'subjectId' = $1 ORDER BY seq`,
      [id],
    );
    // (Other features may add their own events on the way, e.g. the CC-8 level set on activation.)
    expect(events.map((e) => e.name).filter((n) => /^correction\.(subject|documents)\./.test(n))).toEqual([
      'correction.subject.enrolled',
      'correction.documents.delivered',
      'correction.documents.delivered',
      'correction.subject.reported',
      'correction.subject.activated',
      'correction.subject.discharged',
    ]);
    expect(JSON.stringify(events)).not.toMatch(new RegExp(`${ID_NUMBER}|周某`));
    const discharge = events.find((e) => e.name === 'correction.subject.discharged')!;
    expect(discharge.payload).toMatchObject({ subjectId: id, town: '104', dischargedOn: '2027-01-19', reason: 'EXPIRED', correctionEndDate: '2027-01-19', sentenceType: 'PROBATION' });
    expect(discharge.payload.personKey).toEqual(expect.any(String));
  });
});
