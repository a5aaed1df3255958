import { authenticator } from 'otplib';
import { CreatedUser, Stack, startStack } from '@homeward/testing';

/**
 * Issue 7 item 10 ("Done when"): through the gateway, a CITY_ADMIN replaces the provisional 2027
 * holiday table with the published one; the stored CC-4 report deadline of a subject moves from
 * 2027-02-11 (a working day under the provisional table) to Monday 2027-02-15 (02-11 is now inside
 * the Spring Festival break, CC-23), and the alert follows: nothing on 02-12, ORANGE on 02-16.
 */
jest.setTimeout(300_000);

const OFFICIAL_2027 = {
  year: 2027,
  status: 'OFFICIAL',
  holidays: ['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-10-01', '2027-10-02', '2027-10-03'],
  workingWeekends: ['2027-02-20'],
  source: '国办发明电〔2026〕测试号',
  reason: 'the 2027 notice was published / 2027 年放假通知已发布',
};

describe('a changed holiday table moves a stored deadline and its alert (issue 7 item 10, CC-23, CC-4)', () => {
  let stack: Stack;
  let admin: CreatedUser;
  let officer: CreatedUser;
  let adminToken: string;
  let officerToken: string;
  let subjectId: string;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  const gql = async (token: string, query: string, variables?: Record<string, unknown>): Promise<Body> => (await stack.graphql(token, query, variables)) as Body;
  const loginAdmin = () => stack.login(admin.username, admin.password, authenticator.clone({ epoch: stack.now().getTime() }).generate(admin.totpSecret!));
  const reportDeadline = async (): Promise<string> => {
    const body = await gql(officerToken, `query($id: ID!) { correctionSubject(id: $id) { reportDeadline } }`, { id: subjectId });
    expect(body.errors).toBeUndefined();
    return body.data.correctionSubject.reportDeadline;
  };
  const notReported = async (): Promise<unknown[]> => {
    const body = await gql(officerToken, `{ alerts(first: 100) { edges { node { rule recordId colour } } } }`);
    expect(body.errors).toBeUndefined();
    return (body.data.alerts.edges as Array<{ node: { rule: string; recordId: string } }>).map((e) => e.node).filter((a) => a.rule === 'CC-4.NOT_REPORTED' && a.recordId === subjectId);
  };
  const relogin = async () => {
    officerToken = await stack.login(officer.username, officer.password);
  };

  beforeAll(async () => {
    // 10:00 in Shanghai on Monday 2027-02-01.
    stack = await startStack({ startAt: '2027-02-01T02:00:00.000Z' });
    admin = await stack.createUser({ role: 'CITY_ADMIN', towns: ['*'] });
    officer = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    adminToken = await loginAdmin();
    await relogin();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('CC-4 / CC-23: under the provisional 2027 table the report deadline of a judgment effective 02-01 is 02-11', async () => {
    const court = await stack.partnerToken('COURT');
    const res = await fetch(`${stack.gatewayUrl}/api/v1/correction/enrolments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${court}`, 'idempotency-key': 'HOL-1' },
      body: JSON.stringify({
        person: { idNumber: '11010519491231002X', name: '王某', residenceTown: '104' },
        sentenceType: 'PROBATION',
        judgmentDocumentNo: '(2027)苏0281刑初1号',
        judgmentEffectiveDate: '2027-02-01',
        correctionStartDate: '2027-02-01',
        correctionEndDate: '2028-01-31',
        offence: '盗窃罪',
        decidingAuthority: '江阴市人民法院',
      }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; reportDeadline: string };
    expect(body.reportDeadline).toBe('2027-02-11');
    subjectId = body.id;
  });

  it('a town officer may not change the table; the CITY_ADMIN does, and the stored deadline moves to 02-15', async () => {
    const SET = `mutation($input: SetHolidayTableInput!) { setHolidayTable(input: $input) { table { year status current } recomputed { rule records } } }`;
    const denied = await gql(officerToken, SET, { input: OFFICIAL_2027 });
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const res = await gql(adminToken, SET, { input: OFFICIAL_2027 });
    expect(res.errors).toBeUndefined();
    expect(res.data.setHolidayTable.table).toEqual({ year: 2027, status: 'OFFICIAL', current: true });
    expect(res.data.setHolidayTable.recomputed).toContainEqual({ rule: 'CC-3 documents / CC-4 report-in', records: 1 });
    expect(await reportDeadline()).toBe('2027-02-15');
  });

  it('the alert follows the new date: none the day after the old deadline, ORANGE the day after the new one', async () => {
    // 2027-02-12 10:01 Shanghai: the old watch would have fired at 00:00 today.
    await stack.advanceClock(11 * 24 * 3600 * 1000 + 60_000);
    await relogin();
    await new Promise((r) => setTimeout(r, 5000));
    expect(await notReported()).toEqual([]);
    // 2027-02-16 10:01 Shanghai.
    await stack.advanceClock(4 * 24 * 3600 * 1000);
    await relogin();
    let alerts: unknown[] = [];
    for (let i = 0; i < 60 && alerts.length === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 500));
      alerts = await notReported();
    }
    expect(alerts).toEqual([{ rule: 'CC-4.NOT_REPORTED', recordId: subjectId, colour: 'ORANGE' }]);
  });
});
