import ExcelJS from 'exceljs';
import { addDays, idNumberCheckChar } from '@homeward/domain';
import { CreatedUser, Stack, findClearPii, personNeedles, startStack } from '@homeward/testing';

/**
 * Issue 10 "Done when": a
 * person released from compulsory isolated drug rehabilitation walks through aftercare, the whole
 * stack, through the gateway: the centre's notice → no contact within 7 days → ORANGE → contact →
 * monthly phone follow-ups with the clock moved across a quarter → the quarter's visit missed →
 * YELLOW → police report a positive test → relapse ORANGE → K-AC1 / K-AC2 / K-AC3 as expected → the monthly
 * XLSX has the row; an officer of another town sees none of it. On the way a notice matching no station
 * waits in the city queue until the city office assigns it (AC-1 一个不漏).
 * The apps' clock starts on Monday 2026-03-02, pinned (not HW_E2E_START_AT): the walk crosses the
 * first quarter's end on purpose.
 */
jest.setTimeout(480_000);

const BASE = '32028119880808123';
const ID_NUMBER = `${BASE}${idNumberCheckChar(BASE)}`;
const NAME = '照管甲';
const START_AT = '2026-03-02T09:30:00+08:00';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
type Alert = { rule: string; colour: string; state: string; town: { code: string } };

