import { addDays, correctionReportDeadline, idNumberCheckChar } from '@homeward/domain';
import { Stack, startStack, enrolmentPayload } from '@homeward/testing';
import ExcelJS from 'exceljs';

/**
 * Issue 3 "Done when": a town officer of 107 (华士镇) cannot read, change or export a subject of
 * 104 (徐霞客镇) through the gateway: null / empty on queries, NOT_FOUND on every mutation, and
 * the record is left as it was. The 104 officer, asking the same things, gets the record — so the
 * refusals come from the town filter, not from a broken query. The same holds for the K-CC
 * indicators of the town and the monthly statistics export (CSV and XLSX).
 */
jest.setTimeout(360_000);

const ID_NUMBER = `32028119900707031${idNumberCheckChar('32028119900707031')}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = { data: any; errors?: Array<{ message: string; path?: (string | number)[]; extensions?: { code?: string } }> };

describe('jurisdiction: an officer of 107 cannot read, change or export a subject of 104', () => {
  let stack: Stack;
  let officer104: string;
  let officer107: string;
  let subjectId: string;
  let personKey: string;
  /** The apps' local date when the stack came up (a fixed day, or HW_E2E_START_AT), never the wall clock's. */
  let today: string;
  /** The month of the report-in deadline (enrolment + 10 days): K-CC4 of 104 counts the subject there. */
  let deadlineMonth: string;

  const gql = async (token: string, query: string, variables?: Record<string, unknown>): Promise<Body> =>
    (await stack.graphql(token, query, variables)) as Body;
  const ok = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const body = await gql(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };

  beforeAll(async () => {
    stack = await startStack();
    today = stack.today();
    deadlineMonth = correctionReportDeadline(today).slice(0, 7);
    const court = await stack.partnerToken('COURT');
    const u104 = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    const u107 = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['107'] });
    officer104 = await stack.login(u104.username, u104.password);
    officer107 = await stack.login(u107.username, u107.password);

    const res = await fetch(`${stack.gatewayUrl}/api/v1/correction/enrolments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${court}`, 'idempotency-key': 'E2E-JUR-1' },
      body: JSON.stringify(enrolmentPayload({ idNumber: ID_NUMBER, name: '钱某', on: today, until: addDays(today, 365) }, { judgmentDocumentNo: '(2026)苏0281刑初777号' })),
    });
    expect(res.status).toBe(201);
    subjectId = ((await res.json()) as { id: string }).id;
    const data = await ok(officer104, `query($id: ID!) { correctionSubject(id: $id) { person { key } } }`, { id: subjectId });
    personKey = data.correctionSubject.person.key;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const SUBJECT_FIELDS = `id name status town { code } person { key maskedIdNumber } intakeChecklist { item done } documents { id } plan { id } team { id }`;

  it('reads: the subject by id is null for 107 (and the record for 104)', async () => {
    const query = `query($id: ID!) { correctionSubject(id: $id) { ${SUBJECT_FIELDS} } }`;
    const mine = await ok(officer104, query, { id: subjectId });
    expect(mine.correctionSubject).toMatchObject({ id: subjectId, name: '钱某', town: { code: '104' } });

    const other = await gql(officer107, query, { id: subjectId });
    expect(other.errors).toBeUndefined();
    expect(other.data.correctionSubject).toBeNull();
    expect(JSON.stringify(other)).not.toMatch(/钱某|0707/);
  });

  it('reads: lists are empty for 107, also when it asks for town 104 by name', async () => {
    const list = `query($town: String) { correctionSubjects(town: $town, first: 50) { totalCount edges { node { id } } } }`;
    expect((await ok(officer104, list, {})).correctionSubjects.totalCount).toBe(1);
    for (const town of [undefined, '104']) {
      const body = await gql(officer107, list, { town });
      if (body.errors) {
        expect(body.errors[0].extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
      } else {
        expect(body.data.correctionSubjects).toEqual({ totalCount: 0, edges: [] });
      }
    }
    const leaves = await ok(officer107, `query($s: ID) { leaves(subjectId: $s) { totalCount } }`, { s: subjectId });
    expect(leaves.leaves.totalCount).toBe(0);
  });

  it('reads: the person reached through the federated Person entity shows 107 no correction case', async () => {
    const res = await fetch(`${stack.urls['community-correction']}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${officer107}` },
      body: JSON.stringify({
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { maskedIdNumber correctionCases { id } } } }`,
        variables: { r: [{ __typename: 'Person', key: personKey }] },
      }),
    });
    const body = (await res.json()) as Body;
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([{ maskedIdNumber: null, correctionCases: [] }]);
  });

  const exportOf = (token: string, format: 'csv' | 'xlsx') =>
    fetch(`${stack.gatewayUrl}/api/v1/correction/exports/monthly-statistics?month=${deadlineMonth}&format=${format}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  /** The CSV as rows of cells (BOM dropped; no cell of this table holds a comma or a quote). */
  const csvRows = async (token: string): Promise<string[][]> => {
    const res = await exportOf(token, 'csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = (await res.text()).replace(/^\uFEFF/, '');
    return text
      .split('\r\n')
      .filter((l) => l.length > 0)
      .map((l) => l.split(','));
  };
  /** Column of a header label, e.g. "报到及时率分母" (K-CC4 denominator). */
  const col = (header: string[], label: string) => {
    const i = header.indexOf(label);
    expect(i).toBeGreaterThanOrEqual(0);
    return i;
  };

  it('exports: the 104 officer\'s monthly CSV has the 104 row (the report-in deadline is still ahead, so K-CC4 does not count it yet)', async () => {
    const [header, ...rows] = await csvRows(officer104);
    expect(rows.map((r) => r[1])).toEqual(['104', '']);
    const row104 = rows[0];
    expect(row104.slice(0, 3)).toEqual([deadlineMonth, '104', '徐霞客镇']);
    // issue 7 item 7: a deadline not reached yet is not a failure
    expect(row104[col(header, '报到及时率分母')]).toBe('0');
    expect(rows[1][col(header, '报到及时率分母')]).toBe('0');
  });

  it('exports: the 107 officer\'s monthly CSV has no 104 row and no 104 subject data', async () => {
    const [header, ...rows] = await csvRows(officer107);
    expect(rows.map((r) => r[1])).toEqual(['107', '']);
    expect(rows[0].slice(0, 3)).toEqual([deadlineMonth, '107', '华士镇']);
    // The 合计 row is 107's own row: nothing of 104 is summed in.
    expect(rows[1].slice(3)).toEqual(rows[0].slice(3));
    expect(rows[1][col(header, '报到及时率分母')]).toBe('0');
    expect(rows.flat().join(',')).not.toMatch(/104|徐霞客|钱某|0707/);
  });

  it('exports: the 107 officer\'s XLSX has no 104 row either', async () => {
    const res = await exportOf(officer107, 'xlsx');
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0];
    const codes: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 1) codes.push(String(row.getCell(2).value ?? ''));
    });
    expect(codes).toEqual(['107', '']);
  });

  it('indicators: town 104\'s K-CC set is null for a 107 officer (and counts the subject for 104)', async () => {
    const [year, month] = deadlineMonth.split('-').map(Number);
    const ask = async (token: string) => {
      const res = await fetch(`${stack.urls['community-correction']}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: `query($r: [_Any!]!, $p: PeriodInput!) { _entities(representations: $r) { ... on Town { code correctionIndicators(period: $p) { town indicators { code numerator denominator } } } } }`,
          variables: { r: [{ __typename: 'Town', code: '104' }], p: { kind: 'MONTH', year, number: month } },
        }),
      });
      const body = (await res.json()) as Body;
      expect(body.errors).toBeUndefined();
      return body.data._entities[0];
    };
    const mine = await ask(officer104);
    expect(mine.correctionIndicators.town).toBe('104');
    // The report-in deadline is still ahead: K-CC4 does not count it yet (issue 7 item 7).
    expect(mine.correctionIndicators.indicators).toContainEqual({ code: 'K-CC4', numerator: 0, denominator: 0 });

    expect(await ask(officer107)).toEqual({ code: '104', correctionIndicators: null });

    // Through the gateway, 107's own towns carry only 107's indicators.
    const gw = await ok(officer107, `query($p: PeriodInput!) { me { towns { code correctionIndicators(period: $p) { town } } } }`, {
      p: { kind: 'MONTH', year, number: month },
    });
    expect(gw.me.towns).toEqual([{ code: '107', correctionIndicators: { town: '107' } }]);
  });

  it.each([
    ['recordReportIn', `mutation($s: ID!, $d: String!) { recordReportIn(input: { subjectId: $s, reportedOn: $d }) { id } }`],
    [
      'tickIntakeItems',
      `mutation($s: ID!, $d: String!) { tickIntakeItems(input: { subjectId: $s, items: [DOCUMENTS_CHECKED, IDENTITY_VERIFIED], doneOn: $d }) { id } }`,
    ],
    ['saveCorrectionPlan', `mutation($s: ID!) { saveCorrectionPlan(input: { subjectId: $s, content: "他镇的方案" }) { id } }`],
    ['addTeamMember', `mutation($s: ID!) { addTeamMember(input: { subjectId: $s, role: VOLUNTEER, name: "他镇志愿者", gender: MALE }) { id } }`],
    ['approveCorrectionPlan', `mutation($s: ID!) { approveCorrectionPlan(subjectId: $s) { id } }`],
    ['activateSubject', `mutation($s: ID!, $d: String!) { activateSubject(input: { subjectId: $s, on: $d }) { id } }`],
    ['markAbsconded', `mutation($s: ID!, $d: String!) { markAbsconded(input: { subjectId: $s, lostContactOn: $d }) { id } }`],
    ['dischargeSubject', `mutation($s: ID!, $d: String!) { dischargeSubject(input: { subjectId: $s, reason: PARDONED, on: $d }) { id } }`],
    ['terminateSubject', `mutation($s: ID!, $d: String!) { terminateSubject(input: { subjectId: $s, reason: DECEASED, on: $d }) { id } }`],
    ['recordCheckIn', `mutation($s: ID!, $at: DateTime!) { recordCheckIn(input: { subjectId: $s, channel: PHONE_VOICE, at: $at }) { id } }`],
    ['recordSanction', `mutation($s: ID!, $d: String!) { recordSanction(input: { subjectId: $s, kind: ADMONITION, decidedOn: $d, reason: "他镇", decidedBy: "他镇" }) { id } }`],
    [
      'setSupervisionLevel',
      `mutation($s: ID!) { setSupervisionLevel(input: { subjectId: $s, level: STRICT, reason: "他镇" }) { id } }`,
    ],
    [
      'requestLeave',
      `mutation($s: ID!, $d: String!) { requestLeave(input: { subjectId: $s, kind: LEAVE, destination: "无锡", reason: "他镇", startDate: $d, endDate: $d }) { id } }`,
    ],
  ])('changes: %s on a 104 subject by a 107 officer → NOT_FOUND', async (_name, mutation) => {
    const vars = { s: subjectId, d: today, at: new Date(stack.now().getTime() - 60_000).toISOString() };
    const body = await gql(officer107, mutation, vars);
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(body.data?.[_name] ?? null).toBeNull();
    expect(JSON.stringify(body)).not.toMatch(/钱某|0707/);
  });

  it('changes: after every refused mutation the 104 record is exactly as enrolled', async () => {
    const data = await ok(
      officer104,
      `query($id: ID!) { correctionSubject(id: $id) { status reportedOn absconded intakeChecklist { done } plan { id } team { id } sanctions { id } checkIns { totalCount } } }`,
      { id: subjectId },
    );
    expect(data.correctionSubject).toMatchObject({ status: 'PENDING_REPORT', reportedOn: null, absconded: false, plan: null, team: [], sanctions: [], checkIns: { totalCount: 0 } });
    expect(data.correctionSubject.intakeChecklist.every((e: { done: boolean }) => !e.done)).toBe(true);
  });
});
