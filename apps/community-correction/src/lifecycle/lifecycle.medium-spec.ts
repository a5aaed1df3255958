import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind, Role, idNumberCheckChar } from '@homeward/domain';
import { FixedClock, Principal } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { enrolmentPayload } from '@homeward/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(90_000);

const withCheck = (first17: string) => `${first17}${idNumberCheckChar(first17)}`;
const ADULT_MAN = withCheck('32028119800101001');
const ADULT_WOMAN = withCheck('32028119850203002');
const MINOR_BOY = withCheck('32028120100505003');
const OTHER_MAN = withCheck('32028119700707005');
const TERMINATED_MAN = withCheck('32028119750808007');
const REOFFENDER = withCheck('32028119770303003');
const TOWN_107_MAN = withCheck('32028119660606009');

describe('community-correction lifecycle CC-2…CC-7, CC-15 (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = partnerPrincipal(AgencyKind.COURT);
  const police = partnerPrincipal(AgencyKind.POLICE);
  const officer104 = staffPrincipal({ towns: ['104'], username: 'officer104' });
  const officer107 = staffPrincipal({ towns: ['107'], username: 'officer107' });
  const socialWorker = staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'] });
  const token = (p: Principal) => keys.mint(p, { now: clock.now() });

  const enrolBody = (idNumber: string, over: Record<string, unknown> = {}, town = '104') =>
    enrolmentPayload({ idNumber, town, until: '2027-01-19' }, { judgmentDocumentNo: `(2026)苏0281刑初${idNumber.slice(-6)}号`, ...over });
  const post = (path: string, body: object, who: Principal = court, key = `K-${Math.random()}`) =>
    request(app.getHttpServer()).post(path).set('authorization', `Bearer ${token(who)}`).set('idempotency-key', key).send(body);
  const enrol = async (idNumber: string, over: Record<string, unknown> = {}, town = '104'): Promise<string> =>
    (await post('/api/v1/correction/enrolments', enrolBody(idNumber, over, town)).expect(201)).body.id;
  const deliver = (id: string, documentType: string, who: Principal = court, documentNo = `DOC-${documentType}-${id.slice(0, 8)}`) =>
    post(`/api/v1/correction/enrolments/${id}/documents`, { documentType, documentNo, issuedDate: '2026-11-20' }, who);
  const gql = (who: Principal, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token(who)}`).send({ query, variables }).expect(200);
  const outbox = async (name: string, subjectId: string) =>
    ds.query(`SELECT payload FROM correction.bus_outbox WHERE name = $1 AND payload->>'subjectId' = $2 ORDER BY seq`, [name, subjectId]);
  // The superuser's view (svc.db): the app's own role may not read audit.events (issue 6 item 3).
  const count = async (sql: string, params: unknown[] = []) => Number((await svc.db.query<{ n: string }>(sql, params))[0].n);

  const SUBJECT_FIELDS = `id status reportedOn reportDaysLate activatedOn endedOn endReason endReasonLabel absconded lostContactOn`;
  const M = {
    report: `mutation($i: RecordReportInInput!) { recordReportIn(input: $i) { ${SUBJECT_FIELDS} } }`,
    tick: `mutation($i: TickIntakeItemsInput!) { tickIntakeItems(input: $i) { id intakeComplete intakeChecklist { item label done doneOn doneBy } } }`,
    activate: `mutation($i: ActivateSubjectInput!) { activateSubject(input: $i) { ${SUBJECT_FIELDS} exitControl { active reportedAt } } }`,
    discharge: `mutation($i: DischargeSubjectInput!) { dischargeSubject(input: $i) { ${SUBJECT_FIELDS} exitControl { active withdrawnAt withdrawalReason } } }`,
    terminate: `mutation($i: TerminateSubjectInput!) { terminateSubject(input: $i) { ${SUBJECT_FIELDS} } }`,
    abscond: `mutation($i: MarkAbscondedInput!) { markAbsconded(input: $i) { ${SUBJECT_FIELDS} } }`,
    found: `mutation($i: ClearAbscondedInput!) { clearAbsconded(input: $i) { ${SUBJECT_FIELDS} abscondings { lostContactOn foundOn } } }`,
    plan: `mutation($i: SaveCorrectionPlanInput!) { saveCorrectionPlan(input: $i) { id approved } }`,
    approve: `mutation($s: ID!) { approveCorrectionPlan(subjectId: $s) { id approved approvedBy approvedOn } }`,
    member: `mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id role roleLabel gender versedInMinors } }`,
  };
  const ALL_ITEMS = ['DOCUMENTS_CHECKED', 'IDENTITY_VERIFIED', 'REGISTERED', 'ARCHIVE_OPENED', 'ANNOUNCEMENT_MADE'];

  /** Enrol → report → checklist → ACTIVE, for tests that need an ACTIVE subject. */
  async function activeSubject(idNumber: string): Promise<string> {
    const id = await enrol(idNumber);
    clock.set(new Date('2026-11-25T02:00:00Z'));
    expect((await gql(officer104, M.report, { i: { subjectId: id, reportedOn: '2026-11-24' } })).body.errors).toBeUndefined();
    expect((await gql(officer104, M.tick, { i: { subjectId: id, items: ALL_ITEMS, doneOn: '2026-11-24' } })).body.errors).toBeUndefined();
    const res = await gql(officer104, M.activate, { i: { subjectId: id, on: '2026-11-25' } });
    expect(res.body.errors).toBeUndefined();
    return id;
  }

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc-life', clock, keys });
    ({ app, dataSource: ds } = svc);
  });

  afterAll(async () => {
    await svc?.close();
  });

  beforeEach(() => clock.set(new Date('2026-11-20T02:00:00Z')));

  describe('CC-3 document delivery', () => {
    let id: string;
    beforeAll(async () => {
      clock.set(new Date('2026-11-20T02:00:00Z'));
      id = await enrol(ADULT_MAN);
    });

    it('CC-3: the enrolling court delivers the judgment: 201 with Location, not yet complete, event in the outbox', async () => {
      const res = await deliver(id, 'JUDGMENT').expect(201);
      expect(res.body).toEqual({ id: expect.any(String), documentType: 'JUDGMENT', complete: false, missingDocumentTypes: ['EXECUTION_NOTICE'] });
      expect(res.headers.location).toBe(`/api/v1/correction/enrolments/${id}/documents/${res.body.id}`);
      const [event] = await outbox('correction.documents.delivered', id);
      expect(event.payload).toMatchObject({ subjectId: id, town: '104', documentType: 'JUDGMENT', complete: false, documentsDeadline: '2026-11-30' });
      await request(app.getHttpServer()).get(res.headers.location).set('authorization', `Bearer ${token(court)}`).expect(200);
    });

    it('CC-3: the execution notice completes the required set', async () => {
      const res = await deliver(id, 'EXECUTION_NOTICE').expect(201);
      expect(res.body).toMatchObject({ complete: true, missingDocumentTypes: [] });
      const events = await outbox('correction.documents.delivered', id);
      expect(events.map((e: { payload: { complete: boolean } }) => e.payload.complete)).toEqual([false, true]);
      expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.document.deliver' AND person_key IS NOT NULL`)).toBe(2);
    });

    it('CC-3: staff see the documents and the required set with Chinese labels', async () => {
      const res = await gql(officer104, `query($id: ID!) { correctionSubject(id: $id) { documents { documentType documentTypeLabel documentNo } requiredDocuments { documentType documentTypeLabel delivered } } }`, { id });
      expect(res.body.data.correctionSubject.documents.map((d: { documentTypeLabel: string }) => d.documentTypeLabel)).toEqual(['判决书', '执行通知书']);
      expect(res.body.data.correctionSubject.requiredDocuments.every((d: { delivered: boolean }) => d.delivered)).toBe(true);
    });

    it.each([
      ['another court', () => deliver(id, 'RULING', partnerPrincipal(AgencyKind.COURT, { agencyId: 'another-court' })), 404],
      ['a procuratorate', () => deliver(id, 'RULING', partnerPrincipal(AgencyKind.PROCURATORATE)), 403],
      ['an unknown document type', () => deliver(id, 'LETTER'), 400],
      ['an unknown enrolment', () => deliver('00000000-0000-4000-8000-000000000000', 'RULING'), 404],
      ['the same document again under another key', () => deliver(id, 'JUDGMENT'), 409],
    ])('CC-3: %s is refused (%#) and records nothing', async (_what, send, status) => {
      const before = await count(`SELECT count(*) AS n FROM correction.subject_documents`);
      const res = await send().expect(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(await count(`SELECT count(*) AS n FROM correction.subject_documents`)).toBe(before);
    });
  });

  describe('CC-4 report-in and CC-5 activation', () => {
    let id: string;
    beforeAll(async () => {
      clock.set(new Date('2026-11-20T02:00:00Z'));
      id = await enrol(OTHER_MAN);
    });

    it('CC-4: a report in the future is refused', async () => {
      const res = await gql(officer104, M.report, { i: { subjectId: id, reportedOn: '2026-11-21' } });
      expect(res.body.errors[0].extensions.code).toBe('DATE_INVALID');
    });

    it('CC-5: activation before report-in and checklist is ILLEGAL_TRANSITION listing everything missing', async () => {
      const res = await gql(officer104, M.activate, { i: { subjectId: id, on: '2026-11-20' } });
      expect(res.body.errors[0].extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: { missingItems: ALL_ITEMS, reported: false } });
      expect(res.body.errors[0].message).toContain('入矫宣告');
    });

    it('CC-4: a late report-in is recorded with its days late and published', async () => {
      clock.set(new Date('2026-12-05T02:00:00Z'));
      const res = await gql(officer104, M.report, { i: { subjectId: id, reportedOn: '2026-12-03' } });
      expect(res.body.data.recordReportIn).toMatchObject({ status: 'PENDING_REPORT', reportedOn: '2026-12-03', reportDaysLate: 3 });
      const [event] = await outbox('correction.subject.reported', id);
      expect(event.payload).toMatchObject({ subjectId: id, reportedOn: '2026-12-03', daysLate: 3 });
    });

    it('CC-4: a second report-in is ILLEGAL_TRANSITION', async () => {
      clock.set(new Date('2026-12-05T02:00:00Z'));
      const res = await gql(officer104, M.report, { i: { subjectId: id, reportedOn: '2026-12-04' } });
      expect(res.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
      expect(await outbox('correction.subject.reported', id)).toHaveLength(1);
    });

    it('CC-5: with one item missing activation is refused naming that item', async () => {
      clock.set(new Date('2026-12-05T02:00:00Z'));
      const ticked = await gql(officer104, M.tick, { i: { subjectId: id, items: ALL_ITEMS.slice(0, 4), doneOn: '2026-12-04' } });
      expect(ticked.body.data.tickIntakeItems.intakeComplete).toBe(false);
      expect(ticked.body.data.tickIntakeItems.intakeChecklist[0]).toEqual({ item: 'DOCUMENTS_CHECKED', label: '法律文书核对', done: true, doneOn: '2026-12-04', doneBy: 'officer104' });
      const res = await gql(officer104, M.activate, { i: { subjectId: id, on: '2026-12-05' } });
      expect(res.body.errors[0].extensions.details).toEqual({ missingItems: ['ANNOUNCEMENT_MADE'], reported: true });
      expect(await count(`SELECT count(*) AS n FROM correction.exit_controls WHERE subject_id = $1`, [id])).toBe(0);
    });

    it('CC-5 / CC-15: complete checklist → ACTIVE, activated event, exit control reported in the same transaction', async () => {
      clock.set(new Date('2026-12-05T02:00:00Z'));
      await gql(officer104, M.tick, { i: { subjectId: id, items: ['ANNOUNCEMENT_MADE'], doneOn: '2026-12-05' } });
      const res = await gql(officer104, M.activate, { i: { subjectId: id, on: '2026-12-05' } });
      expect(res.body.data.activateSubject).toMatchObject({ status: 'ACTIVE', activatedOn: '2026-12-05', exitControl: { active: true } });
      expect(await outbox('correction.subject.activated', id)).toHaveLength(1);
      expect(await count(`SELECT count(*) AS n FROM correction.exit_controls WHERE subject_id = $1 AND withdrawn_at IS NULL`, [id])).toBe(1);
    });

    it('CC-2: activating again, or ticking after activation, is ILLEGAL_TRANSITION', async () => {
      clock.set(new Date('2026-12-06T02:00:00Z'));
      expect((await gql(officer104, M.activate, { i: { subjectId: id, on: '2026-12-06' } })).body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
      expect((await gql(officer104, M.tick, { i: { subjectId: id, items: ['REGISTERED'], doneOn: '2026-12-06' } })).body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
    });
  });

  describe('CC-2 end states and the ABSCONDED flag', () => {
    it('CC-2: a subject who never became ACTIVE can be TERMINATED (DECEASED), not DISCHARGED nor marked absconded', async () => {
      const id = await enrol(TERMINATED_MAN);
      clock.set(new Date('2026-11-25T02:00:00Z'));
      expect((await gql(officer104, M.discharge, { i: { subjectId: id, reason: 'PARDONED', on: '2026-11-25' } })).body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
      expect((await gql(officer104, M.abscond, { i: { subjectId: id, lostContactOn: '2026-11-24' } })).body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
      const res = await gql(officer104, M.terminate, { i: { subjectId: id, reason: 'DECEASED', on: '2026-11-24' } });
      expect(res.body.data.terminateSubject).toMatchObject({ status: 'TERMINATED', endedOn: '2026-11-24', endReason: 'DECEASED', endReasonLabel: '死亡' });
      expect((await outbox('correction.subject.terminated', id))[0].payload).toMatchObject({ reason: 'DECEASED', terminatedOn: '2026-11-24' });
      const again = await gql(officer104, M.activate, { i: { subjectId: id, on: '2026-11-25' } });
      expect(again.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
      expect((await gql(officer104, M.terminate, { i: { subjectId: id, reason: 'REVOKED', on: '2026-11-25' } })).body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
    });

    it('CC-2 (issue 7 item 4): the termination reason must fit the sentence — a probation is REVOKED, never COMMITTED; a new offence is recorded (K-CC5)', async () => {
      const id = await enrol(REOFFENDER);
      clock.set(new Date('2026-11-25T02:00:00Z'));
      const wrong = await gql(officer104, M.terminate, { i: { subjectId: id, reason: 'COMMITTED', on: '2026-11-24' } });
      expect(wrong.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
      expect(wrong.body.errors[0].message).toContain('不适用于此刑罚类型');
      const dead = await gql(officer104, M.terminate, { i: { subjectId: id, reason: 'DECEASED', on: '2026-11-24', newOffence: true } });
      expect(dead.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
      expect((await ds.query(`SELECT status FROM correction.subjects WHERE id = $1`, [id]))[0].status).toBe('PENDING_REPORT');
      const res = await gql(officer104, M.terminate, { i: { subjectId: id, reason: 'REVOKED', on: '2026-11-24', newOffence: true } });
      expect(res.body.data.terminateSubject).toMatchObject({ status: 'TERMINATED', endReason: 'REVOKED' });
      expect((await ds.query(`SELECT ended_for_new_offence FROM correction.subjects WHERE id = $1`, [id]))[0].ended_for_new_offence).toBe(true);
    });

    it('CC-2: ABSCONDED is set on an ACTIVE subject, blocks discharge, is cleared when found; events published', async () => {
      const id = await activeSubject(ADULT_WOMAN);
      clock.set(new Date('2026-12-10T02:00:00Z'));
      const lost = await gql(officer104, M.abscond, { i: { subjectId: id, lostContactOn: '2026-12-08' } });
      expect(lost.body.data.markAbsconded).toMatchObject({ status: 'ACTIVE', absconded: true, lostContactOn: '2026-12-08' });
      expect((await outbox('correction.subject.absconded', id))[0].payload).toMatchObject({ subjectId: id, lostContactOn: '2026-12-08' });
      expect((await gql(officer104, M.abscond, { i: { subjectId: id, lostContactOn: '2026-12-09' } })).body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
      expect((await gql(officer104, M.discharge, { i: { subjectId: id, reason: 'PARDONED', on: '2026-12-10' } })).body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
      expect((await gql(officer104, M.found, { i: { subjectId: id, foundOn: '2026-12-07' } })).body.errors[0].extensions.code).toBe('DATE_INVALID');
      const found = await gql(officer104, M.found, { i: { subjectId: id, foundOn: '2026-12-10' } });
      expect(found.body.data.clearAbsconded).toMatchObject({ absconded: false, lostContactOn: null, abscondings: [{ lostContactOn: '2026-12-08', foundOn: '2026-12-10' }] });
      expect((await outbox('correction.subject.found', id))[0].payload).toMatchObject({ foundOn: '2026-12-10' });
      expect((await gql(officer104, M.found, { i: { subjectId: id, foundOn: '2026-12-10' } })).body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
    });

    it('CC-2: EXPIRED before the last day of correction is refused; PARDONED is allowed; CC-15 withdrawn; CC-12 electronic location ends with it', async () => {
      const [row] = await ds.query(`SELECT id, person_key, town FROM correction.subjects WHERE status = 'ACTIVE' AND gender = 'FEMALE'`);
      // An electronic location in force until 2027 (as the bureau approved it).
      const [mon] = await ds.query(
        `INSERT INTO correction.monitorings (subject_id, person_key, town, ground, device_id, approved_by, recorded_by, start_date, end_date, starts_at, ends_at, status)
         VALUES ($1, $2, $3, 'LEFT_COUNTY_WITHOUT_APPROVAL', 'DEV-DISCHARGE', '李局长', 'bureau', '2026-12-01', '2027-02-28', '2026-11-30T16:00:00Z', '2027-02-28T16:00:00Z', 'ACTIVE') RETURNING id`,
        [row.id, row.person_key, row.town],
      );
      clock.set(new Date('2026-12-20T02:00:00Z'));
      const early = await gql(officer104, M.discharge, { i: { subjectId: row.id, reason: 'EXPIRED', on: '2026-12-20' } });
      expect(early.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
      expect((await ds.query(`SELECT status FROM correction.monitorings WHERE id = $1`, [mon.id]))[0].status).toBe('ACTIVE');
      const res = await gql(officer104, M.discharge, { i: { subjectId: row.id, reason: 'PARDONED', on: '2026-12-20' } });
      expect(res.body.data.dischargeSubject).toMatchObject({ status: 'DISCHARGED', endReason: 'PARDONED', endReasonLabel: '赦免', exitControl: { active: false, withdrawalReason: 'DISCHARGED' } });
      // issue 7 item 3: the monitoring ends on the discharge day, announced like a lift
      const [ended] = await ds.query(`SELECT status, ended_on::text AS ended_on FROM correction.monitorings WHERE id = $1`, [mon.id]);
      expect(ended).toEqual({ status: 'ENDED', ended_on: '2026-12-20' });
      expect((await outbox('correction.monitoring.ended', row.id)).map((e: { payload: Record<string, unknown> }) => e.payload)).toEqual([
        expect.objectContaining({ monitoringId: mon.id, endedOn: '2026-12-20' }),
      ]);
    });
  });

  describe('CC-15 exit control list for the police', () => {
    it('CC-15: the police read everyone now reported with the clear ID number; each reveal is audited as an unmask', async () => {
      const before = await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.subject.unmask-id-number' AND actor_kind = 'PARTNER'`);
      const res = await request(app.getHttpServer()).get('/api/v1/correction/exit-control').set('authorization', `Bearer ${token(police)}`).expect(200);
      const reported = await count(`SELECT count(*) AS n FROM correction.exit_controls WHERE withdrawn_at IS NULL`);
      expect(res.body.items).toHaveLength(reported);
      expect(res.body.items).toContainEqual({ idNumber: OTHER_MAN, name: '测试对象', reportedAt: expect.any(String) });
      expect(res.body.items.map((i: { idNumber: string }) => i.idNumber)).not.toContain(ADULT_WOMAN);
      expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.subject.unmask-id-number' AND actor_kind = 'PARTNER'`)).toBe(before + reported);
    });

    it('CC-15: only the police may read it (403 for a court, 401 without a token)', async () => {
      await request(app.getHttpServer()).get('/api/v1/correction/exit-control').set('authorization', `Bearer ${token(court)}`).expect(403);
      await request(app.getHttpServer()).get('/api/v1/correction/exit-control').expect(401);
    });
  });

  describe('CC-7 plans and teams', () => {
    it('CC-7: a minor\'s plan is approved only with someone versed in minors on the team', async () => {
      const id = await enrol(MINOR_BOY);
      expect((await gql(officer104, M.approve, { s: id })).body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
      await gql(officer104, M.plan, { i: { subjectId: id, content: '矫正方案：每周走访，学业帮扶' } });
      await gql(officer104, M.member, { i: { subjectId: id, role: 'JUSTICE_OFFICE_STAFF', name: '李警官', gender: 'MALE', versedInMinors: false } });
      const refused = await gql(officer104, M.approve, { s: id });
      expect(refused.body.errors[0].extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: { violations: ['NO_MINORS_EXPERT_FOR_MINOR'] } });
      const teacher = await gql(officer104, M.member, { i: { subjectId: id, role: 'EMPLOYER_OR_SCHOOL', name: '王老师', gender: 'MALE', versedInMinors: true } });
      expect(teacher.body.data.addTeamMember).toMatchObject({ role: 'EMPLOYER_OR_SCHOOL', roleLabel: '所在单位或学校人员', versedInMinors: true });
      const ok = await gql(officer104, M.approve, { s: id });
      expect(ok.body.data.approveCorrectionPlan).toEqual({ id: expect.any(String), approved: true, approvedBy: 'officer104', approvedOn: '2026-11-20' });
    });

    it('CC-7: a female subject\'s plan needs a woman on the team; changing the plan withdraws the approval', async () => {
      clock.set(new Date('2026-11-20T02:00:00Z'));
      const id = await enrol(withCheck('32028119900909004'));
      await gql(officer104, M.plan, { i: { subjectId: id, content: '方案 A' } });
      await gql(officer104, M.member, { i: { subjectId: id, role: 'GRID_WORKER', name: '张网格', gender: 'MALE', versedInMinors: false } });
      const refused = await gql(officer104, M.approve, { s: id });
      expect(refused.body.errors[0].extensions.details).toEqual({ violations: ['NO_WOMAN_FOR_FEMALE_SUBJECT'] });
      await gql(officer104, M.member, { i: { subjectId: id, role: 'FAMILY', name: '母亲', gender: 'FEMALE', versedInMinors: false } });
      expect((await gql(officer104, M.approve, { s: id })).body.data.approveCorrectionPlan.approved).toBe(true);
      const changed = await gql(officer104, M.plan, { i: { subjectId: id, content: '方案 B' } });
      expect(changed.body.data.saveCorrectionPlan.approved).toBe(false);
      const read = await gql(officer104, `query($id: ID!) { correctionSubject(id: $id) { plan { content approved } team { roleLabel genderLabel } } }`, { id });
      expect(read.body.data.correctionSubject).toEqual({ plan: { content: '方案 B', approved: false }, team: [{ roleLabel: '网格员', genderLabel: '男' }, { roleLabel: '家庭成员', genderLabel: '女' }] });
    });
  });

  describe('jurisdiction and roles', () => {
    it('another town\'s officer gets NOT_FOUND on every change and nothing changes; the denial is audited', async () => {
      clock.set(new Date('2026-11-20T02:00:00Z'));
      const id = await enrol(TOWN_107_MAN, {}, '107');
      clock.set(new Date('2026-11-22T02:00:00Z'));
      for (const [q, i] of [
        [M.report, { subjectId: id, reportedOn: '2026-11-21' }],
        [M.tick, { subjectId: id, items: ['REGISTERED'], doneOn: '2026-11-21' }],
        [M.terminate, { subjectId: id, reason: 'COMMITTED', on: '2026-11-21' }],
        [M.plan, { subjectId: id, content: 'x' }],
      ] as const) {
        expect((await gql(officer104, q, { i })).body.errors[0].extensions.code).toBe('NOT_FOUND');
      }
      const [row] = await ds.query(`SELECT status, reported_on FROM correction.subjects WHERE id = $1`, [id]);
      expect(row).toEqual({ status: 'PENDING_REPORT', reported_on: null });
      expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.subject.change' AND entity_id = $1 AND outcome = 'DENIED'`, [id])).toBe(4);
      const own = await gql(officer107, M.report, { i: { subjectId: id, reportedOn: '2026-11-21' } });
      expect(own.body.data.recordReportIn.reportDaysLate).toBe(0);
    });

    it('a social worker reads but cannot change (FORBIDDEN)', async () => {
      const [row] = await ds.query(`SELECT id FROM correction.subjects WHERE town = '104' AND status = 'PENDING_REPORT' LIMIT 1`);
      const res = await gql(socialWorker, M.report, { i: { subjectId: row.id, reportedOn: '2026-11-20' } });
      expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    });

    it('malformed input is BAD_USER_INPUT (class-validator)', async () => {
      const res = await gql(officer104, M.report, { i: { subjectId: 'not-a-uuid', reportedOn: '20261120' } });
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });
  });
});