describe('AC-1 … AC-4: a person from the rehabilitation centre\'s notice to a relapse (through the gateway)', () => {
  let stack: Stack;
  let officerUser: CreatedUser;
  let otherUser: CreatedUser;
  let officer: string;
  let other: string;
  let centre: string;
  let police: string;
  let caseId: string;
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
  const eventually = async <T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 120_000): Promise<T> => {
    const until = Date.now() + ms;
    let value = await probe();
    while (!done(value) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      value = await probe();
    }
    return value;
  };
  const tokens = async () => {
    officer = await stack.login(officerUser.username, officerUser.password);
    other = await stack.login(otherUser.username, otherUser.password);
    centre = await stack.partnerToken('REHAB_CENTRE');
    police = await stack.partnerToken('POLICE');
  };
  /** Moves the apps' clock to 09:30 (Asia/Shanghai) of `day`. */
  const moveTo = async (day: string) => {
    const target = new Date(`${day}T09:30:00+08:00`).getTime();
    await stack.advanceClock(target - stack.now().getTime());
    expect(stack.today()).toBe(day);
    await tokens();
  };
  const ALERTS = `{ alerts(first: 50) { edges { node { rule colour state town { code } } } } }`;
  const alerts = async (token: string): Promise<Alert[]> => (await ok(token, ALERTS)).alerts.edges.map((e: { node: Alert }) => e.node).filter((a: Alert) => a.rule.startsWith('AC-'));
  const list = async (token: string, name: string): Promise<string[]> => (await ok(token, `{ ${name}(first: 50) { edges { node { id } } } }`))[name].edges.map((e: { node: { id: string } }) => e.node.id);
  type Fraction = { numerator: number; denominator: number; value: number | null };
  /** K-AC… of station 104 for one month, through the gateway. */
  const indicators = async (token: string, year: number, month: number): Promise<Record<string, Fraction>> => {
    const data = await ok(token, `query($p: AftercarePeriodInput!) { aftercareIndicators(period: $p) { town { code } indicators { code numerator denominator value } } }`, { p: { kind: 'MONTH', year, number: month } });
    const row = data.aftercareIndicators.find((r: { town: { code: string } | null }) => r.town?.code === '104');
    if (!row) return {};
    return Object.fromEntries(row.indicators.map((i: Fraction & { code: string }) => [i.code, { numerator: i.numerator, denominator: i.denominator, value: i.value }]));
  };
  const phoneCall = (heldOn: string) =>
    ok(officer, `mutation($i: RecordAftercareFollowUpInput!) { recordAftercareFollowUp(input: $i) { period } }`, {
      i: { caseId, kind: 'PHONE', heldOn, contactMade: true, situation: '电话联系，在家务农，情绪稳定', drugTest: 'NOT_TESTED' },
    });

  beforeAll(async () => {
    stack = await startStack({ startAt: START_AT });
    officerUser = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    otherUser = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['107'] });
    await tokens();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('AC-1: the centre\'s notice (in a batch) lands in 徐霞客镇\'s to-contact list, not in 华士镇\'s', async () => {
    expect(stack.today()).toBe('2026-03-02');
    releaseDay = addDays(stack.today(), 3);
    const res = await post('/api/v1/aftercare/release-notices', centre, 'E2E-AC-N1', {
      notices: [{ person: { idNumber: ID_NUMBER, name: NAME, residenceTown: '104', residenceAddress: '徐霞客镇马镇村9号' }, centreRecordNo: 'E2E-WX-1', releaseDate: releaseDay, keyPerson: false, communityRehabilitation: false }],
    });
    expect(res.status).toBe(207);
    const body = (await res.json()) as { results: Array<{ status: number; town: string; late: boolean }> };
    expect(body.results).toEqual([expect.objectContaining({ index: 0, status: 201, town: '104', late: false })]);
    const toContact = await list(officer, 'aftercareToContact');
    expect(toContact).toHaveLength(1);
    caseId = toContact[0];
    expect(await list(other, 'aftercareToContact')).toEqual([]);
  });

  it('AC-2: no contact within 7 days of release → ORANGE the day after; the contact enrols the subject', async () => {
    await moveTo(addDays(releaseDay, 8));
    const raised = await eventually(() => alerts(officer), (a) => a.some((x) => x.rule === 'AC-2.CONTACT_NOT_MADE'));
    expect(raised.find((x) => x.rule === 'AC-2.CONTACT_NOT_MADE')).toMatchObject({ colour: 'ORANGE', town: { code: '104' } });
    expect(await alerts(other)).toEqual([]);
    const days = (await ok(officer, `query($id: ID!) { aftercareCase(id: $id) { daysSinceRelease } }`, { id: caseId })).aftercareCase.daysSinceRelease;
    expect(days).toBe(8);

    const denied = await gql(other, `mutation($i: RecordAftercareContactInput!) { recordAftercareContact(input: $i) { id } }`, { i: { caseId, contactedOn: stack.today(), contactCardIssued: true } });
    expect(denied.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const kase = (await ok(officer, `mutation($i: RecordAftercareContactInput!) { recordAftercareContact(input: $i) { status contact { inTime contactCardIssuedOn } } }`, {
      i: { caseId, contactedOn: stack.today(), contactCardIssued: true },
    })).recordAftercareContact;
    expect(kase).toEqual({ status: 'ENROLLED', contact: { inTime: false, contactCardIssuedOn: stack.today() } });
    expect(await list(officer, 'aftercareToContact')).toEqual([]);
    expect(await list(officer, 'aftercareFollowUpsDue')).toEqual([caseId]);
  });

  it('AC-3: the March phone call is made, the first quarter\'s visit is not → YELLOW on the first working day of April, and no phone alert', async () => {
    expect((await phoneCall(stack.today())).recordAftercareFollowUp.period).toBe('2026-03');
    expect(await list(officer, 'aftercareFollowUpsDue')).toEqual([]);
    expect(await list(officer, 'aftercareVisitsDue')).toEqual([caseId]);

    await moveTo('2026-04-02');
    const yellow = await eventually(() => alerts(officer), (a) => a.some((x) => x.rule === 'AC-3.VISIT_MISSING'));
    expect(yellow.find((x) => x.rule === 'AC-3.VISIT_MISSING')).toMatchObject({ colour: 'YELLOW', town: { code: '104' } });
    expect(yellow.some((x) => x.rule === 'AC-3.PHONE_MISSING')).toBe(false);
    expect(await alerts(other)).toEqual([]);
    // A new quarter and a new month: both owed again; the April and May calls are made.
    expect(await list(officer, 'aftercareFollowUpsDue')).toEqual([caseId]);
    expect(await list(officer, 'aftercareVisitsDue')).toEqual([caseId]);
    expect((await phoneCall(stack.today())).recordAftercareFollowUp.period).toBe('2026-04');
    await moveTo('2026-05-06');
    expect((await phoneCall(stack.today())).recordAftercareFollowUp.period).toBe('2026-05');
    expect((await alerts(officer)).filter((x) => x.rule === 'AC-3.PHONE_MISSING')).toEqual([]);
  });

  it('AC-1 一个不漏: a notice matching no station waits in the city queue; the city office assigns it to 104, which then has it to contact', async () => {
    const cityUser = await stack.createUser({ role: 'CITY_ADMIN', towns: [] });
    const city = await stack.login(cityUser.username, cityUser.password);
    const base = '32028119900909123';
    const res = await post('/api/v1/aftercare/release-notices', centre, 'E2E-AC-N2', {
      notices: [{ person: { idNumber: `${base}${idNumberCheckChar(base)}`, name: '照管乙', residenceTown: '999' }, centreRecordNo: 'E2E-WX-2', releaseDate: addDays(stack.today(), 5), keyPerson: false, communityRehabilitation: false }],
    });
    expect(res.status).toBe(207);
    const QUEUE = `{ aftercareCityQueue(first: 20) { totalCount edges { node { id name maskedIdNumber } } } }`;
    const queue = (await ok(city, QUEUE)).aftercareCityQueue;
    expect(queue.totalCount).toBe(1);
    expect(queue.edges[0].node.name).toBe('照管乙');
    // never silently empty: a town officer is refused, not shown an empty queue
    expect((await gql(officer, QUEUE)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await ok(city, `mutation($i: AssignAftercareNoticeTownInput!) { assignAftercareNoticeTown(input: $i) { id } }`, { i: { noticeId: queue.edges[0].node.id, town: '104', reason: '核实居住在徐霞客镇' } });
    expect((await ok(city, QUEUE)).aftercareCityQueue.totalCount).toBe(0);
    expect(await list(officer, 'aftercareToContact')).toHaveLength(1);
    expect(await list(other, 'aftercareToContact')).toEqual([]);
  });

  it('AC-4: police report a positive test → matched, relapse ORANGE; 华士镇 sees none of it; nothing stored in clear', async () => {
    // K-AC2 for May before the relapse: the one subject in aftercare is abstinent.
    expect((await indicators(officer, 2026, 5))['K-AC2']).toMatchObject({ numerator: 1, denominator: 1 });
    const res = await post('/api/v1/aftercare/drug-test-results', police, 'E2E-AC-T1', { person: { idNumber: ID_NUMBER, name: NAME, residenceTown: '104' }, testedAt: stack.today(), result: 'POSITIVE' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ matched: true, relapse: true });
    const orange = await eventually(() => alerts(officer), (a) => a.some((x) => x.rule === 'AC-4.RELAPSE'));
    expect(orange.find((x) => x.rule === 'AC-4.RELAPSE')).toMatchObject({ colour: 'ORANGE', town: { code: '104' } });
    expect(await list(officer, 'aftercareRelapses')).toEqual([caseId]);

    const PAGE = `query($id: ID!) { aftercareCase(id: $id) { person { key } notice { name maskedIdNumber } followUps { period } drugTests { result source } relapse { relapseCount lastRelapseOn } history { what } } }`;
    const page = (await ok(officer, PAGE, { id: caseId })).aftercareCase;
    expect(page).toMatchObject({
      notice: { name: NAME },
      followUps: [{ period: '2026-03' }, { period: '2026-04' }, { period: '2026-05' }],
      drugTests: [{ result: 'POSITIVE', source: 'POLICE' }],
      relapse: { relapseCount: 1, lastRelapseOn: stack.today() },
    });
    expect(page.notice.maskedIdNumber).not.toBe(ID_NUMBER);
    expect(page.history.map((h: { what: string }) => h.what)).toContain('RELAPSE');
    // Through Person: the person's aftercare case joins whatever else the person has.
    const PERSON = `query($k: String!) { aftercareCasesOfPerson(personKey: $k) { id person { key aftercareCases { id } } } }`;
    expect((await ok(officer, PERSON, { k: page.person.key })).aftercareCasesOfPerson).toEqual([{ id: caseId, person: { key: page.person.key, aftercareCases: [{ id: caseId }] } }]);

    // 华士镇's officer: no alert, no list row, no case page, no search hit.
    expect(await alerts(other)).toEqual([]);
    for (const name of ['aftercareToContact', 'aftercareFollowUpsDue', 'aftercareVisitsDue', 'aftercareRelapses']) expect(await list(other, name)).toEqual([]);
    expect((await ok(other, PAGE, { id: caseId })).aftercareCase).toBeNull();
    expect((await ok(other, PERSON, { k: page.person.key })).aftercareCasesOfPerson).toEqual([]);
    expect(await findClearPii(stack.databaseUrl, { ...personNeedles(ID_NUMBER, NAME, 'person.'), address: '徐霞客镇马镇村9号', situation: '电话联系，在家务农，情绪稳定' })).toEqual([]);
  });

  it('K-AC1 / K-AC2 / K-AC3 as expected; the May XLSX has 104\'s row (the call, the positive test, the relapse); 华士镇 sees neither', async () => {
    // March: released 03-05, contacted 03-13 (late) → K-AC1 0/1; the March call made → phone 1/1; the Q1 visit missed → visit 0/1.
    const march = await indicators(officer, 2026, 3);
    expect(march['K-AC1']).toMatchObject({ numerator: 0, denominator: 1 });
    expect(march['K-AC3-PHONE']).toMatchObject({ numerator: 1, denominator: 1 });
    expect(march['K-AC3-VISIT']).toMatchObject({ numerator: 0, denominator: 1 });
    // May, after the relapse: not abstinent → K-AC2 0/1.
    expect((await indicators(officer, 2026, 5))['K-AC2']).toMatchObject({ numerator: 0, denominator: 1 });
    expect(await indicators(other, 2026, 3)).toEqual({});

    const res = await fetch(`${stack.gatewayUrl}/api/v1/aftercare/exports/monthly-statistics?month=2026-05&format=xlsx`, { headers: { authorization: `Bearer ${officer}` } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as Parameters<typeof wb.xlsx.load>[0]);
    const sheet = wb.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(row[header.indexOf('镇街代码')]).toBe('104');
    expect(row[header.indexOf('电话回访数')]).toBe(1);
    expect(row[header.indexOf('阳性')]).toBe(1);
    expect(row[header.indexOf('复吸人次')]).toBe(1);
    const theirs = await fetch(`${stack.gatewayUrl}/api/v1/aftercare/exports/monthly-statistics?month=2026-05&format=csv`, { headers: { authorization: `Bearer ${other}` } });
    const text = (await theirs.text()).replace(/^\uFEFF/, '');
    expect(text).not.toContain(',104,');
  });
});
