import { Client, createClient } from 'graphql-ws';
import { addDays, correctionReportDeadline, daysBetween, idNumberCheckChar } from '@homeward/domain';
import { CreatedUser, Stack, enrolmentPayload, startStack } from '@homeward/testing';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WebSocket } = require('ws');

/**
 * Issue 11 "Done when", through the gateway, the whole stack:
 * - AL-1 / AL-6: an ORANGE alert nobody acknowledges for 4 h (clock moved) becomes ESCALATED to the city's
 *   person on duty, and 4 h later to the bureau head on duty; another town's officer sees none of it;
 * - AL-5: the live feed through the gateway (Hive Gateway, graphql-ws on its /graphql, federated from the
 *   alerts subgraph): an officer of 104 receives 104's alert within 1 s and never 107's, with the Person
 *   resolved from the correction subgraph; the subscribed city admin sees the escalation;
 * - AL-4: during a sensitive period of the town, a key person's ORANGE alert (police hand-over late, RS-6)
 *   is raised RED;
 * - AL-7: a dead-lettered event (alerts' own handler failing: its database grant is taken away) appears to
 *   SYSTEM_ADMIN as an operations alert with its event id; after the grant is back, the retry re-drives the
 *   event and its effect is there exactly once.
 */
jest.setTimeout(480_000);

const DAY = 24 * 3600 * 1000;
const MINUTE = 60_000;
const idOf = (base: string) => `${base}${idNumberCheckChar(base)}`;
const SUBJECT_A = idOf('32028119800202123');
const SUBJECT_B = idOf('32028119810303123');
const SUBJECT_C = idOf('32028119820404123');
const SUBJECT_D = idOf('32028119830505123');
const RELEASED = idOf('32028119750606123');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
interface AlertNode {
  id: string;
  rule: string;
  colour: string;
  state: string;
  recordId: string;
  dueBy: string | null;
  escalationLevel: number;
  escalations: Array<{ level: number; dutyRole: string; onDuty: string | null }>;
}

interface LiveAlert {
  id: string;
  rule: string;
  state: string;
  colour: string;
  town: { code: string; name: string };
  person: { key: string; maskedIdNumber: string | null };
  raisedAt: string;
}
const LIVE = `subscription { alertChanged { id rule state colour raisedAt town { code name } person { key maskedIdNumber } } }`;

const ALERTS = `{ alerts(first: 40) { edges { node { id rule colour state recordId dueBy escalationLevel escalations { level dutyRole onDuty } } } } }`;

