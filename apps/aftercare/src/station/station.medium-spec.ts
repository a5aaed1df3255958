import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AgencyKind, Role, idNumberCheckChar } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../app.module';
import { AftercareConfig } from '../config';

jest.setTimeout(120_000);

const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);
const ID = { A: withCheck('32028119850301001'), B: withCheck('32028119850302002'), C: withCheck('32028119850303003'), D: withCheck('32028119850304004'), E: withCheck('32028119850305005') };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
type Conn = { totalCount: number; pageInfo: { endCursor: string | null; hasNextPage: boolean }; edges: Array<{ node: { id: string; daysSinceRelease: number; town: { code: string } } }> };

/** Issue 10 item 9: the town service station's lists, case page and mutations through the aftercare subgraph (real PostgreSQL + Redis). */
describe('aftercare: the service station\'s lists and case page (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<AftercareConfig>;
  let app: NestExpressApplication;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  const mint = (p: Parameters<TestKeys['mint']>[0]) => keys.mint(p, { expiresInSeconds: 3650 * 86_400, now: clock.now() });
  const centre = mint(partnerPrincipal(AgencyKind.REHAB_CENTRE, { agencyId: 'wuxi-rehab-1' }));
  const officer104 = mint(staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] }));
  const officer001 = mint(staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['001'] }));
  const city = mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] }));
  const socialWorker = mint(staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'] }));
  const caseOf: Record<string, string> = {};

  const gql = async (token: string, query: string, variables?: Record<string, unknown>): Promise<Body> =>
    (await request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables }).expect(200)).body as Body;
  const ok = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const body = await gql(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const LIST = (name: string) => `query($first: Int, $after: String) { ${name}(first: $first, after: $after) { totalCount pageInfo { endCursor hasNextPage } edges { node { id daysSinceRelease town { code } } } } }`;
  const list = async (token: string, name: string, first = 20, after?: string): Promise<Conn> => (await ok(token, LIST(name), { first, after }))[name];
  const ids = (c: Conn) => c.edges.map((e) => e.node.id).sort();
  const of = (...names: string[]) => names.map((n) => caseOf[n]).sort();
  const followUp = (token: string, caseId: string, kind: string, heldOn: string, drugTest = 'NOT_TESTED') =>
    gql(token, `mutation($i: RecordAftercareFollowUpInput!) { recordAftercareFollowUp(input: $i) { id period kindLabel } }`, {
      i: { caseId, kind, heldOn, contactMade: true, situation: '情绪稳定，在家务农', drugTest },
    });
  const auditedLists = async (list: string) =>
    svc.db.query<{ person_keys: string[] | null; details: { personKeys?: string[]; count: number } }>(`SELECT details FROM audit.events WHERE action = 'aftercare.case.list' AND details->>'list' = $1`, [list]);

  beforeAll(async () => {
    svc = await bootServiceApp({ name: 'aftercare', appModule: (o) => AppModule.forRoot(o), config: AftercareConfig, keys, clock, prefix: testRedisPrefix('ac-station') });
    app = svc.app;
    const person = (idNumber: string, n: string, town: string) => ({ idNumber, name: `照管${n}`, residenceTown: town });
    const res = await request(app.getHttpServer())
      .post('/api/v1/aftercare/release-notices')
      .set('authorization', `Bearer ${centre}`)
      .set('idempotency-key', 'ST-1')
      .send({
        notices: (['A', 'B', 'C', 'D', 'E'] as const).map((n, i) => ({
          // E names no Jiangyin town: it waits in the city queue (AC-1), in no station's list.
          person: person(ID[n], n, n === 'D' ? '001' : n === 'E' ? '999' : '104'),
          centreRecordNo: `WX-ST-${n}`,
          releaseDate: `2027-03-0${5 + i}`,
          keyPerson: n === 'A',
          communityRehabilitation: false,
        })),
      })
      .expect(207);
    const rows = await svc.db.query<{ id: string; notice_id: string }>(`SELECT id, notice_id FROM aftercare.cases`);
    (['A', 'B', 'C', 'D', 'E'] as const).forEach((n, i) => (caseOf[n] = rows.find((r) => r.notice_id === res.body.results[i].id)!.id));
    clock.set('2027-03-15T02:00:00Z');
  });
  afterAll(async () => svc?.close());

  it('AC-2: the to-contact list holds the station\'s cases without first contact, longest since release first, keyset-paged; another town sees only its own', async () => {
    const first = await list(officer104, 'aftercareToContact', 2);
    expect(first.totalCount).toBe(3);
    expect(first.edges.map((e) => [e.node.id, e.node.daysSinceRelease])).toEqual([
      [caseOf.A, 10],
      [caseOf.B, 9],
    ]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await list(officer104, 'aftercareToContact', 2, first.pageInfo.endCursor as string);
    expect(second.edges.map((e) => e.node.id)).toEqual([caseOf.C]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(ids(await list(officer001, 'aftercareToContact'))).toEqual(of('D'));
    // The city office sees every station's list; the notice still in the city queue is in none.
    expect((await svc.db.query<{ town: string | null; status: string }>(`SELECT town, status FROM aftercare.cases WHERE id = $1`, [caseOf.E]))[0]).toEqual({ town: null, status: 'AWAITING_CONTACT' });
    expect(ids(await list(city, 'aftercareToContact'))).toEqual(of('A', 'B', 'C', 'D'));
    // The station's to-do lists are whole-town staff's: a social worker's token may not ask for them.
    expect((await gql(socialWorker, LIST('aftercareToContact'), { first: 20 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await gql(officer104, LIST('aftercareToContact'), { first: 2, after: 'not-a-cursor' });
    expect(bad.errors?.[0]).toMatchObject({ message: expect.stringMatching(/分页游标无效/), extensions: { code: 'BAD_USER_INPUT' } });
    const [audited] = await auditedLists('to-contact');
    expect(audited.details.count).toBe(2);
  });

  it('AC-2: recording the contact (card now or later) takes the case off the list; another town\'s officer cannot record it', async () => {
    const denied = await gql(officer001, `mutation($i: RecordAftercareContactInput!) { recordAftercareContact(input: $i) { id } }`, { i: { caseId: caseOf.A, contactedOn: '2027-03-12', contactCardIssued: true } });
    expect(denied.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const a = (await ok(officer104, `mutation($i: RecordAftercareContactInput!) { recordAftercareContact(input: $i) { id status statusLabel contact { firstContactOn contactCardIssuedOn inTime } } }`, {
      i: { caseId: caseOf.A, contactedOn: '2027-03-12', contactCardIssued: true },
    })).recordAftercareContact;
    expect(a).toEqual({ id: caseOf.A, status: 'ENROLLED', statusLabel: '照管中', contact: { firstContactOn: '2027-03-12', contactCardIssuedOn: '2027-03-12', inTime: true } });
    await ok(officer104, `mutation($i: RecordAftercareContactInput!) { recordAftercareContact(input: $i) { id } }`, { i: { caseId: caseOf.B, contactedOn: '2027-03-14', contactCardIssued: false } });
    const card = (await ok(officer104, `mutation($i: IssueAftercareContactCardInput!) { issueAftercareContactCard(input: $i) { contact { contactCardIssuedOn } } }`, { i: { caseId: caseOf.B, issuedOn: '2027-03-15' } })).issueAftercareContactCard;
    expect(card.contact.contactCardIssuedOn).toBe('2027-03-15');
    const twice = await gql(officer104, `mutation($i: IssueAftercareContactCardInput!) { issueAftercareContactCard(input: $i) { id } }`, { i: { caseId: caseOf.B, issuedOn: '2027-03-15' } });
    expect(twice.errors?.[0]?.extensions?.code).toBe('ILLEGAL_TRANSITION');
    expect(ids(await list(officer104, 'aftercareToContact'))).toEqual(of('C'));
  });

  it('AC-3: follow-ups due this month are the enrolled cases without a PHONE follow-up in the calendar month; visits due, without a FACE_TO_FACE in the quarter', async () => {
    expect(ids(await list(officer104, 'aftercareFollowUpsDue'))).toEqual(of('A', 'B'));
    expect(ids(await list(officer104, 'aftercareVisitsDue'))).toEqual(of('A', 'B'));
    expect((await ok(officer104, `mutation($i: RecordAftercareFollowUpInput!) { recordAftercareFollowUp(input: $i) { period kindLabel drugTestLabel } }`, {
      i: { caseId: caseOf.A, kind: 'PHONE', heldOn: '2027-03-15', contactMade: true, situation: '电话联系，情绪稳定', drugTest: 'NOT_TESTED' },
    })).recordAftercareFollowUp).toEqual({ period: '2027-03', kindLabel: '电话回访', drugTestLabel: '未检测' });
    expect((await followUp(officer104, caseOf.B, 'FACE_TO_FACE', '2027-03-15', 'NEGATIVE')).errors).toBeUndefined();
    expect(ids(await list(officer104, 'aftercareFollowUpsDue'))).toEqual(of('B'));
    expect(ids(await list(officer104, 'aftercareVisitsDue'))).toEqual(of('A'));
    expect((await list(officer001, 'aftercareFollowUpsDue')).edges).toEqual([]);
    expect((await list(officer001, 'aftercareVisitsDue')).edges).toEqual([]);
    expect((await followUp(officer001, caseOf.B, 'PHONE', '2027-03-15')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // A new month owes a new phone call; a new quarter a new visit.
    clock.set('2027-04-02T02:00:00Z');
    expect(ids(await list(officer104, 'aftercareFollowUpsDue'))).toEqual(of('A', 'B'));
    expect(ids(await list(officer104, 'aftercareVisitsDue'))).toEqual(of('A', 'B'));
    const [audited] = await auditedLists('visits-due');
    expect(audited.details).toMatchObject({ period: '2027-Q1' });
  });

  it('AC-4: the relapse list holds open cases with a relapse, the latest first; another town sees none', async () => {
    expect((await list(officer104, 'aftercareRelapses')).edges).toEqual([]);
    expect((await followUp(officer104, caseOf.A, 'FACE_TO_FACE', '2027-04-01', 'POSITIVE')).errors).toBeUndefined();
    const b = (await ok(officer104, `mutation($i: MarkAftercareRelapseInput!) { markAftercareRelapse(input: $i) { id lastRelapseOn } }`, { i: { caseId: caseOf.B, relapsedOn: '2027-04-02' } })).markAftercareRelapse;
    expect(b).toEqual({ id: caseOf.B, lastRelapseOn: '2027-04-02' });
    expect((await list(officer104, 'aftercareRelapses')).edges.map((e) => e.node.id)).toEqual([caseOf.B, caseOf.A]);
    expect((await list(officer001, 'aftercareRelapses')).edges).toEqual([]);
    expect((await gql(socialWorker, LIST('aftercareRelapses'), { first: 20 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('issue 10 item 9: the case page shows the notice (ID number masked only), contact, follow-ups, tests, relapse and history; audited; another town gets null', async () => {
    const PAGE = `query($id: ID!) { aftercareCase(id: $id) { id person { key } status keyPerson
      notice { name maskedIdNumber late releaseDate centre }
      contact { contactDue firstContactOn contactCardIssuedOn inTime }
      followUps { kind period situation drugTest } drugTests { result resultLabel source }
      relapse { relapseCount lastRelapseOn refusedTests seriousBreachOn } closure { reason }
      history { on what label } } }`;
    const page = (await ok(officer104, PAGE, { id: caseOf.A })).aftercareCase;
    expect(page).toMatchObject({
      id: caseOf.A,
      status: 'ENROLLED',
      keyPerson: true,
      notice: { name: '照管A', maskedIdNumber: expect.stringMatching(/\*/), late: false, releaseDate: '2027-03-05', centre: 'REHAB_CENTRE:wuxi-rehab-1' },
      contact: { contactDue: '2027-03-12', firstContactOn: '2027-03-12', contactCardIssuedOn: '2027-03-12', inTime: true },
      followUps: [
        { kind: 'PHONE', period: '2027-03', situation: '电话联系，情绪稳定', drugTest: 'NOT_TESTED' },
        { kind: 'FACE_TO_FACE', period: '2027-Q2', drugTest: 'POSITIVE' },
      ],
      drugTests: [{ result: 'POSITIVE', resultLabel: '阳性', source: 'FOLLOW_UP' }],
      relapse: { relapseCount: 1, lastRelapseOn: '2027-04-01', refusedTests: 0, seriousBreachOn: null },
      closure: null,
    });
    expect(JSON.stringify(page)).not.toContain(ID.A);
    expect(page.history.map((h: { what: string }) => h.what)).toEqual(['NOTICE_RECEIVED', 'RELEASED', 'FIRST_CONTACT', 'CONTACT_CARD', 'FOLLOW_UP', 'FOLLOW_UP', 'DRUG_TEST', 'RELAPSE']);
    expect(page.history[4].label).toBe('回访：电话回访 2027-03');
    const [{ n }] = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'aftercare.case.read' AND entity_id = $1 AND outcome <> 'DENIED'`, [caseOf.A]);
    expect(n).toBeGreaterThanOrEqual(1);
    expect((await ok(officer001, PAGE, { id: caseOf.A })).aftercareCase).toBeNull();
    const SEARCH = `query($k: String!) { aftercareCasesOfPerson(personKey: $k) { id } }`;
    expect((await ok(officer104, SEARCH, { k: page.person.key })).aftercareCasesOfPerson).toEqual([{ id: caseOf.A }]);
    expect((await ok(officer001, SEARCH, { k: page.person.key })).aftercareCasesOfPerson).toEqual([]);
    const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { aftercareCases { id status } } } }`;
    const reps = [{ __typename: 'Person', key: page.person.key }];
    expect((await ok(officer104, ENTITIES, { reps }))._entities[0].aftercareCases).toEqual([{ id: caseOf.A, status: 'ENROLLED' }]);
    expect((await ok(officer001, ENTITIES, { reps }))._entities[0].aftercareCases).toEqual([]);
  });

  it('AC-5: closing the case shows the closure on the page and takes it off the station\'s lists', async () => {
    const denied = await gql(officer001, `mutation($i: CloseAftercareCaseInput!) { closeAftercareCase(input: $i) { id } }`, { i: { caseId: caseOf.B, reason: 'DIED', closedOn: '2027-04-02' } });
    expect(denied.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const closed = (await ok(officer104, `mutation($i: CloseAftercareCaseInput!) { closeAftercareCase(input: $i) { id status closure { reason reasonLabel closedOn } } }`, { i: { caseId: caseOf.B, reason: 'DIED', closedOn: '2027-04-02' } })).closeAftercareCase;
    expect(closed).toEqual({ id: caseOf.B, status: 'CLOSED', closure: { reason: 'DIED', reasonLabel: '死亡', closedOn: '2027-04-02' } });
    expect(ids(await list(officer104, 'aftercareRelapses'))).toEqual(of('A'));
    expect(ids(await list(officer104, 'aftercareFollowUpsDue'))).toEqual(of('A'));
    const early = await gql(officer104, `mutation($i: CloseAftercareCaseInput!) { closeAftercareCase(input: $i) { id } }`, { i: { caseId: caseOf.A, reason: 'ABSTINENT_THREE_YEARS', closedOn: '2027-04-02' } });
    expect(early.errors?.[0]?.extensions?.code).toBe('ILLEGAL_TRANSITION');
  });
});
