import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AgencyKind, idNumberCheckChar } from '@homeward/domain';
import { FixedClock, Principal } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { enrolmentPayload, findClearPii, personNeedles } from '@homeward/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(90_000);

const id = (first17: string) => `${first17}${idNumberCheckChar(first17)}`;
/** The subject: a minor (born 2010-03-15) so the CC-7 minors rule needs the birth date. */
const SUBJECT_ID = id('32028120100315041');
const SUBJECT_NAME = '欧阳明远';
const SUBJECT_PHONE = '13912345678';
const REGISTERED_ADDRESS = '江阴市徐霞客镇璜塘村88号';
const RESIDENCE_ADDRESS = '江阴市徐霞客镇马镇街道17号';
const OFFENCE = '故意伤害罪（致邻居轻伤）';
/** A team member (a person too). */
const MEMBER_NAME = '司马青云';
const MEMBER_PHONE = '13800138123';
/** A defendant of an investigation assessment (never enrolled). */
const DEFENDANT_ID = id('32028119770704123');
const DEFENDANT_NAME = '诸葛晓峰';
const LEAVE_DESTINATION = '上海市浦东新区张江路1001弄5号';
/** A victim / other party, named only in free text (restorative case, dispute). */
const VICTIM_NAME = '皇甫立新';

