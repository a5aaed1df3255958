import { addDays, correctionReportDeadline, daysBetween } from '@homeward/domain';
import { CreatedUser, Stack, enrolmentPayload, startStack } from '@homeward/testing';

/**
 * Issue 11 item 5 through the gateway: a court enrols a subject in 104, the clock passes the CC-4
 * report deadline, and the city admin's command-centre view counts the alert; one alert read by id
 * carries its timeline and its Person, which the gateway resolves from the correction subgraph.
 */
jest.setTimeout(240_000);

describe('the command-centre view through the gateway (issue 11 item 5)', () => {
  let stack: Stack;
  let cityAdmin: CreatedUser;
  let officer: CreatedUser;
  let subjectId: string;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  const gql = async (token: string, query: string, variables?: Record<string, unknown>): Promise<Body> => (await stack.graphql(token, query, variables)) as Body;

  beforeAll(async () => {
    stack = await startStack();
    cityAdmin = await stack.createUser({ role: 'CITY_ADMIN', towns: [] });
    officer = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    const today = stack.today();
    const court = await stack.partnerToken('COURT');
    const payload = enrolmentPayload(
      { idNumber: '11010519491231002X', name: '王某', on: today, until: addDays(addDays(today, 365), 200), person: { residenceAddress: '徐霞客镇璜塘村' } },
      { judgmentDocumentNo: '(2026)苏0281刑初9号' },
    );
    const res = await fetch(`${stack.gatewayUrl}/api/v1/correction/enrolments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${court}`, 'idempotency-key': 'CC-VIEW-1' },
      body: JSON.stringify(payload),
    });
    expect(res.status).toBe(201);
    subjectId = ((await res.json()) as { id: string }).id;
    const days = daysBetween(stack.today(), correctionReportDeadline(today)) + 1;
    await stack.advanceClock(days * 24 * 3600 * 1000 + 60_000);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('issue 11 item 5: the city admin sees the CC-4 alert counted and, read by id, its timeline and the person with the correction case', async () => {
    const admin = await stack.login(cityAdmin.username, cityAdmin.password);
    const VIEW = `{ commandCentre { day openByTown { town { code } count } openByColour { colour count } overdueAcknowledgements { id } onDuty { staff } } }`;
    let view: Body | undefined;
    for (let i = 0; i < 60; i += 1) {
      view = await gql(admin, VIEW);
      if (view.data?.commandCentre?.openByTown?.some((t: { town: { code: string } }) => t.town.code === '104')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(view!.errors).toBeUndefined();
    expect(view!.data.commandCentre.day).toBe(stack.today());
    expect(view!.data.commandCentre.openByTown).toEqual(expect.arrayContaining([expect.objectContaining({ town: { code: '104' } })]));
    expect(view!.data.commandCentre.openByColour.find((c: { colour: string }) => c.colour === 'ORANGE').count).toBeGreaterThanOrEqual(1);

    const list = await gql(admin, `{ alerts(town: "104", first: 50) { edges { node { id rule recordId } } } }`);
    const alert = list.data.alerts.edges.map((e: { node: { id: string; rule: string; recordId: string } }) => e.node).find((a: { rule: string; recordId: string }) => a.rule === 'CC-4.NOT_REPORTED' && a.recordId === subjectId);
    expect(alert).toBeDefined();
    const one = await gql(admin, `query($id: ID!) { alert(id: $id) { id colour timeline { kind kindLabel by } person { key correctionCases { id status } } } }`, { id: alert.id });
    expect(one.errors).toBeUndefined();
    expect(one.data.alert.timeline).toEqual([{ kind: 'RAISED', kindLabel: '产生', by: null }]);
    expect(one.data.alert.person.correctionCases).toEqual([{ id: subjectId, status: 'PENDING_REPORT' }]);
  });

  it("issue 11 item 5: the town officer's view covers its town only", async () => {
    const token = await stack.login(officer.username, officer.password);
    const body = await gql(token, `{ commandCentre { towns { code } openByTown { town { code } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.commandCentre.towns).toEqual([{ code: '104' }]);
    expect(body.data.commandCentre.openByTown.every((t: { town: { code: string } }) => t.town.code === '104')).toBe(true);
  });
});
