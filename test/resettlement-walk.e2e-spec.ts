import { addDays, idNumberCheckChar } from '@homeward/domain';
import { CreatedUser, Stack, findClearPii, personNeedles, startStack } from '@homeward/testing';

/**
 * Issue 9 "Done when": a key person walks through resettlement, the whole stack, through the gateway:
 * pre-release notice → verification → receipt read by the prison → agreement → release without
 * pick-up → RED alert → pick-up recorded → alert settled → risk assessment → police hand-over →
 * re-offence report → RED alert; K-RS3, K-RS5 and K-RS7 change on the way; an officer of another
 * town sees none of it.
 */
jest.setTimeout(480_000);

const BASE = '32028119750505123';
const ID_NUMBER = `${BASE}${idNumberCheckChar(BASE)}`;
const NAME = '安置甲';
const DAY = 24 * 3600 * 1000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
type Fraction = { numerator: number; denominator: number };

describe('RS-1 … RS-8: a key person from the prison\'s notice to a re-offence (through the gateway)', () => {
  let stack: Stack;
  let officerUser: CreatedUser;
  let otherUser: CreatedUser;
  let officer: string;
  let other: string;
  let prison: string;
  let police: string;
  let noticeId: string;
  let releaseId: string;
  let releaseDay: string;

  const gql = async (token: string, query: string, variables?: Record<string, unknown>): Promise<Body> => (await stack.graphql(token, query, variables)) as Body;
  const ok = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const body = await gql(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const post = (path: string, token: string, key: string, body: object) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
  const eventually = async <T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 90_000): Promise<T> => {
    const until = Date.now() + ms;
    let value = await probe();
    while (!done(value) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      value = await probe();
    }
    return value;
  };
  /** The assistance case the release opened (RS-6), read from the database as an operator would. */
  const caseIdOfRelease = async (): Promise<string> => {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      return (await client.query<{ case_id: string }>(`SELECT case_id FROM resettlement.releases WHERE id = $1`, [releaseId])).rows[0].case_id;
    } finally {
      await client.end();
    }
  };
  const tokens = async () => {
    officer = await stack.login(officerUser.username, officerUser.password);
    other = await stack.login(otherUser.username, otherUser.password);
    prison = await stack.partnerToken('PRISON');
    police = await stack.partnerToken('POLICE');
  };
  const advance = async (ms: number) => {
    await stack.advanceClock(ms);
    await tokens();
  };
  const ALERTS = `{ alerts(first: 50) { edges { node { rule colour state town { code } } } } }`;
  const alerts = async (token: string): Promise<Array<{ rule: string; colour: string; state: string }>> =>
    (await ok(token, ALERTS)).alerts.edges.map((e: { node: { rule: string; colour: string; state: string } }) => e.node).filter((a: { rule: string }) => a.rule.startsWith('RS-') && a.rule !== 'RS-9.OUTREACH_MISSING'); // the walk follows a person; RS-9 is a town's quarter (a start date near a quarter end would raise it)
  const indicators = async (day: string): Promise<Record<string, Fraction>> => {
    const [year, month] = day.split('-').map(Number);
    const data = await ok(officer, `query($p: ResettlementPeriodInput!) { resettlementIndicators(period: $p) { town { code } indicators { code numerator denominator } } }`, {
      p: { kind: 'MONTH', year, number: month },
    });
    const row = data.resettlementIndicators.find((r: { town: { code: string } | null }) => r.town?.code === '104');
    return Object.fromEntries(row.indicators.map((i: Fraction & { code: string }) => [i.code, { numerator: i.numerator, denominator: i.denominator }]));
  };

  beforeAll(async () => {
    stack = await startStack();
    officerUser = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    otherUser = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['107'] });
    await tokens();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('RS-1 / RS-3: the prison\'s notice of a key person lands in 徐霞客镇\'s to-do list, not in 华士镇\'s', async () => {
    releaseDay = addDays(stack.today(), 20);
    const res = await post('/api/v1/resettlement/pre-release-notices', prison, 'E2E-RS-N1', {
      person: { idNumber: ID_NUMBER, name: NAME, residenceTown: '104', residenceAddress: '徐霞客镇璜塘村8号' },
      prisonerNo: 'E2E-P-1',
      expectedReleaseDate: releaseDay,
      offence: '盗窃罪',
      sentence: '有期徒刑四年',
      conductInPrison: '改造表现差',
      keyCategories: ['POOR_CONDUCT'],
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; town: string; keyPerson: boolean };
    expect(body).toMatchObject({ town: '104', keyPerson: true });
    noticeId = body.id;
    const LIST = `{ noticesToHandle(first: 20) { edges { node { id } } } }`;
    expect((await ok(officer, LIST)).noticesToHandle.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(noticeId);
    expect((await ok(other, LIST)).noticesToHandle.edges).toEqual([]);
  });

  it('RS-2: the office verifies and sends the receipt; the prison reads it SENT', async () => {
    const receipt = async () => (await (await fetch(`${stack.gatewayUrl}/api/v1/resettlement/pre-release-notices/${noticeId}/receipt`, { headers: { authorization: `Bearer ${prison}` } })).json()) as Record<string, unknown>;
    expect(await receipt()).toEqual({ status: 'PENDING' });
    const items = ['HOUSEHOLD_REGISTRATION', 'ACTUAL_RESIDENCE', 'FAMILY', 'IDENTITY'].map((item) => ({ item, matches: true }));
    await ok(officer, `mutation($i: VerifyPreReleaseNoticeInput!) { verifyPreReleaseNotice(input: $i) { id } }`, { i: { noticeId, items, notes: '核查属实' } });
    await ok(officer, `mutation($id: ID!) { sendNoticeReceipt(noticeId: $id) { id } }`, { id: noticeId });
    expect(await receipt()).toMatchObject({ status: 'SENT', verification: 'VERIFIED', notes: '核查属实' });
    // Another town's officer cannot act on it.
    const denied = await gql(other, `mutation($id: ID!) { sendNoticeReceipt(noticeId: $id) { id } }`, { id: noticeId });
    expect(denied.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('RS-4: the 1+1+N agreement is signed before release', async () => {
    await ok(officer, `mutation($i: SignAgreementInput!) { signAgreement(input: $i) { id } }`, {
      i: {
        noticeId,
        parties: [
          { role: 'PERSON', name: NAME },
          { role: 'TOWN_OFFICE', name: '徐霞客镇司法所' },
          { role: 'FAMILY', name: '安置父' },
        ],
        clauses: { control: '每月报告', education: '法治教育', assistance: '就业帮扶' },
        signedOn: stack.today(),
      },
    });
  });

  it('RS-5: released without a pick-up → RED the day after; the pick-up settles it; K-RS3 goes 0/1 → 1/1', async () => {
    await advance(20 * DAY);
    expect(stack.today()).toBe(releaseDay);
    const res = await post('/api/v1/resettlement/releases', prison, 'E2E-RS-R1', { preReleaseNoticeId: noticeId, actualReleaseDate: releaseDay });
    expect(res.status).toBe(201);
    releaseId = ((await res.json()) as { id: string }).id;
    expect((await indicators(releaseDay))['K-RS3']).toEqual({ numerator: 0, denominator: 1 });

    await advance(2 * DAY);
    const raised = await eventually(() => alerts(officer), (a) => a.some((x) => x.rule === 'RS-5.NOT_PICKED_UP'));
    expect(raised.find((x) => x.rule === 'RS-5.NOT_PICKED_UP')).toMatchObject({ colour: 'RED', state: 'OPEN' });
    expect(await alerts(other)).toEqual([]);

    await ok(officer, `mutation($i: RecordPickUpInput!) { recordPickUp(input: $i) { id } }`, {
      i: { releaseId, by: 'FAMILY', collectorName: '安置父', relationship: '父子', place: '监狱大门', at: new Date(stack.now().getTime() - DAY).toISOString() },
    });
    const settled = await eventually(() => alerts(officer), (a) => a.find((x) => x.rule === 'RS-5.NOT_PICKED_UP')?.state === 'RESOLVED');
    expect(settled.find((x) => x.rule === 'RS-5.NOT_PICKED_UP')?.state).toBe('RESOLVED');
    expect((await indicators(releaseDay))['K-RS3']).toEqual({ numerator: 1, denominator: 1 });
  });

  it('RS-6: risk assessment and police hand-over; K-RS5 goes 0/1 → 1/1', async () => {
    expect((await indicators(releaseDay))['K-RS5']).toEqual({ numerator: 0, denominator: 1 });
    await ok(officer, `mutation($i: RecordRiskAssessmentInput!) { recordRiskAssessment(input: $i) { id } }`, { i: { releaseId, level: 'HIGH', factors: ['无稳定工作'] } });
    await ok(officer, `mutation($i: RecordPoliceHandOverInput!) { recordPoliceHandOver(input: $i) { id } }`, { i: { releaseId, policeUnit: '江阴市公安局徐霞客派出所' } });
    expect((await indicators(releaseDay))['K-RS5']).toEqual({ numerator: 1, denominator: 1 });
  });

  it('RS-8: police report a re-offence → matched, RED; K-RS7 goes 0/1 → 1/1; 华士镇 sees nothing, nothing is stored in clear', async () => {
    const reportDay = stack.today();
    expect((await indicators(reportDay))['K-RS7']).toEqual({ numerator: 0, denominator: 1 });
    const res = await post('/api/v1/resettlement/reoffence-reports', police, 'E2E-RS-O1', { person: { idNumber: ID_NUMBER }, offenceDate: reportDay, caseNo: '澄公刑2027-E2E' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { matched: boolean }).matched).toBe(true);
    const red = await eventually(() => alerts(officer), (a) => a.some((x) => x.rule === 'RS-8.REOFFENCE'));
    expect(red.find((x) => x.rule === 'RS-8.REOFFENCE')?.colour).toBe('RED');
    expect((await indicators(reportDay))['K-RS7']).toEqual({ numerator: 1, denominator: 1 });

    expect(await alerts(other)).toEqual([]);
    // The office finds the person's case (with its whole history) by person key; 华士镇 finds nothing.
    const caseId = (await ok(officer, `query($id: ID!) { resettlementCase(id: $id) { id } }`, { id: await caseIdOfRelease() })).resettlementCase.id;
    const kase = (await ok(officer, `query($id: ID!) { resettlementCase(id: $id) { person { key } release { id } agreement { id } policeHandOver { id } riskAssessments { level } } }`, { id: caseId })).resettlementCase;
    expect(kase).toMatchObject({ release: { id: releaseId }, agreement: { id: expect.any(String) }, policeHandOver: { id: expect.any(String) }, riskAssessments: [{ level: 'HIGH' }] });
    const SEARCH = `query($k: String!) { resettlementCasesOfPerson(personKey: $k) { id } }`;
    expect((await ok(officer, SEARCH, { k: kase.person.key })).resettlementCasesOfPerson.map((c: { id: string }) => c.id)).toContain(caseId);
    expect((await ok(other, SEARCH, { k: kase.person.key })).resettlementCasesOfPerson).toEqual([]);
    expect((await ok(other, `query($id: ID!) { resettlementCase(id: $id) { id } }`, { id: caseId })).resettlementCase).toBeNull();
    expect(await findClearPii(stack.databaseUrl, { ...personNeedles(ID_NUMBER, NAME, 'person.'), address: '徐霞客镇璜塘村8号', prisonerNo: 'E2E-P-1' })).toEqual([]);
  });
});