describe('issue 6 item 2: no person can be rebuilt from the raw rows of correction (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = partnerPrincipal(AgencyKind.COURT);
  const police = partnerPrincipal(AgencyKind.POLICE);
  const procuratorate = partnerPrincipal(AgencyKind.PROCURATORATE);
  let archiveDir: string;
  const officer = staffPrincipal({ towns: ['104'], username: 'officer104' });
  const token = (p: Principal) => keys.mint(p, { now: clock.now() });
  const post = (path: string, body: object, key: string, who: Principal = court) =>
    request(app.getHttpServer()).post(path).set('authorization', `Bearer ${token(who)}`).set('idempotency-key', key).send(body).expect(201);
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token(officer)}`).send({ query, variables });
    expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 200, errors: undefined });
    return res.body.data;
  };

  beforeAll(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'hw-pii-'));
    svc = await bootCorrectionApp({ label: 'cc-pii', clock, keys, env: { ARCHIVE_DIR: archiveDir } });
    ({ app } = svc);
  });

  afterAll(async () => {
    await svc?.close();
    await rm(archiveDir, { recursive: true, force: true });
  });

  let subjectId: string;

  it('issue 6 item 2: people written through enrolment and the features are read back in clear by those allowed', async () => {
    const enrolled = await post(
      '/api/v1/correction/enrolments',
      enrolmentPayload(
        { idNumber: SUBJECT_ID, name: SUBJECT_NAME, person: { phone: SUBJECT_PHONE, registeredAddress: REGISTERED_ADDRESS, residenceAddress: RESIDENCE_ADDRESS } },
        { judgmentDocumentNo: '(2026)苏0281刑初501号', offence: OFFENCE },
      ),
      'PII-ENROL',
    );
    subjectId = enrolled.body.id;
    await post(`/api/v1/correction/enrolments/${subjectId}/documents`, { documentType: 'JUDGMENT', documentNo: '(2026)苏0281刑初501号', issuedDate: '2026-11-18' }, 'PII-D1');
    await post(`/api/v1/correction/enrolments/${subjectId}/documents`, { documentType: 'EXECUTION_NOTICE', documentNo: '澄法执501号', issuedDate: '2026-11-20' }, 'PII-D2');
    const investigation = await post(
      '/api/v1/correction/investigation-requests',
      {
        person: { idNumber: DEFENDANT_ID, name: DEFENDANT_NAME, phone: '13700001111', residenceAddress: '江阴市徐霞客镇北渚村3号', residenceTown: '104' },
        requestingDocumentNo: '(2026)苏0281刑初502号委托函',
        proposedSentenceType: 'PROBATION',
        expedited: false,
        offence: '危险驾驶罪（醉驾）',
        receivedDate: '2026-11-20',
      },
      'PII-INV',
    );

    clock.set(new Date('2026-11-24T02:00:00Z'));
    await gql(`mutation($i: RecordReportInInput!) { recordReportIn(input: $i) { id } }`, { i: { subjectId, reportedOn: '2026-11-24' } });
    const items = ['DOCUMENTS_CHECKED', 'IDENTITY_VERIFIED', 'REGISTERED', 'ARCHIVE_OPENED', 'ANNOUNCEMENT_MADE'];
    await gql(`mutation($i: TickIntakeItemsInput!) { tickIntakeItems(input: $i) { id } }`, { i: { subjectId, items, doneOn: '2026-11-24' } });
    await gql(`mutation($i: SaveCorrectionPlanInput!) { saveCorrectionPlan(input: $i) { id } }`, { i: { subjectId, content: '每周电话汇报，每月走访' } });
    const member = await gql(`mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id name } }`, {
      i: { subjectId, role: 'JUSTICE_OFFICE_STAFF', name: MEMBER_NAME, gender: 'MALE', versedInMinors: false, phone: MEMBER_PHONE },
    });
    expect(member.addTeamMember).toMatchObject({ name: MEMBER_NAME });
    // CC-7: the subject is a minor on this day (the birth date is not in clear, the rule still holds).
    const refused = await request(app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${token(officer)}`)
      .send({ query: `mutation($s: ID!) { approveCorrectionPlan(subjectId: $s) { approved } }`, variables: { s: subjectId } })
      .expect(200);
    expect(refused.body.errors?.[0]?.message).toMatch(/minor|未成年/i);
    await gql(`mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }`, {
      i: { subjectId, role: 'SOCIAL_WORKER', name: '未成年人工作专家', gender: 'FEMALE', versedInMinors: true },
    });
    await gql(`mutation($s: ID!) { approveCorrectionPlan(subjectId: $s) { approved } }`, { s: subjectId });
    await gql(`mutation($i: ActivateSubjectInput!) { activateSubject(input: $i) { status } }`, { i: { subjectId, on: '2026-11-24' } });
    await gql(`mutation($i: RequestLeaveInput!) { requestLeave(input: $i) { id destination } }`, {
      i: { subjectId, kind: 'LEAVE', destination: LEAVE_DESTINATION, reason: '就医复查', startDate: '2026-11-26', endDate: '2026-11-28' },
    });
    const dispute = await gql(`mutation($i: RecordDisputeInput!) { recordDispute(input: $i) { id } }`, { i: { subjectId, description: `与邻居${VICTIM_NAME}因宅基地发生纠纷` } });
    await gql(`mutation($i: ResolveDisputeInput!) { resolveDispute(input: $i) { id } }`, { i: { disputeId: dispute.recordDispute.id, resolution: `${VICTIM_NAME}与${SUBJECT_NAME}达成调解协议` } });
    await gql(`mutation($i: OpenRestorativeCaseInput!) { openRestorativeCase(input: $i) { id } }`, { i: { subjectId, harmDescription: `致邻居${VICTIM_NAME}轻伤，医药费未赔偿` } });
    await gql(`mutation($i: CompleteInvestigationInput!) { completeInvestigation(input: $i) { id } }`, {
      i: { investigationId: investigation.body.id, opinion: 'SUITABLE', summary: `${DEFENDANT_NAME}家庭支持良好`, report: `被告人${DEFENDANT_NAME}，住江阴市徐霞客镇北渚村3号……` },
    });
    const notice = await post(
      '/api/v1/correction/procuratorate-notices',
      { subjectId, kind: 'SUGGESTION', documentNo: '澄检建〔2026〕501号', issuedDate: '2026-11-24', content: `建议加强对${SUBJECT_NAME}的监管` },
      'PII-NOTICE',
      procuratorate,
    );
    await gql(`mutation($i: ReplyProcuratorateNoticeInput!) { replyProcuratorateNotice(input: $i) { id } }`, { i: { noticeId: notice.body.id, reply: `已加强对${SUBJECT_NAME}的走访` } });
    const archived = await gql(`mutation($i: UploadArchiveDocumentInput!) { uploadArchiveDocument(input: $i) { title } }`, {
      i: { subjectId, archiveKind: 'WORK', documentType: 'JUDGMENT', title: `判决书-${SUBJECT_NAME}`, contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4').toString('base64') },
    });
    expect(archived.uploadArchiveDocument.title).toBe(`判决书-${SUBJECT_NAME}`);

    // Read back: the name, offence, addresses decrypted for staff; the police get the clear ID number (docs/partner-api.md CC-15).
    const one = await gql(`query($id: ID!) { correctionSubject(id: $id) { name offence person { maskedIdNumber } idNumber } }`, { id: subjectId });
    expect(one.correctionSubject).toEqual({ name: SUBJECT_NAME, offence: OFFENCE, person: { maskedIdNumber: `320281********${SUBJECT_ID.slice(14)}` }, idNumber: SUBJECT_ID });
    const exits = await request(app.getHttpServer()).get('/api/v1/correction/exit-control').set('authorization', `Bearer ${token(police)}`).expect(200);
    expect(exits.body.items).toEqual([expect.objectContaining({ idNumber: SUBJECT_ID, name: SUBJECT_NAME })]);
  });

  it('issue 6 item 2: searchSubjects finds the subject by the exact full name (blind index) and by ID number, never by a name prefix', async () => {
    const search = async (query: string) =>
      (await gql(`query($q: String!) { searchSubjects(query: $q) { totalCount edges { node { id name } } } }`, { q: query })).searchSubjects;
    expect((await search(SUBJECT_NAME)).edges).toEqual([{ node: { id: subjectId, name: SUBJECT_NAME } }]);
    expect((await search(` ${SUBJECT_NAME} `)).totalCount).toBe(1);
    expect((await search(SUBJECT_ID)).totalCount).toBe(1);
    expect((await search(SUBJECT_NAME.slice(0, 2))).totalCount).toBe(0);
  });

  it('issue 6 item 2: no raw column of any table holds a clear ID number, name or birth date (YYYYMMDD / YYYY-MM-DD), a phone or an address', async () => {
    const hits = await findClearPii(svc.db.url, {
      ...personNeedles(SUBJECT_ID, SUBJECT_NAME, 'subject.'),
      ...personNeedles(DEFENDANT_ID, DEFENDANT_NAME, 'defendant.'),
      'member.name': MEMBER_NAME,
      'member.phone': MEMBER_PHONE,
      'subject.phone': SUBJECT_PHONE,
      'subject.registeredAddress': REGISTERED_ADDRESS,
      'subject.residenceAddress': RESIDENCE_ADDRESS,
      'subject.offence': OFFENCE,
      'leave.destination': LEAVE_DESTINATION,
      'victim.name': VICTIM_NAME,
    });
    expect(hits).toEqual([]);
  });
});
