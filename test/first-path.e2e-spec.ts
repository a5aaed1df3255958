import { authenticator } from 'otplib';
import { addDays, correctionReportDeadline, daysBetween } from '@homeward/domain';
import { CreatedUser, Stack, startStack, enrolmentPayload } from '@homeward/testing';

/**
 * The first real path through the whole stack (issue 2, item 8/11): a court's REST call enrols a
 * subject; the town officer sees it through the gateway, another town's officer does not; replays
 * are idempotent; moving the clock past the CC-4 report deadline raises the ORANGE alert.
 */
jest.setTimeout(240_000);

const VALID_ID = '11010519491231002X';
const WRONG_CHECK_DIGIT = '110105194912310021';

describe('first path: court enrolment → officer query → CC-4 alert', () => {
  let stack: Stack;
  let courtToken: string;
  let officerXxk: string;
  let officerHs: string;
  let auditorToken: string;
  let xxk: CreatedUser;
  let hs: CreatedUser;
  /** The apps' local date when the stack came up (a fixed day, or HW_E2E_START_AT), never the wall clock's. */
  let today: string;

  const enrolment = (overrides: Record<string, unknown> = {}, person: Record<string, unknown> = {}) =>
    enrolmentPayload(
      { idNumber: VALID_ID, name: '王某', on: today, until: addDays(addDays(today, 365), 200), person: { residenceAddress: '徐霞客镇璜塘村', ...person } },
      { judgmentDocumentNo: '(2026)苏0281刑初1号', ...overrides },
    );

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  const gql = async (token: string, query: string, variables?: Record<string, unknown>): Promise<Body> =>
    (await stack.graphql(token, query, variables)) as Body;

  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  const subjectsVisibleTo = async (token: string): Promise<number> => {
    const body = await gql(token, `{ correctionSubjects(first: 50) { totalCount } }`);
    expect(body.errors).toBeUndefined();
    return body.data.correctionSubjects.totalCount;
  };

  beforeAll(async () => {
    stack = await startStack();
    today = stack.today();
    courtToken = await stack.partnerToken('COURT');
    xxk = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    hs = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['107'] });
    const auditor = await stack.createUser({ role: 'AUDITOR', towns: [] });
    officerXxk = await stack.login(xxk.username, xxk.password);
    officerHs = await stack.login(hs.username, hs.password);
    auditorToken = await stack.login(auditor.username, auditor.password, authenticator.clone({ epoch: stack.now().getTime() }).generate(auditor.totpSecret!));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  let subjectId: string;

  it('CC-3/CC-4: a court enrols a subject: 201, PENDING_REPORT, report deadline = effective date + 10 days (CC-23: the next working day when that is a rest day), Location', async () => {
    const res = await post('/api/v1/correction/enrolments', enrolment(), { authorization: `Bearer ${courtToken}`, 'idempotency-key': 'JUD-1' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string };
    expect(body).toEqual({ id: expect.any(String), status: 'PENDING_REPORT', reportDeadline: correctionReportDeadline(today) });
    expect(res.headers.get('location')).toBe(`/api/v1/correction/enrolments/${body.id}`);
    subjectId = body.id;
  });

  it('a replay with the same Idempotency-Key and body returns the first answer and creates nothing', async () => {
    const res = await post('/api/v1/correction/enrolments', enrolment(), { authorization: `Bearer ${courtToken}`, 'idempotency-key': 'JUD-1' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { id: string }).id).toBe(subjectId);
    expect(await subjectsVisibleTo(officerXxk)).toBe(1);
  });

  it('the same key with a different body is refused with 409 problem+json', async () => {
    const res = await post('/api/v1/correction/enrolments', enrolment({ offence: '诈骗罪' }), { authorization: `Bearer ${courtToken}`, 'idempotency-key': 'JUD-1' });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  // The payloads are built when the test runs: `today` is the apps' date, known once the stack is up.
  it.each([
    ['a missing field', 400, () => enrolment({ offence: undefined }), 'offence'],
    ['a malformed date', 400, () => enrolment({ judgmentEffectiveDate: '2026/11/01' }), 'judgmentEffectiveDate'],
    ['a wrong ID check digit', 422, () => enrolment({}, { idNumber: WRONG_CHECK_DIGIT }), 'person.idNumber'],
    ['an unknown town', 422, () => enrolment({}, { residenceTown: '999' }), 'person.residenceTown'],
    ['an end before the start', 422, () => enrolment({ correctionEndDate: addDays(today, -1) }), undefined],
    ['a sentence type outside CC-1', 422, () => enrolment({ sentenceType: 'DEATH_PENALTY' }), 'sentenceType'],
  ])('CC-1/CC-6: %s → %i problem+json, and nothing is written', async (_what, status, build, field) => {
    const body = build();
    const res = await post('/api/v1/correction/enrolments', body, { authorization: `Bearer ${courtToken}`, 'idempotency-key': `BAD-${_what.replace(/[^A-Za-z0-9]+/g, '-')}` });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json();
    expect(problem).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    if (field) expect(JSON.stringify(problem)).toContain(field);
    expect(await subjectsVisibleTo(officerXxk)).toBe(1);
  });

  it('no token → 401; an agency kind not allowed to enrol (procuratorate) → 403', async () => {
    const anonymous = await post('/api/v1/correction/enrolments', enrolment(), { 'idempotency-key': 'X-1' });
    expect(anonymous.status).toBe(401);
    const procuratorate = await stack.partnerToken('PROCURATORATE');
    const res = await post('/api/v1/correction/enrolments', enrolment(), { authorization: `Bearer ${procuratorate}`, 'idempotency-key': 'X-2' });
    expect(res.status).toBe(403);
  });

  it('the officer of the town sees the subject with a masked ID number and the town name', async () => {
    const body = await gql(
      officerXxk,
      `query($id: ID!) { correctionSubject(id: $id) { id status reportDeadline sentenceType town { code name } person { key maskedIdNumber } } }`,
      { id: subjectId },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.correctionSubject).toMatchObject({
      id: subjectId,
      status: 'PENDING_REPORT',
      reportDeadline: correctionReportDeadline(today),
      sentenceType: 'PROBATION',
      town: { code: '104', name: '徐霞客镇' },
      person: { key: expect.stringMatching(/^[0-9a-f]{64}$/), maskedIdNumber: '110105********002X' },
    });
    expect(JSON.stringify(body)).not.toContain(VALID_ID);
  });

  it('an officer of another town gets null for the id and an empty list, never the record', async () => {
    const one = await gql(officerHs, `query($id: ID!) { correctionSubject(id: $id) { id name } }`, { id: subjectId });
    expect(one.errors).toBeUndefined();
    expect(one.data.correctionSubject).toBeNull();
    expect(await subjectsVisibleTo(officerHs)).toBe(0);
  });

  it('each read of a person is audited, and only the auditor can read the audit log', async () => {
    const query = `{ auditEvents(filter: { action: "correction.subject.read" }, first: 50) { edges { node { action entityId outcome } } } }`;
    const denied = await gql(officerXxk, query);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const body = await gql(auditorToken, query);
    expect(body.errors).toBeUndefined();
    const events = body.data.auditEvents.edges.map((e: { node: unknown }) => e.node);
    expect(events).toEqual(expect.arrayContaining([{ action: 'correction.subject.read', entityId: subjectId, outcome: 'SUCCESS' }]));
    expect(events).toEqual(expect.arrayContaining([{ action: 'correction.subject.read', entityId: subjectId, outcome: 'DENIED' }]));
  });

  it('issue 6 item 11: a read through the gateway is audited with the client IP the gateway saw, not a spoofed X-Forwarded-For', async () => {
    const res = await fetch(`${stack.urls.gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${officerXxk}`, 'x-forwarded-for': '203.0.113.77', 'x-homeward-client-ip': '203.0.113.78' },
      body: JSON.stringify({ query: `query($id: ID!) { correctionSubject(id: $id) { id } }`, variables: { id: subjectId } }),
    });
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id');
    const body = await gql(auditorToken, `{ auditEvents(filter: { action: "correction.subject.read" }, first: 100) { edges { node { entityId requestId details } } } }`);
    expect(body.errors).toBeUndefined();
    const mine = (body.data.auditEvents.edges as Array<{ node: { entityId: string; requestId: string | null; details: string } }>)
      .map((e) => e.node)
      .filter((n) => n.requestId === requestId);
    expect(mine).toHaveLength(1);
    const details = JSON.parse(mine[0].details) as { clientIp?: string };
    expect(details.clientIp).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(mine[0].details).not.toContain('203.0.113.');
  });

  it('CC-4: moving the clock past the report deadline raises one ORANGE "not reported" alert for the town only', async () => {
    const alertsQuery = `{ alerts(first: 100) { totalCount edges { node { rule colour state town { code } recordId person { key } } } } }`;
    const before = await gql(officerXxk, alertsQuery);
    expect(JSON.stringify(before.data)).not.toContain(subjectId);

    // To the day after the deadline (day 11, later when day 10 is a rest day: CC-23).
    const days = daysBetween(stack.today(), correctionReportDeadline(today)) + 1;
    await stack.advanceClock(days * 24 * 3600 * 1000 + 60_000);
    // Tokens are checked against the (moved) clock: log in again as the officers would the next morning.
    officerXxk = await stack.login(xxk.username, xxk.password);
    officerHs = await stack.login(hs.username, hs.password);

    // Other rules fall due in the same jump (CC-3 documents, CC-10 month-end determinations): look at CC-4.
    type AlertNode = { rule: string; recordId: string; colour: string; state: string; town: { code: string } };
    const notReported = (body: Body): AlertNode[] =>
      (body.data.alerts.edges as Array<{ node: AlertNode }>).map((e) => e.node).filter((a) => a.rule === 'CC-4.NOT_REPORTED');
    let alerts: AlertNode[] = [];
    for (let i = 0; i < 60 && alerts.length === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 500));
      alerts = notReported(await gql(officerXxk, alertsQuery));
    }
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'CC-4.NOT_REPORTED', colour: 'ORANGE', state: 'OPEN', town: { code: '104' }, recordId: subjectId });

    const other = await gql(officerHs, alertsQuery);
    expect(notReported(other)).toHaveLength(0);
    expect(JSON.stringify(other.data)).not.toContain(subjectId);
  });

  it('one query shows a person across subgraphs: correction cases and alerts', async () => {
    const body = await gql(
      officerXxk,
      `query($id: ID!) { correctionSubject(id: $id) { person { key correctionCases { id status } alerts { rule colour } resettlementCases { id } } } }`,
      { id: subjectId },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.correctionSubject.person).toMatchObject({
      correctionCases: [{ id: subjectId, status: 'PENDING_REPORT' }],
      alerts: expect.arrayContaining([{ rule: 'CC-4.NOT_REPORTED', colour: 'ORANGE' }]),
      resettlementCases: [],
    });
  });

  it('a subgraph reached directly without a token answers UNAUTHENTICATED, also for entity references', async () => {
    const personKey = (await gql(officerXxk, `query($id: ID!) { correctionSubject(id: $id) { person { key } } }`, { id: subjectId })).data
      .correctionSubject.person.key;
    const res = await fetch(`${stack.urls.alerts}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { alerts { rule recordId } } } }`,
        variables: { r: [{ __typename: 'Person', key: personKey }] },
      }),
    });
    const body = (await res.json()) as Body;
    // Issue 6 item 15: an HTTP 401, not a 200 carrying an error.
    expect(res.status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(body)).not.toContain(subjectId);
  });

  it('issue 6 item 3: every app connects as its own role, and the chains they wrote verify with the key (audit:verify)', async () => {
    const { Client } = await import('pg');
    const pg = new Client({ connectionString: stack.databaseUrl });
    await pg.connect();
    try {
      const roles = await pg.query(
        `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'homeward-%' AND usename <> current_user ORDER BY usename`,
      );
      expect(roles.rows.map((r: { usename: string }) => r.usename)).toEqual(expect.arrayContaining(['hw_aftercare', 'hw_alerts', 'hw_correction', 'hw_resettlement']));
      const supers = await pg.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
          WHERE a.datname = current_database() AND a.application_name LIKE 'homeward-%' AND a.application_name NOT LIKE 'homeward-cli%' AND r.rolsuper`,
      );
      expect(supers.rows[0].n).toBe(0);
    } finally {
      await pg.end();
    }
    const { stdout } = await stack.cli(['audit:verify']);
    // Issue 13: each app appends to AUDIT_CHAIN_SHARDS chains (service, service#1, …), picked at random.
    expect(stdout).toMatch(/community-correction(#\d+)?: ok, [1-9]\d* rows/);
    expect(stdout).toMatch(/identity(#\d+)?: ok, [1-9]\d* rows/);
    expect(stdout).toContain('all intact');
  });
});
