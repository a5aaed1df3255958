import { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EventPayloads, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { AlertsService } from '../alerts/alerts.service';

jest.setTimeout(60_000);

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

describe('issue 6 item 7: a social worker sees the alerts of its assigned persons only (real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const workerId = randomUUID();
  const worker = () => keys.mint(staffPrincipal({ sub: workerId, roles: [Role.SOCIAL_WORKER], towns: ['104'] }), { now: clock.now() });
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables }).expect(200);
  const LIST = `{ alerts(first: 20) { totalCount edges { node { id } } } }`;
  const PERSON = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { alerts { id } } } }`;

  const subjectA = randomUUID();
  const assignment: EventPayloads['correction.assignment.changed'] = {
    assignmentId: randomUUID(),
    workerId,
    subjectId: subjectA,
    personKey: KEY_A,
    town: '104',
    assignedAt: '2026-11-20T01:00:00.000Z',
    assignedBy: randomUUID(),
    endedAt: null,
    endedBy: null,
  };
  let alertA: string;

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alerts-assign', clock, keys });
    ({ app, dataSource: ds } = harness);
    const alerts = app.get(AlertsService);
    await ds.transaction(async (m) => {
      alertA = (await alerts.raise(m, { rule: 'CC-4.NOT_REPORTED', personKey: KEY_A, town: '104', recordType: 'CorrectionSubject', recordId: subjectA }))!.id;
      await alerts.raise(m, { rule: 'CC-4.NOT_REPORTED', personKey: KEY_B, town: '104', recordType: 'CorrectionSubject', recordId: randomUUID() });
    });
  });
  afterAll(async () => harness?.close());

  const mirrored = (ended: boolean) =>
    eventually(
      () => ds.query(`SELECT ended_at FROM alerts.case_assignments WHERE id = $1`, [assignment.assignmentId]),
      (rows: Array<{ ended_at: Date | null }>) => rows.length === 1 && (rows[0].ended_at !== null) === ended,
    );

  it('issue 6 item 7: nothing before any assignment; the assigned person\'s alerts once assigned; nothing after it ends', async () => {
    const officer = keys.mint(staffPrincipal({ towns: ['104'] }), { now: clock.now() });
    expect((await gql(officer, LIST)).body.data.alerts.totalCount).toBe(2);
    expect((await gql(worker(), LIST)).body.data.alerts.totalCount).toBe(0);

    await harness.deliver('correction.assignment.changed', assignment);
    await mirrored(false);
    const list = (await gql(worker(), LIST)).body.data.alerts;
    expect(list.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([alertA]);
    const people = (await gql(worker(), PERSON, { reps: [{ __typename: 'Person', key: KEY_A }, { __typename: 'Person', key: KEY_B }] })).body.data._entities;
    expect(people.map((p: { alerts: Array<{ id: string }> }) => p.alerts.map((a) => a.id))).toEqual([[alertA], []]);

    await harness.deliver('correction.assignment.changed', { ...assignment, endedAt: '2026-11-20T01:30:00.000Z', endedBy: assignment.assignedBy });
    await mirrored(true);
    expect((await gql(worker(), LIST)).body.data.alerts.totalCount).toBe(0);
    // An older "started" delivered again does not reopen it.
    await harness.deliver('correction.assignment.changed', assignment);
    await new Promise((r) => setTimeout(r, 300));
    await mirrored(true);
  });

  it("RS-6: a resettlement social worker on an assistance team sees that person's alerts (resettlement.assignment.changed), and nothing once it left the team", async () => {
    const rsWorker = randomUUID();
    const token = () => keys.mint(staffPrincipal({ sub: rsWorker, roles: [Role.SOCIAL_WORKER], towns: ['104'] }), { now: clock.now() });
    const team: EventPayloads['resettlement.assignment.changed'] = { ...assignment, assignmentId: randomUUID(), workerId: rsWorker, subjectId: randomUUID(), personKey: KEY_B };
    const alertB = (await ds.query<Array<{ id: string }>>(`SELECT id FROM alerts.alerts WHERE person_key = $1`, [KEY_B]))[0].id;
    expect((await gql(token(), LIST)).body.data.alerts.totalCount).toBe(0);
    await harness.deliver('resettlement.assignment.changed', team);
    await eventually(() => ds.query(`SELECT 1 FROM alerts.case_assignments WHERE id = $1 AND ended_at IS NULL`, [team.assignmentId]), (r: unknown[]) => r.length === 1);
    expect((await gql(token(), LIST)).body.data.alerts.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([alertB]);
    await harness.deliver('resettlement.assignment.changed', { ...team, endedAt: '2026-11-20T01:40:00.000Z', endedBy: team.assignedBy });
    await eventually(() => ds.query(`SELECT 1 FROM alerts.case_assignments WHERE id = $1 AND ended_at IS NOT NULL`, [team.assignmentId]), (r: unknown[]) => r.length === 1);
    expect((await gql(token(), LIST)).body.data.alerts.totalCount).toBe(0);
  });
});