describe('AL-1, AL-4, AL-6, AL-7: the command centre through the gateway', () => {
  let stack: Stack;
  let dutyUser: CreatedUser;
  let headUser: CreatedUser;
  let sysUser: CreatedUser;
  let officerUser: CreatedUser;
  let otherUser: CreatedUser;
  let duty: string;
  let sys: string;
  let officer: string;
  let other: string;
  let day0: string;
  let subjectA: string;
  let releaseId: string;

  const gql = async (token: string, query: string, variables?: Record<string, unknown>): Promise<Body> => (await stack.graphql(token, query, variables)) as Body;
  const ok = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const body = await gql(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const post = async (path: string, token: string, key: string, body: object) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
  const eventually = async <T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 60_000): Promise<T> => {
    const until = Date.now() + ms;
    let value = await probe();
    while (!done(value) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      value = await probe();
    }
    return value;
  };
  const tokens = async () => {
    duty = await stack.login(dutyUser.username, dutyUser.password);
    sys = await stack.login(sysUser.username, sysUser.password);
    officer = await stack.login(officerUser.username, officerUser.password);
    other = await stack.login(otherUser.username, otherUser.password);
  };
  /** Moves the apps' clock and logs everyone in again (tokens are checked against the moved clock). */
  const advance = async (ms: number) => {
    await stack.advanceClock(ms);
    await tokens();
  };
  const alerts = async (token: string): Promise<AlertNode[]> => (await ok(token, ALERTS)).alerts.edges.map((e: { node: AlertNode }) => e.node);
  const alertOf = async (rule: string, recordId?: string) => (await alerts(officer)).find((a) => a.rule === rule && (recordId === undefined || a.recordId === recordId));
  const sql = async <R>(text: string, params: unknown[] = []): Promise<R[]> => {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as R[];
    } finally {
      await client.end();
    }
  };
  const feeds: Client[] = [];
  /** A real graphql-ws client on the gateway's /graphql: every message with the wall-clock time it arrived. */
  const liveFeed = async (token: string) => {
    const got: Array<{ alert: LiveAlert; arrivedAt: number }> = [];
    const errors: unknown[] = [];
    const client = createClient({
      url: `${stack.gatewayUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: true,
    });
    feeds.push(client);
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    client.subscribe<{ alertChanged: LiveAlert }>(
      { query: LIVE },
      {
        next: (r) => {
          if (r.data?.alertChanged) got.push({ alert: r.data.alertChanged, arrivedAt: Date.now() });
          if (r.errors) errors.push(...r.errors);
        },
        error: (e) => errors.push(e),
        complete: () => undefined,
      },
    );
    await connected;
    // The gateway opens the subgraph's socket once the subscribe message arrived: let it settle.
    await new Promise((r) => setTimeout(r, 1_000));
    return { got, errors };
  };
  /** The wall-clock time of an app-clock instant (the stack's clock is moved). */
  const wallTimeOf = (appIso: string) => new Date(appIso).getTime() - (stack.now().getTime() - Date.now());
  const activate = async (subjectId: string, token: string) => {
    const today = stack.today();
    await ok(token, `mutation($i: RecordReportInInput!) { recordReportIn(input: $i) { id } }`, { i: { subjectId, reportedOn: today } });
    await ok(token, `mutation($i: TickIntakeItemsInput!) { tickIntakeItems(input: $i) { id } }`, {
      i: { subjectId, items: ['DOCUMENTS_CHECKED', 'IDENTITY_VERIFIED', 'REGISTERED', 'ARCHIVE_OPENED', 'ANNOUNCEMENT_MADE'], doneOn: today },
    });
    await ok(token, `mutation($i: ActivateSubjectInput!) { activateSubject(input: $i) { id } }`, { i: { subjectId, on: today } });
  };
  const enrol = async (idNumber: string, key: string, on: string, town = '104'): Promise<string> => {
    const res = await post('/api/v1/correction/enrolments', await stack.partnerToken('COURT'), key, enrolmentPayload({ idNumber, town, on }));
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };

  beforeAll(async () => {
    // The dead letter comes after BUS_MAX_ATTEMPTS (5) deliveries with exponential backoff: a 200 ms base
    // instead of the 1 s default makes that 3 s instead of 15 s; nothing else here waits on a retry.
    stack = await startStack({ env: { BUS_BACKOFF_DELAY_MS: '200' } });
    dutyUser = await stack.createUser({ role: 'CITY_ADMIN', towns: [] });
    headUser = await stack.createUser({ role: 'CITY_ADMIN', towns: [] });
    sysUser = await stack.createUser({ role: 'SYSTEM_ADMIN', towns: [] });
    officerUser = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    otherUser = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['107'] });
    await tokens();
    day0 = stack.today();
  });

  afterAll(async () => {
    for (const f of feeds) await f.dispose();
    await stack?.stop();
  });

  it("AL-5: through the gateway's graphql-ws, an officer of 104 receives 104's alert within 1 s and never 107's; its Person comes from the correction subgraph", async () => {
    const feed104 = await liveFeed(officer);
    const feed107 = await liveFeed(other);
    const c = await enrol(SUBJECT_C, 'E2E-AL5-C', day0, '104');
    const d = await enrol(SUBJECT_D, 'E2E-AL5-D', day0, '107');
    await activate(c, officer);
    await activate(d, other);
    const ABSCOND = `mutation($i: MarkAbscondedInput!) { markAbsconded(input: $i) { id } }`;
    await ok(other, ABSCOND, { i: { subjectId: d, lostContactOn: stack.today() } });
    await ok(officer, ABSCOND, { i: { subjectId: c, lostContactOn: stack.today() } });
    const mine = await eventually(async () => feed104.got.find((m) => m.alert.rule === 'CC-2.LOST_CONTACT'), (m) => m !== undefined, 30_000);
    expect(mine).toBeDefined();
    expect(mine!.alert).toMatchObject({ state: 'OPEN', colour: 'RED', town: { code: '104', name: '徐霞客镇' } });
    expect(mine!.alert.person.maskedIdNumber).toBe(`${SUBJECT_C.slice(0, 6)}********${SUBJECT_C.slice(-4)}`);
    expect(mine!.arrivedAt - wallTimeOf(mine!.alert.raisedAt)).toBeLessThan(1_000);
    const theirs = await eventually(async () => feed107.got.find((m) => m.alert.rule === 'CC-2.LOST_CONTACT'), (m) => m !== undefined, 30_000);
    expect(theirs!.alert.town.code).toBe('107');
    await new Promise((r) => setTimeout(r, 500));
    expect(feed104.got.filter((m) => m.alert.town.code !== '104')).toEqual([]);
    expect(feed107.got.filter((m) => m.alert.town.code !== '107')).toEqual([]);
    expect([...feed104.errors, ...feed107.errors]).toEqual([]);
  });

  it('AL-6 / AL-4: the city admin puts the duty officer and the bureau head on the roster and declares a sensitive period for 104', async () => {
    const SET = `mutation($i: SetDutyInput!) { setDuty(input: $i) { date role staff } }`;
    for (let d = 0; d <= 16; d++) {
      const date = addDays(day0, d);
      await ok(duty, SET, { i: { date, role: 'DUTY_OFFICER', staff: dutyUser.username } });
      await ok(duty, SET, { i: { date, role: 'BUREAU_HEAD', staff: headUser.username } });
    }
    const period = await ok(duty, `mutation($i: CreateSensitivePeriodInput!) { createSensitivePeriod(input: $i) { id name } }`, {
      i: { name: '重点时期（测试）', startsOn: addDays(day0, 8), endsOn: addDays(day0, 12), towns: ['104'] },
    });
    expect(period.createSensitivePeriod.name).toBe('重点时期（测试）');
    // A town officer may not set the city's roster.
    const denied = await gql(officer, SET, { i: { date: day0, role: 'DUTY_OFFICER', staff: officerUser.username } });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('the court enrols a subject of 104 and the prison announces a key person of 104, released the next day and picked up', async () => {
    subjectA = await enrol(SUBJECT_A, 'E2E-AL-ENROL-A', day0);
    const prison = await stack.partnerToken('PRISON');
    const notice = await post('/api/v1/resettlement/pre-release-notices', prison, 'E2E-AL-NOTICE', {
      person: { idNumber: RELEASED, name: '重点甲', residenceTown: '104', residenceAddress: '徐霞客镇璜塘村9号' },
      prisonerNo: 'E2E-AL-P-1',
      expectedReleaseDate: addDays(day0, 1),
      offence: '故意伤害罪',
      sentence: '有期徒刑三年',
      conductInPrison: '改造表现差',
      keyCategories: ['POOR_CONDUCT'],
    });
    expect(notice.status).toBe(201);
    const noticeId = ((await notice.json()) as { id: string }).id;

    await advance(DAY);
    const release = await post('/api/v1/resettlement/releases', await stack.partnerToken('PRISON'), 'E2E-AL-RELEASE', { preReleaseNoticeId: noticeId, actualReleaseDate: stack.today() });
    expect(release.status).toBe(201);
    releaseId = ((await release.json()) as { id: string }).id;
    await ok(officer, `mutation($i: RecordPickUpInput!) { recordPickUp(input: $i) { id } }`, {
      i: { releaseId, by: 'FAMILY', collectorName: '重点父', relationship: '父子', place: '监狱大门', at: stack.now().toISOString() },
    });
  });

  it('AL-4: the police hand-over is late inside the sensitive period, so the key person\'s ORANGE alert is raised RED', async () => {
    // Hand-over due 7 days after the release (day 8, the period's first day); the alert comes the day after.
    await advance(8 * DAY + MINUTE);
    expect(daysBetween(day0, stack.today())).toBe(9);
    const late = await eventually(() => alertOf('RS-6.POLICE_HANDOVER_LATE', releaseId), (a) => a !== undefined);
    expect(late).toMatchObject({ colour: 'RED' });
    // 华士镇's officer sees only 华士镇's own alert (the lost contact of AL-5 above), never this one.
    expect((await alerts(other)).map((a) => a.id)).not.toContain(late!.id);
  });

  it('AL-1: the ORANGE "not reported" alert nobody acknowledges goes to the city\'s person on duty after 4 h, then to the bureau head', async () => {
    // The day after the report deadline (CC-4): the ORANGE alert of an ordinary subject (not a key person:
    // the period does not raise it).
    const alertDay = addDays(correctionReportDeadline(day0), 1);
    await advance(daysBetween(stack.today(), alertDay) * DAY);
    const raised = await eventually(() => alertOf('CC-4.NOT_REPORTED', subjectA), (a) => a !== undefined);
    expect(raised).toMatchObject({ colour: 'ORANGE', state: 'OPEN', escalationLevel: 0, escalations: [] });
    const dueBy = new Date(raised!.dueBy!).getTime();
    expect(dueBy - stack.now().getTime()).toBeGreaterThan(3 * 60 * MINUTE); // 4 h to acknowledge (AL-2)

    // A minute before the deadline the city admin opens the live feed (a fresh token, still valid after two minutes).
    await advance(dueBy - stack.now().getTime() - MINUTE);
    const cityFeed = await liveFeed(duty);
    await stack.advanceClock(2 * MINUTE);
    await tokens();
    const first = await eventually(() => alertOf('CC-4.NOT_REPORTED', subjectA), (a) => a?.escalationLevel === 1);
    const live = await eventually(async () => cityFeed.got.find((m) => m.alert.id === raised!.id && m.alert.state === 'ESCALATED'), (m) => m !== undefined, 30_000);
    expect(live!.alert).toMatchObject({ rule: 'CC-4.NOT_REPORTED', colour: 'ORANGE', town: { code: '104' } });
    expect(cityFeed.errors).toEqual([]);
    expect(first).toMatchObject({ state: 'ESCALATED', escalationLevel: 1, escalations: [{ level: 1, dutyRole: 'DUTY_OFFICER', onDuty: dutyUser.username }] });
    // The city admin sees it too (all towns); 华士镇's officer does not.
    expect((await alerts(duty)).some((a) => a.id === raised!.id && a.state === 'ESCALATED')).toBe(true);
    expect((await alerts(other)).map((a) => a.id)).not.toContain(raised!.id);

    await advance(4 * 60 * MINUTE + MINUTE);
    const second = await eventually(() => alertOf('CC-4.NOT_REPORTED', subjectA), (a) => a?.escalationLevel === 2);
    expect(second!.escalations).toEqual([
      { level: 1, dutyRole: 'DUTY_OFFICER', onDuty: dutyUser.username },
      { level: 2, dutyRole: 'BUREAU_HEAD', onDuty: headUser.username },
    ]);
    // Acknowledging stops it there.
    await ok(officer, `mutation($id: ID!) { acknowledgeAlert(id: $id) { state } }`, { id: raised!.id });
    expect((await alertOf('CC-4.NOT_REPORTED', subjectA))!.state).toBe('ACKNOWLEDGED');
  });

  it('AL-7: a dead-lettered event shows to SYSTEM_ADMIN with its event id; the retry (retryOperationsAlert) re-drives it once', async () => {
    const watchesOf = async (recordId: string) => (await sql<{ rule: string }>(`SELECT rule FROM alerts.watches WHERE record_id = $1 ORDER BY rule`, [recordId])).map((r) => r.rule);
    const normal = await watchesOf(subjectA);
    expect(normal).toContain('CC-4.NOT_REPORTED');

    // alerts loses its right to write watches: the enrolment's due-date handler fails every attempt.
    await sql(`REVOKE INSERT ON alerts.watches FROM hw_alerts`);
    const subjectB = await enrol(SUBJECT_B, 'E2E-AL-ENROL-B', stack.today());
    const OPS = `{ operationsAlerts(first: 50) { edges { node { id rule colour state recordId deadLetter { service eventId eventName handler error } } } } }`;
    const ops = await eventually(
      async () => (await ok(sys, OPS)).operationsAlerts.edges.map((e: { node: AlertNode }) => e.node) as AlertNode[],
      (list) => list.some((a) => a.rule === 'BUS.DEAD_LETTER' && a.state === 'OPEN'),
      90_000,
    );
    const op = ops.find((a) => a.rule === 'BUS.DEAD_LETTER')! as AlertNode & { deadLetter: { service: string; eventId: string; eventName: string; handler: string; error: string } };
    expect(op.deadLetter).toMatchObject({ service: 'alerts', eventName: 'correction.subject.enrolled', handler: expect.any(String), error: expect.stringContaining('permission denied') });
    const { eventId, handler } = op.deadLetter;
    expect(await watchesOf(subjectB)).toEqual([]);
    // Town staff never see operations alerts.
    expect((await gql(officer, OPS)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const DLS = `{ busStatus { alerts { deadLetters { id eventId eventName handler resolvedHow } } } }`;
    const dl = ((await ok(sys, DLS)).busStatus.alerts.deadLetters as Array<{ id: string; eventId: string; eventName: string; handler: string; resolvedHow: string | null }>).find(
      (d) => d.eventId === eventId,
    );
    expect(dl).toMatchObject({ eventName: 'correction.subject.enrolled', resolvedHow: null });

    // The operator fixes the cause, then retries: the event is delivered again, its effect lands once.
    await sql(`GRANT INSERT ON alerts.watches TO hw_alerts`);
    const retried = await ok(sys, `mutation($id: ID!) { retryOperationsAlert(id: $id) { state } }`, { id: op.id });
    expect(retried.retryOperationsAlert.state).toBe('ACKNOWLEDGED');
    const armed = await eventually(() => watchesOf(subjectB), (rules) => rules.includes('CC-4.NOT_REPORTED'));
    expect(armed).toEqual(expect.arrayContaining(['CC-4.NOT_REPORTED']));
    // handled once: one inbox row for the event and the handler that had failed
    const inbox = await sql<{ n: string }>(`SELECT count(*) AS n FROM alerts.bus_inbox WHERE event_id = $1 AND handler = $2`, [eventId, handler]);
    expect(Number(inbox[0].n)).toBe(1);
    // The dead letter is resolved as REPLAYED (no longer among the open ones).
    expect(((await ok(sys, DLS)).busStatus.alerts.deadLetters as Array<{ id: string }>).map((d) => d.id)).not.toContain(dl!.id);
    // A second retry finds nothing open to replay: still handled once.
    await ok(sys, `mutation($id: ID!) { retryOperationsAlert(id: $id) { state } }`, { id: op.id });
    await new Promise((r) => setTimeout(r, 2000));
    expect(Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM alerts.bus_inbox WHERE event_id = $1 AND handler = $2`, [eventId, handler]))[0].n)).toBe(1);

    const resolved = await ok(sys, `mutation($id: ID!) { resolveOperationsAlert(id: $id, note: "权限已恢复，已重放") { state } }`, { id: op.id });
    expect(resolved.resolveOperationsAlert.state).toBe('RESOLVED');
  });
});
