import { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventPayloads, Role, SentenceType } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { DeadlinesService } from './deadlines.service';

jest.setTimeout(60_000);

const KEY = 'a'.repeat(64);

describe('alerts: CC-4 due-date rule, AL-1 one open alert, town filter (real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  let app: NestExpressApplication;
  let ds: DataSource;
  let deadlines: DeadlinesService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));

  const deliver: AlertsHarness['deliver'] = (name, payload) => harness.deliver(name, payload);

  const enrolled = (subjectId: string, town = '104', reportDeadline = '2026-11-30'): EventPayloads['correction.subject.enrolled'] => ({
    subjectId,
    personKey: KEY,
    town,
    sentenceType: SentenceType.PROBATION,
    judgmentEffectiveDate: '2026-11-20',
    reportDeadline,
    // Far off, so the CC-3 documents watch (correction-events.medium-spec.ts) stays out of this file's counts.
    documentsDeadline: '2027-12-31',
  });
  const watchOf = (id: string) =>
    eventually(() => ds.query(`SELECT * FROM alerts.watches WHERE record_id = $1 AND rule = 'CC-4.NOT_REPORTED'`, [id]), (r) => r.length === 1);
  const alertsOf = (id: string) => ds.query(`SELECT * FROM alerts.alerts WHERE record_id = $1`, [id]);
  const gql = (towns: string[], query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${keys.mint(staffPrincipal({ towns }), { now: clock.now() })}`)
      .send({ query, variables });

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alerts', clock, keys });
    ({ app, dataSource: ds, deadlines } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const late = randomUUID();

  it('CC-4: an enrolment starts a watch due at 00:00 Shanghai on the day after the report deadline', async () => {
    await deliver('correction.subject.enrolled', enrolled(late));
    const [watch] = await watchOf(late);
    expect(new Date(watch.due_at).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(watch.town).toBe('104');
  });

  it('CC-4: nothing is raised on the deadline day itself', async () => {
    clock.set(new Date('2026-11-30T15:59:59.000Z'));
    expect(await deadlines.sweep()).toBe(0);
    expect(await alertsOf(late)).toHaveLength(0);
  });

  it('CC-4: on day 11 the sweep raises one ORANGE "not reported" alert due within 4 hours (AL-2)', async () => {
    clock.set(new Date('2026-11-30T16:00:00.000Z'));
    // Other due-date rules (e.g. CC-10's month-end determination) may fall due at the same moment.
    expect(await deadlines.sweep()).toBeGreaterThanOrEqual(1);
    const [alert] = await alertsOf(late);
    expect(alert).toMatchObject({ rule: 'CC-4.NOT_REPORTED', colour: 'ORANGE', state: 'OPEN', town: '104', person_key: KEY });
    expect(new Date(alert.due_by).toISOString()).toBe('2026-11-30T20:00:00.000Z');
    const raised = await ds.query(`SELECT payload FROM alerts.bus_outbox WHERE name = 'alerts.alert.raised'`);
    expect(raised.map((r: { payload: { recordId: string } }) => r.payload.recordId)).toContain(late);
  });

  it('AL-1: sweeping again, or the same event delivered again, raises no second alert', async () => {
    await deadlines.sweep();
    await deliver('correction.subject.enrolled', enrolled(late));
    await new Promise((r) => setTimeout(r, 500));
    await deadlines.sweep();
    expect(await alertsOf(late)).toHaveLength(1);
  });

  it('CC-4: a subject who reported in before the deadline raises nothing', async () => {
    clock.set(new Date('2026-11-20T02:00:00Z'));
    const onTime = randomUUID();
    await deliver('correction.subject.enrolled', enrolled(onTime));
    await watchOf(onTime);
    await deliver('correction.subject.reported', { subjectId: onTime, personKey: KEY, town: '104', reportedOn: '2026-11-25' });
    await eventually(() => ds.query(`SELECT satisfied_at FROM alerts.watches WHERE record_id = $1 AND rule = 'CC-4.NOT_REPORTED'`, [onTime]), (r) => r[0].satisfied_at !== null);
    clock.set(new Date('2026-12-05T00:00:00Z'));
    await deadlines.sweep();
    expect(await alertsOf(onTime)).toHaveLength(0);
  });

  it('the delayed job alone raises the alert when it falls due (no sweep)', async () => {
    clock.set(new Date('2026-12-20T00:00:00Z'));
    const overdue = randomUUID();
    // Deadline already past by the clock: the delayed job is due at once.
    await deliver('correction.subject.enrolled', enrolled(overdue, '107', '2026-12-01'));
    const [alert] = await eventually(() => alertsOf(overdue), (r) => r.length === 1);
    expect(alert).toMatchObject({ rule: 'CC-4.NOT_REPORTED', town: '107' });
  });

  it('staff see only the alerts of their towns', async () => {
    const q = `{ alerts(first: 100) { totalCount edges { node { rule recordId town { code name } colour colourLabel ruleLabel } } } }`;
    type Edge = { node: { rule: string; recordId: string; town: { code: string } } };
    const notReported = (body: { data: { alerts: { edges: Edge[] } } }) =>
      body.data.alerts.edges.filter((e) => e.node.rule === 'CC-4.NOT_REPORTED').map((e) => e.node);
    const in104 = await gql(['104'], q).expect(200);
    expect(notReported(in104.body)).toEqual([expect.objectContaining({ recordId: late, town: { code: '104', name: '徐霞客镇' }, colour: 'ORANGE' })]);
    expect(in104.body.data.alerts.edges.every((e: Edge) => e.node.town.code === '104')).toBe(true);
    const in107 = await gql(['107'], q).expect(200);
    expect(notReported(in107.body).map((a) => a.recordId)).not.toContain(late);
    const other = await gql(['001'], q).expect(200);
    expect(notReported(other.body)).toHaveLength(0);
  });

  it('AL-1: an officer acknowledges, then resolves with a note; a resolved alert cannot be acknowledged', async () => {
    const [alert] = await alertsOf(late);
    const ack = await gql(['104'], `mutation($id: ID!) { acknowledgeAlert(id: $id) { state } }`, { id: alert.id }).expect(200);
    expect(ack.body.data.acknowledgeAlert.state).toBe('ACKNOWLEDGED');
    const res = await gql(['104'], `mutation($id: ID!) { resolveAlert(id: $id, note: "已电话联系，次日报到") { state note } }`, { id: alert.id }).expect(200);
    expect(res.body.data.resolveAlert).toEqual({ state: 'RESOLVED', note: '已电话联系，次日报到' });
    const again = await gql(['104'], `mutation($id: ID!) { acknowledgeAlert(id: $id) { state } }`, { id: alert.id }).expect(200);
    expect(again.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
    const foreign = await gql(['107'], `mutation($id: ID!) { acknowledgeAlert(id: $id) { state } }`, { id: alert.id }).expect(200);
    expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('issue 6 item 11: the refused acknowledge (ILLEGAL_TRANSITION) and the other town\'s attempt (NOT_FOUND) leave DENIED audit rows', async () => {
    const [alert] = await alertsOf(late);
    const rows: Array<{ action: string; outcome: string; details: { code: string; target: string } }> = await harness.db.query(
      `SELECT action, outcome, details FROM audit.events WHERE entity_id = $1 AND outcome = 'DENIED' ORDER BY id`,
      [alert.id],
    );
    expect(rows.map((r) => [r.action, r.details.code, r.details.target])).toEqual([
      ['request.denied', 'ILLEGAL_TRANSITION', 'mutation acknowledgeAlert'],
      ['request.denied', 'NOT_FOUND', 'mutation acknowledgeAlert'],
    ]);
  });

  it.each([Role.TEAM_MEMBER, Role.SUBJECT])('issue 6 item 7: a %s token reads no alert of a person (Person.alerts through _entities)', async (role) => {
    const q = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { alerts { id } } } }`;
    const ask = (token: string) =>
      request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query: q, variables: { reps: [{ __typename: 'Person', key: KEY }] } });
    const officer = (await ask(keys.mint(staffPrincipal({ towns: ['104'] }), { now: clock.now() })).expect(200)).body.data._entities[0].alerts;
    expect(officer.length).toBeGreaterThan(0);
    const res = await ask(keys.mint(staffPrincipal({ roles: [role], towns: ['104'] }), { now: clock.now() })).expect(200);
    expect(res.body.data?._entities?.[0]?.alerts ?? []).toEqual([]);
    const list = await request(app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${keys.mint(staffPrincipal({ roles: [role], towns: ['104'] }), { now: clock.now() })}`)
      .send({ query: `{ alerts(first: 10) { totalCount } }` })
      .expect(200);
    expect(list.body.data?.alerts?.totalCount ?? 0).toBe(0);
  });

  it('AL-3: "correction ends in 30 days" is a BLUE alert on the 30th day before the end; a discharge settles it', async () => {
    const ending = randomUUID();
    const discharged = randomUUID();
    clock.set(new Date('2026-11-20T02:00:00Z'));
    for (const id of [ending, discharged]) {
      await deliver('correction.subject.enrolled', { ...enrolled(id), correctionEndDate: '2027-11-19' });
      await eventually(() => ds.query(`SELECT * FROM alerts.watches WHERE record_id = $1 AND rule = 'CC-2.CORRECTION_ENDING'`, [id]), (r) => r.length === 1);
    }
    const endingAlerts = (id: string) => ds.query(`SELECT * FROM alerts.alerts WHERE record_id = $1 AND rule = 'CC-2.CORRECTION_ENDING'`, [id]);
    clock.set(new Date('2027-10-19T15:59:00Z')); // 19 Oct 23:59 in Shanghai: 31 days before the end
    await deadlines.sweep();
    expect(await endingAlerts(ending)).toHaveLength(0);
    await deliver('correction.subject.discharged', {
      subjectId: discharged,
      personKey: KEY,
      town: '104',
      dischargedOn: '2027-10-19',
      reason: 'PARDONED',
      correctionEndDate: '2027-11-19',
      sentenceType: SentenceType.PROBATION,
    } as EventPayloads['correction.subject.discharged']);
    await eventually(
      () => ds.query(`SELECT satisfied_at FROM alerts.watches WHERE record_id = $1 AND rule = 'CC-2.CORRECTION_ENDING'`, [discharged]),
      (r) => r[0].satisfied_at !== null,
    );
    clock.set(new Date('2027-10-19T16:00:00Z')); // 20 Oct in Shanghai: 30 days before 19 Nov
    await deadlines.sweep();
    const [alert] = await endingAlerts(ending);
    expect(alert).toMatchObject({ colour: 'BLUE', state: 'OPEN', town: '104', due_by: null });
    expect(await endingAlerts(discharged)).toHaveLength(0);
  });

  it('CC-4: a due watch of a rule this version does not know neither blocks the sweep nor is lost: the others are raised, it stays pending', async () => {
    const retired = randomUUID();
    const missed = randomUUID();
    // The oldest due watch is of a rule no longer (or not yet) in the catalogue; a CC-4 watch falls due after it.
    const [{ id: retiredWatch }] = await ds.query(
      `INSERT INTO alerts.watches (rule, record_type, record_id, person_key, town, due_at) VALUES ('XX-99.RETIRED', 'subject', $1, $2, '104', '2000-01-01T00:00:00Z') RETURNING id`,
      [retired, KEY],
    );
    await ds.query(
      `INSERT INTO alerts.watches (rule, record_type, record_id, person_key, town, due_at) VALUES ('CC-4.NOT_REPORTED', 'subject', $1, $2, '104', '2000-01-02T00:00:00Z')`,
      [missed, KEY],
    );
    expect(await deadlines.sweep()).toBeGreaterThanOrEqual(1);
    expect(await alertsOf(missed)).toEqual([expect.objectContaining({ rule: 'CC-4.NOT_REPORTED', colour: 'ORANGE', state: 'OPEN' })]);
    expect(await alertsOf(retired)).toHaveLength(0);
    const [left] = await ds.query(`SELECT fired_at, satisfied_at FROM alerts.watches WHERE id = $1`, [retiredWatch]);
    expect(left).toEqual({ fired_at: null, satisfied_at: null });
    // Its delayed job says why and leaves it too (a retry would not help).
    expect(await deadlines.check(retiredWatch)).toBe('unknown-rule');
    await ds.query(`DELETE FROM alerts.watches WHERE id = $1`, [retiredWatch]);
  });

  it('AL-3: an event dead-lettered on the bus raises a RED operations alert', async () => {
    await deliver('bus.event.dead-lettered', { eventId: randomUUID(), eventName: 'correction.subject.enrolled', service: 'alerts', handler: 'X.y', error: 'boom' });
    const [alert] = await eventually(() => ds.query(`SELECT * FROM alerts.alerts WHERE rule = 'BUS.DEAD_LETTER'`), (r) => r.length === 1);
    expect(alert).toMatchObject({ colour: 'RED', town: null });
  });
});
