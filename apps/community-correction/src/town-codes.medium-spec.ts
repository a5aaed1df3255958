/**
 * Issue 8 item 3: one `@IsTownCode()` on every town code community correction accepts (partner REST
 * and staff GraphQL), checked against the towns reference data through `isKnownTownCode`. A fake
 * town "999" — three digits, so the old `/^\d{3}$/` let it through — is refused as the domain
 * refuses an unknown town (422 TOWN_UNKNOWN over REST, docs/partner-api.md "Errors"; `TOWN_UNKNOWN` in
 * GraphQL) with a bilingual message naming the field, and nothing is written.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AgencyKind, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { rowCounts as countRows } from '@homeward/testing';
import { CorrectionApp, bootCorrectionApp } from '../test/correction-harness';

jest.setTimeout(60_000);

describe('issue 8 item 3: a fake town code is refused everywhere community correction takes one (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: 3600, now: clock.now() });
  const cityAdmin = keys.mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] }), { expiresInSeconds: 3600, now: clock.now() });
  let seq = 0;

  const person = (over: Record<string, unknown> = {}) => ({ idNumber: '11010519491231002X', name: '王某', residenceTown: '104', ...over });
  const enrolment = (p: Record<string, unknown> = {}) => ({
    person: person(p),
    sentenceType: 'PROBATION',
    judgmentDocumentNo: '(2026)苏0281刑初1号',
    judgmentEffectiveDate: '2026-11-20',
    correctionStartDate: '2026-11-20',
    correctionEndDate: '2027-11-19',
    offence: '盗窃罪',
    decidingAuthority: '江阴市人民法院',
  });
  const investigation = (p: Record<string, unknown> = {}) => ({
    person: { ...person(p), idNumber: '320281198506151237', name: '李某' },
    requestingDocumentNo: '(2026)苏0281刑初88号委托函',
    proposedSentenceType: 'PROBATION',
    expedited: false,
    offence: '危险驾驶罪',
  });
  const post = (path: string, body: object) =>
    request(app.getHttpServer()).post(path).set('authorization', `Bearer ${court}`).set('idempotency-key', `T-${++seq}`).send(body);
  const gql = (query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${cityAdmin}`).send({ query, variables });

  const rowCounts = () => countRows(svc.db, ['correction', 'audit']);

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc-towns', clock, keys });
    app = svc.app;
  });

  afterAll(async () => {
    await svc?.close();
  });

  it.each<[string, string, () => object]>([
    ['an enrolment', '/api/v1/correction/enrolments', () => enrolment({ residenceTown: '999' })],
    ['an investigation request', '/api/v1/correction/investigation-requests', () => investigation({ residenceTown: '999' })],
  ])('REST: %s whose person lives in town "999" is a 422 TOWN_UNKNOWN problem+json naming person.residenceTown (English and Chinese), and nothing is written', async (_what, path, body) => {
    const before = await rowCounts();
    const res = await post(path, body());
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('TOWN_UNKNOWN');
    const error = (res.body.errors as Array<{ field: string; message: string }>).find((e) => e.field === 'person.residenceTown');
    expect(error?.message).toContain('"999" is not a town code of Jiangyin');
    expect(error?.message).toContain('不是江阴市的镇（街道）代码');
    expect(await rowCounts()).toEqual(before);
  });

  it('REST: a town code that is not three digits ("10a") is malformed: 400 naming the field, bilingual', async () => {
    const res = await post('/api/v1/correction/enrolments', enrolment({ residenceTown: '10a' }));
    expect(res.status).toBe(400);
    const error = (res.body.errors as Array<{ field: string; message: string }>).find((e) => e.field === 'person.residenceTown');
    expect(error?.message).toMatch(/three-digit town code .* \/ .*三位数字/);
  });

  it('REST: the same enrolment with a real town (104 徐霞客镇) is accepted', async () => {
    await post('/api/v1/correction/enrolments', enrolment()).expect(201);
  });

  const QUERIES: Array<[string, string]> = [
    ['correctionSubjects', '{ correctionSubjects(town: "999") { totalCount } }'],
    ['caseload', '{ caseload(town: "999") { totalCount } }'],
    ['dueToday', '{ dueToday(town: "999") { recordId } }'],
    ['overdue', '{ overdue(town: "999") { recordId } }'],
    ['electronicMonitorings', '{ electronicMonitorings(town: "999") { totalCount } }'],
    ['leaves', '{ leaves(town: "999") { totalCount } }'],
    ['investigations', '{ investigations(town: "999") { totalCount } }'],
    ['procuratorateNotices', '{ procuratorateNotices(town: "999") { totalCount } }'],
    ['restorativeCases', '{ restorativeCases(town: "999") { totalCount } }'],
    ['restorativeExcellenceTarget', '{ restorativeExcellenceTarget(year: 2026, town: "999") { target } }'],
    ['assistanceNeeds', '{ assistanceNeeds(town: "999") { totalCount } }'],
    ['disputes', '{ disputes(town: "999") { totalCount } }'],
    ['caseReports', '{ caseReports(town: "999") { totalCount } }'],
    ['currentKeyPersons', '{ currentKeyPersons(town: "999") { totalCount } }'],
    ['keyPersonDetermination', '{ keyPersonDetermination(town: "999", month: "2026-11") { version } }'],
    ['volunteers', '{ volunteers(town: "999") { totalCount } }'],
    ['socialOrganisations', '{ socialOrganisations(town: "999") { totalCount } }'],
    ['educationSessions', '{ educationSessions(town: "999") { totalCount } }'],
    ['intensiveTrainingDue', '{ intensiveTrainingDue(town: "999") { totalCount } }'],
    ['psychServices', '{ psychServices(town: "999") { totalCount } }'],
  ];

  it.each(QUERIES)('GraphQL: %s(town: "999") is a TOWN_UNKNOWN error naming the town (English and Chinese), not an empty list', async (_name, query) => {
    const res = await gql(query);
    expect(Object.values(res.body.data ?? {}).every((v) => v === null)).toBe(true);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'TOWN_UNKNOWN', field: 'town' });
    expect(res.body.errors[0].message).toContain('"999" is not a town code of Jiangyin');
    expect(res.body.errors[0].message).toContain('不是江阴市的镇（街道）代码');
  });

  it('GraphQL: the same list for a real town answers (the validator accepts every town of the reference data)', async () => {
    const res = await gql('{ correctionSubjects(town: "104") { totalCount } caseload(town: "400") { totalCount } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.correctionSubjects.totalCount).toBe(1);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    ['reportCase', 'mutation($input: ReportCaseInput!) { reportCase(input: $input) { id } }', { town: '999', month: '2026-11', title: '案例', narrative: '经过' }, 'town'],
    [
      'recordKeyPersonDetermination',
      'mutation($input: RecordKeyPersonDeterminationInput!) { recordKeyPersonDetermination(input: $input) { version } }',
      { town: '999', month: '2026-11', entries: [] },
      'town',
    ],
    [
      'assignInvestigationTown',
      'mutation($input: AssignInvestigationTownInput!) { assignInvestigationTown(input: $input) { id } }',
      { investigationId: '00000000-0000-4000-8000-000000000001', town: '999' },
      'town',
    ],
    [
      'decideResidenceDispute',
      'mutation($input: DecideResidenceDisputeInput!) { decideResidenceDispute(input: $input) { id } }',
      { disputeId: '00000000-0000-4000-8000-000000000001', decision: '指定居住地', designatedTown: '999', decidedOn: '2026-11-20' },
      'designatedTown',
    ],
    ['recruitVolunteer', 'mutation($input: RecruitVolunteerInput!) { recruitVolunteer(input: $input) { id } }', { town: '999', name: '某某', kind: 'ORDINARY' }, 'town'],
    [
      'registerSocialOrganisation',
      'mutation($input: RegisterSocialOrganisationInput!) { registerSocialOrganisation(input: $input) { id } }',
      { town: '999', name: '某社会组织', registrationNo: 'X-1' },
      'town',
    ],
    [
      'recordEducationSession',
      'mutation($input: RecordEducationSessionInput!) { recordEducationSession(input: $input) { id } }',
      { town: '999', kind: 'CULTURE', title: '活动', heldOn: '2026-11-20', place: '文化站', hours: 2 },
      'town',
    ],
  ])('GraphQL: %s with town "999" is a TOWN_UNKNOWN error naming the field (English and Chinese), audited, and nothing else is written', async (_name, mutation, input, field) => {
    const before = await rowCounts();
    const res = await gql(mutation, { input });
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'TOWN_UNKNOWN', field });
    expect(res.body.errors[0].message).toMatch(/"999" is not a town code of Jiangyin .* \/ .*不是江阴市的镇（街道）代码/);
    // Nothing changes but the audit of the refusal (its code, never the message).
    const after = await rowCounts();
    expect({ ...after, 'audit.events': 0 }).toEqual({ ...before, 'audit.events': 0 });
    expect(after['audit.events']).toBe(before['audit.events'] + 1);
    const [refusal] = await svc.db.query<{ outcome: string; details: unknown }>(`SELECT outcome, details FROM audit.events ORDER BY id DESC LIMIT 1`);
    expect(JSON.stringify(refusal.details)).toContain('TOWN_UNKNOWN');
    expect(JSON.stringify(refusal.details)).not.toContain('不是江阴市');
  });

  it('issue 8 item 3: a bare date argument is checked by @IsLocalDate too: endProhibitionZone(endedOn: "1999-01-01") is BAD_USER_INPUT naming endedOn, bilingual', async () => {
    const res = await gql('mutation { endProhibitionZone(zoneId: "00000000-0000-4000-8000-000000000001", endedOn: "1999-01-01") { id } }');
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const [error] = res.body.errors[0].extensions.errors as Array<{ field: string; message: string }>;
    expect(error.field).toBe('endedOn');
    expect(error.message).toMatch(/endedOn must be a real date YYYY-MM-DD between .* \/ endedOn 应为/);
  });
});

