import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { CorrectionApp, bootCorrectionApp, enrolActiveSubject, whileSubjectIsMoved } from '../../test/correction-harness';

jest.setTimeout(60_000);

/** CC-24 pursuit (追逃), revocation / commitment proposals and residence disputes, through the staff GraphQL API. */
describe('CC-24 pursuit and return to custody (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-05-04T02:00:00Z'));
  const court = () => keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: 3600, now: clock.now() });
  const officer104 = () => keys.mint(staffPrincipal({ towns: ['104'] }), { now: clock.now() });
  const officer107 = () => keys.mint(staffPrincipal({ towns: ['107'] }), { now: clock.now() });
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables }).expect(200);
  const code = (res: request.Response) => res.body.errors?.[0]?.extensions?.code;

  const activeSubject = (idNumber: string, sentenceType: string) =>
    enrolActiveSubject(svc, court(), { idNumber, on: '2026-03-02', activatedOn: '2026-03-05', enrolment: { sentenceType } });

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc24', clock, keys });
    ({ app, dataSource: ds } = svc);
  });

  afterAll(async () => {
    await svc?.close();
  });

  const REQUEST = `mutation($i: RequestPursuitInput!) { requestPursuit(input: $i) { id kind kindLabel status statusLabel requestedOn policeUnit } }`;
  const OUTCOME = `mutation($i: RecordPursuitOutcomeInput!) { recordPursuitOutcome(input: $i) { status foundOn returnedOn } }`;
  const PROPOSE = `mutation($i: SubmitCustodyProposalInput!) { submitCustodyProposal(input: $i) { id kind kindLabel grounds sentTo sentOn decision } }`;
  const DECIDE = `mutation($i: RecordCustodyDecisionInput!) { recordCustodyDecision(input: $i) { decision decisionLabel decidedOn decisionDocumentNo } }`;
  let probation: string;

  it('CC-24: only an absconded subject is reported for pursuit; then found and returned; one open request at a time', async () => {
    probation = await activeSubject('11010519491231002X', 'PROBATION');
    const early = await gql(officer104(), REQUEST, { i: { subjectId: probation, policeUnit: '江阴市公安局' } });
    expect(code(early)).toBe('ILLEGAL_TRANSITION');
    await gql(officer104(), `mutation($i: MarkAbscondedInput!) { markAbsconded(input: $i) { absconded } }`, { i: { subjectId: probation, lostContactOn: '2026-05-01' } });
    const foreign = await gql(officer107(), REQUEST, { i: { subjectId: probation, policeUnit: '江阴市公安局' } });
    expect(code(foreign)).toBe('NOT_FOUND');
    const res = await gql(officer104(), REQUEST, { i: { subjectId: probation, policeUnit: '江阴市公安局' } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.requestPursuit).toMatchObject({ kind: 'ABSCONDED', kindLabel: '脱管追逃', status: 'REQUESTED', requestedOn: '2026-05-04', policeUnit: '江阴市公安局' });
    expect(code(await gql(officer104(), REQUEST, { i: { subjectId: probation, policeUnit: '江阴市公安局' } }))).toBe('CONFLICT');
    const id = res.body.data.requestPursuit.id;
    expect(code(await gql(officer104(), OUTCOME, { i: { pursuitId: id, status: 'FOUND', on: '2026-05-01' } }))).toBe('DATE_RANGE_INVALID');
    expect(code(await gql(officer104(), OUTCOME, { i: { pursuitId: id, status: 'FOUND', on: '2026-05-05' } }))).toBe('DATE_INVALID');
    expect((await gql(officer104(), OUTCOME, { i: { pursuitId: id, status: 'FOUND', on: '2026-05-04' } })).body.data.recordPursuitOutcome).toEqual({ status: 'FOUND', foundOn: '2026-05-04', returnedOn: null });
    expect((await gql(officer104(), OUTCOME, { i: { pursuitId: id, status: 'RETURNED', on: '2026-05-04' } })).body.data.recordPursuitOutcome).toMatchObject({ status: 'RETURNED', returnedOn: '2026-05-04' });
    expect(code(await gql(officer104(), OUTCOME, { i: { pursuitId: id, status: 'RETURNED', on: '2026-05-04' } }))).toBe('ILLEGAL_TRANSITION');
    const audit = await svc.db.query<{ action: string; outcome: string }>(`SELECT action, outcome FROM audit.events WHERE action LIKE 'correction.pursuit.%' ORDER BY id`);
    expect(audit.filter((a: { outcome: string }) => a.outcome === 'SUCCESS').map((a: { action: string }) => a.action)).toEqual([
      'correction.pursuit.request',
      'correction.pursuit.outcome',
      'correction.pursuit.outcome',
    ]);
    expect(audit.some((a: { outcome: string }) => a.outcome === 'DENIED')).toBe(true);
  });

  it('CC-24: a revocation proposal fits probation (a commitment proposal does not); its grounds are encrypted; the decision is recorded once', async () => {
    const wrong = await gql(officer104(), PROPOSE, { i: { subjectId: probation, kind: 'COMMITMENT', grounds: '两次警告仍不改正', sentTo: '江阴市人民法院' } });
    expect(code(wrong)).toBe('ILLEGAL_TRANSITION');
    const res = await gql(officer104(), PROPOSE, { i: { subjectId: probation, kind: 'REVOCATION', grounds: '两次警告仍不改正，脱离监管', sentTo: '江阴市人民法院' } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.submitCustodyProposal).toMatchObject({ kind: 'REVOCATION', kindLabel: '撤销缓刑/假释建议', grounds: '两次警告仍不改正，脱离监管', sentOn: '2026-05-04', decision: null });
    expect(JSON.stringify(await ds.query(`SELECT * FROM correction.custody_proposals`))).not.toContain('两次警告');
    const id = res.body.data.submitCustodyProposal.id;
    const decided = await gql(officer104(), DECIDE, { i: { proposalId: id, granted: true, decidedOn: '2026-05-04', documentNo: '(2026)苏0281刑更1号' } });
    expect(decided.body.data.recordCustodyDecision).toEqual({ decision: 'GRANTED', decisionLabel: '裁定准许', decidedOn: '2026-05-04', decisionDocumentNo: '(2026)苏0281刑更1号' });
    expect(code(await gql(officer104(), DECIDE, { i: { proposalId: id, granted: false, decidedOn: '2026-05-04' } }))).toBe('ILLEGAL_TRANSITION');
    const subject = await gql(officer104(), `query($id: ID!) { correctionSubject(id: $id) { pursuitRequests { status } custodyProposals { kind decision } residenceDisputes { id } } }`, { id: probation });
    expect(subject.body.data.correctionSubject).toEqual({ pursuitRequests: [{ status: 'RETURNED' }], custodyProposals: [{ kind: 'REVOCATION', decision: 'GRANTED' }], residenceDisputes: [] });
  });

  it('CC-24: a residence dispute is settled by the designating authority; a designated town must be a real town', async () => {
    const raised = await gql(officer104(), `mutation($i: RaiseResidenceDisputeInput!) { raiseResidenceDispute(input: $i) { id raisedOn designatingAuthority decidedOn } }`, {
      i: { subjectId: probation, designatingAuthority: '无锡市司法局' },
    });
    expect(raised.body.data.raiseResidenceDispute).toMatchObject({ raisedOn: '2026-05-04', designatingAuthority: '无锡市司法局', decidedOn: null });
    const DECIDE_DISPUTE = `mutation($i: DecideResidenceDisputeInput!) { decideResidenceDispute(input: $i) { designatedTown decision decidedOn } }`;
    const id = raised.body.data.raiseResidenceDispute.id;
    expect(code(await gql(officer104(), DECIDE_DISPUTE, { i: { disputeId: id, decision: '指定华士镇', designatedTown: '999', decidedOn: '2026-05-04' } }))).toBe('TOWN_UNKNOWN');
    const ok = await gql(officer104(), DECIDE_DISPUTE, { i: { disputeId: id, decision: '指定华士镇为执行地', designatedTown: '107', decidedOn: '2026-05-04' } });
    expect(ok.body.data.decideResidenceDispute).toEqual({ designatedTown: '107', decision: '指定华士镇为执行地', decidedOn: '2026-05-04' });
  });

  it('CC-24: a pursuit outcome recorded while a residence transfer moves the subject waits for the transfer (subject first), and both complete — no deadlock', async () => {
    const subject = await activeSubject('320281198506151237', 'PROBATION');
    await gql(officer104(), `mutation($i: MarkAbscondedInput!) { markAbsconded(input: $i) { absconded } }`, { i: { subjectId: subject, lostContactOn: '2026-05-01' } });
    const pursuit = (await gql(officer104(), REQUEST, { i: { subjectId: subject, policeUnit: '江阴市公安局' } })).body.data.requestPursuit.id;
    // a residence transfer's carryOut under way: the subject locked, then its pursuit requests moved
    const res = await whileSubjectIsMoved(
      ds,
      subject,
      () => gql(officer104(), OUTCOME, { i: { pursuitId: pursuit, status: 'FOUND', on: '2026-05-04' } }).then((r) => r),
      `UPDATE correction.pursuit_requests SET town = town WHERE subject_id = $1`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.recordPursuitOutcome).toEqual({ status: 'FOUND', foundOn: '2026-05-04', returnedOn: null });
  });
});
