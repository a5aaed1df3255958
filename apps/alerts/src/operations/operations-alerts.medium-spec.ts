/**
 * Issue 11 item 4: AL-7 operations alerts (no town: a dead-lettered event) are listed, acknowledged
 * and resolved by SYSTEM_ADMIN through GraphQL; town staff and the city admin never see them.
 * Real PostgreSQL + Redis; the alert comes from a real `bus.event.dead-lettered` delivery.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { AlertsService } from '../alerts/alerts.service';
import { EscalationService } from '../escalation/escalation.service';

jest.setTimeout(60_000);

describe('AL-7 operations alerts for SYSTEM_ADMIN (real PostgreSQL + Redis)', () => {
  let harness: AlertsHarness;
  let app: NestExpressApplication;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const sysAdmin = () => keys.mint(staffPrincipal({ username: 'ops.admin', roles: [Role.SYSTEM_ADMIN], towns: [] }), { now: clock.now() });
  const cityAdmin = () => keys.mint(staffPrincipal({ username: 'admin.city', roles: [Role.CITY_ADMIN], towns: ['*'] }), { now: clock.now() });
  const officer = () => keys.mint(staffPrincipal({ username: 'officer.104', roles: [Role.TOWN_OFFICER], towns: ['104'] }), { now: clock.now() });
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const LIST = `query($state: AlertState) { operationsAlerts(first: 20, state: $state) { totalCount edges { node { id rule colour state town { code } recordId note } } } }`;
  const ACK = `mutation($id: ID!) { acknowledgeOperationsAlert(id: $id) { id state } }`;
  const RESOLVE = `mutation($id: ID!, $note: String!) { resolveOperationsAlert(id: $id, note: $note) { id state note } }`;
  const eventId = randomUUID();
  let alertId: string;

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alerts-operations', clock, keys });
    app = harness.app;
    await harness.deliver('bus.event.dead-lettered', {
      eventId,
      eventName: 'correction.subject.enrolled',
      service: 'alerts',
      handler: 'CorrectionEventsHandler.onEnrolled',
      error: 'Error: database was away',
    });
    const [row] = await eventually(
      () => harness.db.query<{ id: string }>(`SELECT id FROM alerts.alerts WHERE rule = 'BUS.DEAD_LETTER' AND record_id LIKE $1`, [`%${eventId}%`]),
      (r) => r.length === 1,
    );
    alertId = row.id;
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('AL-7: SYSTEM_ADMIN lists the dead-letter alert (RED, no town, the event id in its record id); the read is audited', async () => {
    const res = await gql(sysAdmin(), LIST);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.operationsAlerts.totalCount).toBe(1);
    expect(res.body.data.operationsAlerts.edges[0].node).toMatchObject({ id: alertId, rule: 'BUS.DEAD_LETTER', colour: 'RED', state: 'OPEN', town: null });
    expect(res.body.data.operationsAlerts.edges[0].node.recordId).toContain(eventId);
    const audit = await harness.db.query(`SELECT actor_id FROM audit.events WHERE action = 'alerts.operations-alert.list' AND outcome = 'SUCCESS'`);
    expect(audit).toHaveLength(1);
  });

  it('AL-7: town staff and the city admin never see it: not in their lists, operationsAlerts refused, acknowledging it is NOT_FOUND', async () => {
    for (const token of [officer(), cityAdmin()]) {
      const list = await gql(token, `{ alerts(first: 50) { totalCount } }`);
      expect(list.body.data.alerts.totalCount).toBe(0);
      const ops = await gql(token, LIST);
      expect(ops.body.errors[0].extensions.code).toBe('FORBIDDEN');
      const ack = await gql(token, `mutation($id: ID!) { acknowledgeAlert(id: $id) { state } }`, { id: alertId });
      expect(ack.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await gql(token, ACK, { id: alertId })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const [row] = await harness.db.query(`SELECT state FROM alerts.alerts WHERE id = $1`, [alertId]);
    expect(row.state).toBe('OPEN');
  });

  it('AL-7: an operations alert does not escalate up the command centre roster (AL-1 is for town alerts)', async () => {
    clock.set(new Date('2026-11-20T05:00:00Z'));
    expect(await app.get(EscalationService).sweep()).toBe(0);
    const [row] = await harness.db.query(`SELECT state FROM alerts.alerts WHERE id = $1`, [alertId]);
    expect(row.state).toBe('OPEN');
  });

  it('AL-7: SYSTEM_ADMIN acknowledges then resolves it with a note; each change audited; a second resolve is an ILLEGAL_TRANSITION', async () => {
    const ack = await gql(sysAdmin(), ACK, { id: alertId });
    expect(ack.body.errors).toBeUndefined();
    expect(ack.body.data.acknowledgeOperationsAlert.state).toBe('ACKNOWLEDGED');
    const done = await gql(sysAdmin(), RESOLVE, { id: alertId, note: 'replayed after the database came back' });
    expect(done.body.data.resolveOperationsAlert).toMatchObject({ state: 'RESOLVED', note: 'replayed after the database came back' });
    const again = await gql(sysAdmin(), RESOLVE, { id: alertId, note: 'twice' });
    expect(again.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
    expect(again.body.errors[0].message).toMatch(/cannot resolve .* \/ 当前状态不允许此操作/);
    const audit = await harness.db.query<{ action: string }>(
      `SELECT action FROM audit.events WHERE entity_id = $1 AND outcome = 'SUCCESS' AND action LIKE 'alerts.operations-alert.%' ORDER BY id`,
      [alertId],
    );
    expect(audit.map((a) => a.action)).toEqual(['alerts.operations-alert.acknowledge', 'alerts.operations-alert.resolve']);
    const resolved = await gql(sysAdmin(), LIST, { state: 'RESOLVED' });
    expect(resolved.body.data.operationsAlerts.totalCount).toBe(1);
  });

  it('AL-7: a town alert id is NOT_FOUND for SYSTEM_ADMIN, with an English and Chinese message', async () => {
    const town = await harness.dataSource.transaction((m) =>
      app.get(AlertsService).raise(m, { rule: 'CC-4.NOT_REPORTED', personKey: 'f'.repeat(64), town: '104', recordType: 'Subject', recordId: randomUUID() }),
    );
    const res = await gql(sysAdmin(), ACK, { id: town!.id });
    expect(res.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(res.body.errors[0].message).toMatch(/not found \/ 未找到该运维预警/);
    expect((await harness.db.query(`SELECT state FROM alerts.alerts WHERE id = $1`, [town!.id]))[0].state).toBe('OPEN');
  });

  it('AL-7: a partner batch rejected whole is an ORANGE operations alert naming the partner, endpoint and fields; it cannot be "retried"', async () => {
    await harness.deliver('partner.batch.rejected', {
      service: 'aftercare',
      endpoint: 'POST /api/v1/aftercare/release-notices',
      agency: 'REHAB_CENTRE:centre-9',
      received: 12,
      fields: ['person.idNumber', 'releaseDate'],
    });
    const [row] = await eventually(
      () => harness.db.query<{ id: string; colour: string; details: Record<string, unknown> }>(`SELECT id, colour, details FROM alerts.alerts WHERE rule = 'PARTNER.BATCH_REJECTED'`),
      (r) => r.length === 1,
    );
    expect(row.colour).toBe('ORANGE');
    expect(row.details).toMatchObject({ service: 'aftercare', agency: 'REHAB_CENTRE:centre-9', received: 12, fields: ['person.idNumber', 'releaseDate'] });
    const open = await gql(sysAdmin(), LIST, { state: 'OPEN' });
    expect(open.body.data.operationsAlerts.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(row.id);
    const retry = await gql(sysAdmin(), `mutation($id: ID!) { retryOperationsAlert(id: $id) { state } }`, { id: row.id });
    expect(retry.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(retry.body.errors[0].message).toMatch(/仅死信事件可重放/);
    expect((await harness.db.query(`SELECT state FROM alerts.alerts WHERE id = $1`, [row.id]))[0].state).toBe('OPEN');
    // town staff never see it
    const theirs = await gql(officer(), `{ alerts(first: 50) { edges { node { rule } } } }`);
    expect(theirs.body.data.alerts.edges.map((e: { node: { rule: string } }) => e.node.rule)).not.toContain('PARTNER.BATCH_REJECTED');
  });

  it('AL-7: retrying a dead-letter alert publishes the retry request for the service that holds it, once per request; the alert is ACKNOWLEDGED', async () => {
    const otherEvent = randomUUID();
    await harness.deliver('bus.event.dead-lettered', { eventId: otherEvent, eventName: 'resettlement.reoffence.reported', service: 'community-correction', handler: 'ReoffenceEventsHandler.onReported', error: 'boom' });
    const [alert] = await eventually(
      () => harness.db.query<{ id: string }>(`SELECT id FROM alerts.alerts WHERE rule = 'BUS.DEAD_LETTER' AND record_id LIKE $1`, [`%${otherEvent}%`]),
      (r) => r.length === 1,
    );
    const res = await gql(sysAdmin(), `mutation($id: ID!) { retryOperationsAlert(id: $id) { state deadLetter { service eventId handler } } }`, { id: alert.id });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.retryOperationsAlert).toEqual({ state: 'ACKNOWLEDGED', deadLetter: { service: 'community-correction', eventId: otherEvent, handler: 'ReoffenceEventsHandler.onReported' } });
    const outbox = await harness.db.query<{ payload: Record<string, unknown> }>(`SELECT payload FROM alerts.bus_outbox WHERE name = 'bus.dead-letter.retry-requested'`);
    expect(outbox.map((o) => o.payload)).toEqual([{ service: 'community-correction', eventId: otherEvent, handler: 'ReoffenceEventsHandler.onReported', alertId: alert.id, requestedBy: 'ops.admin' }]);
    expect((await gql(officer(), `mutation($id: ID!) { retryOperationsAlert(id: $id) { state } }`, { id: alert.id })).body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('AL-7: a failing webhook (RS-13 delivery dead) is an ORANGE operations alert naming subscriber and delivery', async () => {
    const deliveryId = randomUUID();
    await harness.deliver('integration.delivery.failed', { service: 'resettlement', integration: 'RS-13', subscriberId: randomUUID(), subscriber: 'HEALTH 市卫健委', deliveryId, kind: 'HEALTH', attempts: 8, error: 'HTTP 503' });
    const [row] = await eventually(
      () => harness.db.query<{ id: string; colour: string; record_id: string }>(`SELECT id, colour, record_id FROM alerts.alerts WHERE rule = 'INTEGRATION.DELIVERY_FAILED'`),
      (r) => r.length === 1,
    );
    expect(row).toMatchObject({ colour: 'ORANGE', record_id: `resettlement:${deliveryId}` });
    const open = await gql(sysAdmin(), LIST, { state: 'OPEN' });
    expect(open.body.data.operationsAlerts.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(row.id);
  });
});
