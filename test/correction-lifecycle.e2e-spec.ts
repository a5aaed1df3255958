import { addDays, addMonths, correctionReportDeadline, daysBetween, idNumberCheckChar, lastDayOfPeriod } from '@homeward/domain';
import { CreatedUser, Stack, enrolmentPayload, findClearPii, personNeedles, startStack } from '@homeward/testing';

/**
 * Issue 3 "Done when": one subject walked from enrolment to discharge THROUGH THE GATEWAY —
 * partner REST (court enrolment, documents; police exit-control list) and staff GraphQL
 * (report-in, intake checklist, plan + team + approval, activation, a check-in, a leave,
 * discharge) — watching the alerts (CC-3, CC-4), the exit-control list (CC-15), the
 * resettlement hand-over (CC-20) and the town's K-CC indicators (read through the federated Town
 * entity: identity's `me.towns` → correction's `Town.correctionIndicators`) change on the way.
 * The clock is moved, never waited for.
 */
jest.setTimeout(420_000);

const DAY = 24 * 3600 * 1000;
const ID_NUMBER = `32028119850505021${idNumberCheckChar('32028119850505021')}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };

describe('community correction through the gateway: enrolment → discharge → resettlement', () => {
  let stack: Stack;
  let courtToken: string;
  let policeToken: string;
  let officer: string;
  let user: CreatedUser;
  // The apps' clock, never the wall clock: the stack starts at a fixed instant (or HW_E2E_START_AT).
  const appNow = () => stack.now();
  const appToday = () => stack.today();
  /** The enrolment day and the shortest legal probation end (CC-6: 2 months), set once the stack is up. */
  let enrolDay: string;
  let endDay: string;
  let subjectId: string;

  const gql = async (query: string, variables?: Record<string, unknown>): Promise<Body> => (await stack.graphql(officer, query, variables)) as Body;
  const ok = async (query: string, variables?: Record<string, unknown>) => {
    const body = await gql(query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const post = (path: string, body: unknown, key: string, token = courtToken) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
  const exitList = async (): Promise<string[]> => {
    const res = await fetch(`${stack.gatewayUrl}/api/v1/correction/exit-control`, { headers: { authorization: `Bearer ${policeToken}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: Array<{ idNumber: string }> }).items.map((i) => i.idNumber);
  };
  type AlertNode = { id: string; rule: string; colour: string; state: string; recordId: string };
  const alertsOfSubject = async (): Promise<AlertNode[]> => {
    const data = await ok(`{ alerts(first: 100) { edges { node { id rule colour state recordId } } } }`);
    return data.alerts.edges.map((e: { node: AlertNode }) => e.node).filter((a: AlertNode) => a.recordId === subjectId);
  };
  const openRules = async () =>
    (await alertsOfSubject())
      .filter((a) => a.state !== 'RESOLVED')
      .map((a) => a.rule)
      .sort();
  /** Polls until `probe` returns a value `done` accepts (the bus and the sweep are asynchronous). */
  const eventually = async <T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 30_000): Promise<T> => {
    const until = Date.now() + ms;
    let value = await probe();
    while (!done(value) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      value = await probe();
    }
    return value;
  };
  const advance = async (ms: number) => {
    await stack.advanceClock(ms);
    // Tokens are checked against the moved clock: log in again, as the officer would that morning.
    officer = await stack.login(user.username, user.password);
    courtToken = await stack.partnerToken('COURT');
    policeToken = await stack.partnerToken('POLICE');
  };

  type Fraction = { numerator: number; denominator: number; value: number | null };
  /** K-CC1…K-CC7 of town 104 for the month of `day`, through the gateway (identity's Me.towns → correction's Town). */
  const townIndicators = async (day: string): Promise<Record<string, Fraction>> => {
    const [year, month] = day.split('-').map(Number);
    const data = await ok(
      `query($p: PeriodInput!) { me { towns { code correctionIndicators(period: $p) { period town indicators { code numerator denominator value } } } } }`,
      { p: { kind: 'MONTH', year, number: month } },
    );
    const town = data.me.towns.find((t: { code: string }) => t.code === '104');
    expect(town.correctionIndicators).toMatchObject({ period: day.slice(0, 7), town: '104' });
    return Object.fromEntries(
      town.correctionIndicators.indicators.map((i: Fraction & { code: string }) => [i.code, { numerator: i.numerator, denominator: i.denominator, value: i.value }]),
    );
  };
  /** CC-4 + CC-23: day 10, or the next working day when day 10 is a rest day (the start day varies: test:dates). */
  const reportDeadline = () => correctionReportDeadline(enrolDay);

  beforeAll(async () => {
    stack = await startStack();
    enrolDay = stack.today();
    endDay = addMonths(enrolDay, 2);
    courtToken = await stack.partnerToken('COURT');
    policeToken = await stack.partnerToken('POLICE');
    user = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    officer = await stack.login(user.username, user.password);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('CC-3/CC-4: the court enrols the subject (PENDING_REPORT) and delivers only the judgment', async () => {
    const res = await post(
      '/api/v1/correction/enrolments',
      enrolmentPayload(
        { idNumber: ID_NUMBER, name: '赵某', on: enrolDay, until: endDay, person: { residenceAddress: '徐霞客镇马镇村' } },
        { judgmentDocumentNo: '(2026)苏0281刑初301号', offence: '危险驾驶罪' },
      ),
      'E2E-LC-ENROL',
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; status: string; reportDeadline: string };
    expect(body).toMatchObject({ status: 'PENDING_REPORT', reportDeadline: reportDeadline() });
    subjectId = body.id;

    const doc = await post(
      `/api/v1/correction/enrolments/${subjectId}/documents`,
      { documentType: 'JUDGMENT', documentNo: '(2026)苏0281刑初301号', issuedDate: enrolDay },
      'E2E-LC-DOC-1',
    );
    expect(doc.status).toBe(201);
    expect(((await doc.json()) as { complete: boolean }).complete).toBe(false);

    const data = await ok(`query($id: ID!) { correctionSubject(id: $id) { status requiredDocuments { documentType delivered } } }`, { id: subjectId });
    expect(data.correctionSubject.status).toBe('PENDING_REPORT');
    expect(data.correctionSubject.requiredDocuments).toEqual(
      expect.arrayContaining([
        { documentType: 'JUDGMENT', delivered: true },
        { documentType: 'EXECUTION_NOTICE', delivered: false },
      ]),
    );
    expect(await openRules()).toEqual([]);
    expect(await exitList()).not.toContain(ID_NUMBER);

    // K-CC1: not active yet, so not in the denominator; K-CC4: the deadline is still ahead, so it does
    // not count yet (issue 7 item 7: a deadline not reached is no failure).
    expect((await townIndicators(enrolDay))['K-CC1']).toEqual({ numerator: 0, denominator: 0, value: null });
    expect((await townIndicators(reportDeadline()))['K-CC4']).toEqual({ numerator: 0, denominator: 0, value: null });
  });

  it('CC-3/CC-4: the day after the deadline without report-in nor execution notice, the ORANGE "not reported" and YELLOW "documents missing" alerts appear', async () => {
    await advance((daysBetween(appToday(), reportDeadline()) + 1) * DAY + 60_000);
    const alerts = await eventually(alertsOfSubject, (a) => a.length >= 2);
    expect(alerts.map((a) => ({ rule: a.rule, colour: a.colour, state: a.state })).sort((a, b) => a.rule.localeCompare(b.rule))).toEqual([
      { rule: 'CC-3.DOCUMENTS_MISSING', colour: 'YELLOW', state: 'OPEN' },
      { rule: 'CC-4.NOT_REPORTED', colour: 'ORANGE', state: 'OPEN' },
    ]);
  });

  it('CC-3/CC-4: the late documents and a late report-in are recorded (1 day late); the officer resolves both alerts', async () => {
    const doc = await post(
      `/api/v1/correction/enrolments/${subjectId}/documents`,
      { documentType: 'EXECUTION_NOTICE', documentNo: '澄法执301号', issuedDate: enrolDay },
      'E2E-LC-DOC-2',
    );
    expect(doc.status).toBe(201);
    expect(((await doc.json()) as { complete: boolean }).complete).toBe(true);

    const reported = await ok(`mutation($i: RecordReportInInput!) { recordReportIn(input: $i) { status reportedOn reportDaysLate } }`, {
      i: { subjectId, reportedOn: appToday() },
    });
    expect(reported.recordReportIn).toEqual({ status: 'PENDING_REPORT', reportedOn: appToday(), reportDaysLate: 1 });

    for (const alert of await alertsOfSubject()) {
      const resolved = await ok(`mutation($id: ID!) { resolveAlert(id: $id, note: "已报到，文书已补送") { state } }`, { id: alert.id });
      expect(resolved.resolveAlert.state).toBe('RESOLVED');
    }
    expect(await openRules()).toEqual([]);
  });

  it('K-CC4: the report-in one day late counts in the month of the deadline as due but not on time', async () => {
    expect((await townIndicators(reportDeadline()))['K-CC4']).toEqual({ numerator: 0, denominator: 1, value: 0 });
  });

  it('CC-5: activation is refused while the intake checklist is incomplete (typed error), then the checklist is ticked', async () => {
    const refused = await gql(`mutation($i: ActivateSubjectInput!) { activateSubject(input: $i) { status } }`, { i: { subjectId, on: appToday() } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('ILLEGAL_TRANSITION');

    const items = ['DOCUMENTS_CHECKED', 'IDENTITY_VERIFIED', 'REGISTERED', 'ARCHIVE_OPENED', 'ANNOUNCEMENT_MADE'];
    const ticked = await ok(`mutation($i: TickIntakeItemsInput!) { tickIntakeItems(input: $i) { intakeComplete intakeChecklist { item done } } }`, {
      i: { subjectId, items, doneOn: appToday() },
    });
    expect(ticked.tickIntakeItems.intakeComplete).toBe(true);
    expect(ticked.tickIntakeItems.intakeChecklist.every((e: { done: boolean }) => e.done)).toBe(true);
  });

  it('CC-7: a plan is written, a team formed and the plan approved', async () => {
    await ok(`mutation($i: SaveCorrectionPlanInput!) { saveCorrectionPlan(input: $i) { id } }`, { i: { subjectId, content: '每周电话报告，每月走访一次，参加公益活动' } });
    await ok(`mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id roleLabel } }`, {
      i: { subjectId, role: 'JUSTICE_OFFICE_STAFF', name: '陈所长', gender: 'MALE', versedInMinors: false },
    });
    await ok(`mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }`, {
      i: { subjectId, role: 'VILLAGE_COMMITTEE', name: '周主任', gender: 'FEMALE', versedInMinors: false },
    });
    const approved = await ok(`mutation($s: ID!) { approveCorrectionPlan(subjectId: $s) { approved } }`, { s: subjectId });
    expect(approved.approveCorrectionPlan.approved).toBe(true);

    // K-CC1 before activation: the approved plan does not count, the subject is not in the denominator.
    expect((await townIndicators(appToday()))['K-CC1']).toEqual({ numerator: 0, denominator: 0, value: null });
  });

  it('CC-5/CC-15: activation makes the subject ACTIVE and the police exit-control list gains the person', async () => {
    const active = await ok(`mutation($i: ActivateSubjectInput!) { activateSubject(input: $i) { status activatedOn exitControl { active } supervision { level } } }`, {
      i: { subjectId, on: appToday() },
    });
    expect(active.activateSubject).toMatchObject({ status: 'ACTIVE', activatedOn: appToday(), exitControl: { active: true } });
    expect(active.activateSubject.supervision?.level ?? 'STRICT').toBe('STRICT');
    expect(await exitList()).toContain(ID_NUMBER);

    // K-CC1 after activation with an approved plan: the subject is in numerator and denominator.
    expect((await townIndicators(appToday()))['K-CC1']).toEqual({ numerator: 1, denominator: 1, value: 1 });
  });

  it('CC-9: a face-to-face check-in counts in this month\'s compliance', async () => {
    const at = new Date(appNow().getTime() - 60_000).toISOString();
    const checkIn = await ok(`mutation($i: RecordCheckInInput!) { recordCheckIn(input: $i) { channel channelLabel daysLate } }`, {
      i: { subjectId, channel: 'FACE_TO_FACE', at, note: '到司法所当面报告' },
    });
    expect(checkIn.recordCheckIn).toMatchObject({ channel: 'FACE_TO_FACE', daysLate: 0 });
    const data = await ok(`query($id: ID!) { correctionSubject(id: $id) { compliance { checkInsDone } checkIns { totalCount } } }`, { id: subjectId });
    expect(data.correctionSubject.checkIns.totalCount).toBe(1);
    expect(data.correctionSubject.compliance.checkInsDone).toBeGreaterThanOrEqual(1);
  });

  it('CC-13: a 3-day leave is requested, approved by the justice office and closed on return', async () => {
    const start = addDays(appToday(), 1);
    const requested = await ok(`mutation($i: RequestLeaveInput!) { requestLeave(input: $i) { id status approvalLevel days } }`, {
      i: { subjectId, kind: 'LEAVE', destination: '无锡市梁溪区', reason: '探望住院的母亲', startDate: start, endDate: addDays(start, 2) },
    });
    expect(requested.requestLeave).toMatchObject({ status: 'REQUESTED', approvalLevel: 'JUSTICE_OFFICE', days: 3 });
    const leaveId = requested.requestLeave.id;
    const approved = await ok(`mutation($i: DecideLeaveInput!) { approveLeave(input: $i) { status } }`, { i: { leaveId, note: '同意' } });
    expect(approved.approveLeave.status).toBe('APPROVED');
    await advance(3 * DAY);
    const back = await ok(`mutation($i: RecordLeaveReturnInput!) { recordLeaveReturn(input: $i) { status overstayed } }`, {
      i: { leaveId, returnedOn: appToday() },
    });
    expect(back.recordLeaveReturn).toEqual({ status: 'RETURNED', overstayed: false });
  });

  it('CC-2: discharge before the last day as EXPIRED is refused with ILLEGAL_TRANSITION', async () => {
    const refused = await gql(`mutation($i: DischargeSubjectInput!) { dischargeSubject(input: $i) { status } }`, {
      i: { subjectId, reason: 'EXPIRED', on: appToday() },
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('ILLEGAL_TRANSITION');
  });

  it('CC-2/CC-15: on the last day the subject is discharged (期满) and the exit-control list loses the person', async () => {
    // Move to the last day of correction (the walk so far used 14 days).
    const daysToEnd = Math.round((Date.parse(endDay) - Date.parse(appToday())) / DAY);
    await advance(daysToEnd * DAY);
    expect(appToday()).toBe(endDay);
    const discharged = await ok(
      `mutation($i: DischargeSubjectInput!) { dischargeSubject(input: $i) { status endedOn endReason endReasonLabel exitControl { active withdrawalReason } } }`,
      { i: { subjectId, reason: 'EXPIRED', on: endDay } },
    );
    expect(discharged.dischargeSubject).toEqual({
      status: 'DISCHARGED',
      endedOn: endDay,
      endReason: 'EXPIRED',
      endReasonLabel: '矫正期满',
      exitControl: { active: false, withdrawalReason: 'DISCHARGED' },
    });
    expect(await exitList()).not.toContain(ID_NUMBER);
    // K-CC1 as of the discharge day: no longer active, out of the denominator again.
    expect((await townIndicators(endDay))['K-CC1']).toMatchObject({ numerator: 0, denominator: 0 });

    const again = await gql(`mutation($i: ActivateSubjectInput!) { activateSubject(input: $i) { status } }`, { i: { subjectId, on: endDay } });
    expect(again.errors?.[0]?.extensions?.code).toBe('ILLEGAL_TRANSITION');
  });

  it('CC-20: the person, federated through Person, now has a resettlement assistance case from the day after discharge', async () => {
    const query = `query($id: ID!) { correctionSubject(id: $id) { person { key correctionCases { id status } resettlementCases { id source startDate endDate status town { code } } } } }`;
    const probe = async () => (await ok(query, { id: subjectId })).correctionSubject.person;
    const person = await eventually(probe, (p) => p.resettlementCases.length > 0);
    expect(person.correctionCases).toEqual([{ id: subjectId, status: 'DISCHARGED' }]);
    expect(person.resettlementCases).toEqual([
      // 3 calendar years (ASSISTANCE_AFTER_CORRECTION_YEARS) from the day after discharge: the day before the same date 3 years on.
      { id: expect.any(String), source: 'CORRECTION_DISCHARGE', startDate: addDays(endDay, 1), endDate: lastDayOfPeriod(addDays(endDay, 1), 36), status: 'ACTIVE', town: { code: '104' } },
    ]);
  });

  it('issue 6 item 2: after the whole story, no raw column of any schema of the stack holds the ID number, a name, the birth date or an address in clear', async () => {
    const hits = await findClearPii(stack.databaseUrl, {
      ...personNeedles(ID_NUMBER, '赵某'),
      address: '徐霞客镇马镇村',
      member1: '陈所长',
      member2: '周主任',
      destination: '无锡市梁溪区',
    });
    expect(hits).toEqual([]);
  });
});
