/**
 * Issue 11 item 1: AL-6 the duty roster and AL-1 escalation — an alert nobody acknowledges within its
 * colour's response time (AL-2) goes to the city command centre's person on duty, and one still not
 * acknowledged within the same time again to the bureau head on duty. Time is moved on a FixedClock
 * and the sweep called; real PostgreSQL + Redis.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RiskColour, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { AlertsService } from '../alerts/alerts.service';
import { EscalationService } from './escalation.service';

jest.setTimeout(60_000);

const KEY = 'e'.repeat(64);

describe('AL-1 escalation with AL-6 the duty roster (real PostgreSQL + Redis)', () => {
  let harness: AlertsHarness;
  let app: NestExpressApplication;
  let ds: DataSource;
  let escalation: EscalationService;
  const keys = new TestKeys();
  // Friday 2026-11-20, 10:00 in Shanghai.
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const cityAdmin = () => keys.mint(staffPrincipal({ username: 'admin.city', roles: [Role.CITY_ADMIN], towns: ['*'] }), { now: clock.now() });
  const officer = (town: string) => keys.mint(staffPrincipal({ username: `officer.${town}`, roles: [Role.TOWN_OFFICER], towns: [town] }), { now: clock.now() });
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const SET = `mutation($input: SetDutyInput!) { setDuty(input: $input) { town { code } date role roleLabel staff setBy } }`;
  const setDuty = (token: string, input: Record<string, unknown>) => gql(token, SET, { input });
  const ALERT = `query($town: String) { alerts(town: $town, first: 50) { edges { node { id state escalationLevel escalations { level dutyDate dutyRole dutyRoleLabel onDuty townOnDuty } } } } }`;

  const raise = (colour: RiskColour, town = '104') =>
    ds.transaction(async (m) => {
      const alert = await harness.app.get(AlertsService).raise(m, { rule: 'CC-4.NOT_REPORTED', personKey: KEY, town, recordType: 'Subject', recordId: randomUUID(), colour });
      return alert!.id;
    });
  const nodesOf = (res: request.Response) => res.body.data.alerts.edges.map((e: { node: unknown }) => e.node);
  const alertRow = async (id: string) => (await ds.query(`SELECT state, escalation_level FROM alerts.alerts WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alerts-escalation', clock, keys });
    ({ app, dataSource: ds } = harness);
    escalation = app.get(EscalationService);
  });

  afterAll(async () => {
    await harness?.close();
  });

  describe('AL-6 the duty roster', () => {
    it('AL-6: CITY_ADMIN names the city command centre person and bureau head on duty; a town officer names its town person on duty; each is audited', async () => {
      const city = await setDuty(cityAdmin(), { date: '2026-11-20', role: 'DUTY_OFFICER', staff: 'duty.zhang' });
      expect(city.body.errors).toBeUndefined();
      expect(city.body.data.setDuty).toMatchObject({ town: null, date: '2026-11-20', role: 'DUTY_OFFICER', staff: 'duty.zhang', setBy: 'admin.city' });
      expect(city.body.data.setDuty.roleLabel).toMatch(/Person on duty \/ 值班人员/);
      expect((await setDuty(cityAdmin(), { date: '2026-11-20', role: 'BUREAU_HEAD', staff: 'head.li' })).body.errors).toBeUndefined();
      const town = await setDuty(officer('104'), { town: '104', date: '2026-11-20', role: 'DUTY_OFFICER', staff: 'duty.wang' });
      expect(town.body.errors).toBeUndefined();
      expect(town.body.data.setDuty).toMatchObject({ town: { code: '104' }, staff: 'duty.wang', setBy: 'officer.104' });
      const audit = await harness.db.query<{ entity_id: string; actor_id: string }>(
        `SELECT entity_id FROM audit.events WHERE action = 'alerts.roster.set' AND outcome = 'SUCCESS' ORDER BY id`,
      );
      expect(audit.map((a) => a.entity_id)).toEqual(['CITY:2026-11-20:DUTY_OFFICER', 'CITY:2026-11-20:BUREAU_HEAD', '104:2026-11-20:DUTY_OFFICER']);
    });

    it("AL-6: a town officer cannot name another town's or the city's person on duty, nor a town bureau head; nothing changes", async () => {
      const other = await setDuty(officer('104'), { town: '107', date: '2026-11-20', role: 'DUTY_OFFICER', staff: 'duty.zhao' });
      expect(other.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect(other.body.errors[0].message).toMatch(/not found \/ 未找到/);
      const city = await setDuty(officer('104'), { date: '2026-11-20', role: 'DUTY_OFFICER', staff: 'duty.zhao' });
      expect(city.body.errors[0].extensions.code).toBe('FORBIDDEN');
      const head = await setDuty(cityAdmin(), { town: '104', date: '2026-11-20', role: 'BUREAU_HEAD', staff: 'head.zhao' });
      expect(head.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(head.body.errors[0].message).toMatch(/bureau head .* \/ 带班局领导/);
      const badDate = await setDuty(cityAdmin(), { date: '2026-02-30', role: 'DUTY_OFFICER', staff: 'duty.zhao' });
      expect(badDate.body.errors).toBeDefined();
      const rows = await ds.query(`SELECT staff FROM alerts.duty_roster ORDER BY staff`);
      expect(rows.map((r: { staff: string }) => r.staff)).toEqual(['duty.wang', 'duty.zhang', 'head.li']);
    });

    it("AL-6: the roster read gives the city's entries and the caller's towns' only", async () => {
      await setDuty(officer('107'), { town: '107', date: '2026-11-20', role: 'DUTY_OFFICER', staff: 'duty.sun' });
      const q = `{ dutyRoster(from: "2026-11-19", to: "2026-11-21") { town { code } role staff } }`;
      const of104 = await gql(officer('104'), q);
      expect(of104.body.errors).toBeUndefined();
      expect(of104.body.data.dutyRoster.map((e: { staff: string }) => e.staff).sort()).toEqual(['duty.wang', 'duty.zhang', 'head.li']);
      const all = await gql(cityAdmin(), q);
      expect(all.body.data.dutyRoster.map((e: { staff: string }) => e.staff).sort()).toEqual(['duty.sun', 'duty.wang', 'duty.zhang', 'head.li']);
    });
  });

  describe('AL-1 escalation', () => {
    let orange: string;
    let acknowledged: string;

    it('AL-1/AL-2: an ORANGE alert is not escalated before its 4 hours are up', async () => {
      clock.set(new Date('2026-11-20T02:00:00Z'));
      orange = await raise(RiskColour.ORANGE);
      acknowledged = await raise(RiskColour.ORANGE);
      const ack = await gql(officer('104'), `mutation($id: ID!) { acknowledgeAlert(id: $id) { state } }`, { id: acknowledged });
      expect(ack.body.data.acknowledgeAlert.state).toBe('ACKNOWLEDGED');
      clock.set(new Date('2026-11-20T05:59:59.999Z'));
      expect(await escalation.sweep()).toBe(0);
      expect(await alertRow(orange)).toMatchObject({ state: 'OPEN', escalation_level: 0 });
    });

    it("AL-1/AL-6: at 4 hours it becomes ESCALATED to the city's person on duty (the town's recorded beside), audited; an acknowledged one is left alone", async () => {
      clock.set(new Date('2026-11-20T06:00:00Z'));
      expect(await escalation.sweep()).toBe(1);
      expect(await alertRow(orange)).toMatchObject({ state: 'ESCALATED', escalation_level: 1 });
      expect(await alertRow(acknowledged)).toMatchObject({ state: 'ACKNOWLEDGED', escalation_level: 0 });
      const res = await gql(officer('104'), ALERT, { town: '104' });
      expect(res.body.errors).toBeUndefined();
      const node = nodesOf(res).find((n: { id: string }) => n.id === orange);
      expect(node).toMatchObject({ state: 'ESCALATED', escalationLevel: 1 });
      expect(node.escalations).toEqual([
        { level: 1, dutyDate: '2026-11-20', dutyRole: 'DUTY_OFFICER', dutyRoleLabel: 'Person on duty / 值班人员', onDuty: 'duty.zhang', townOnDuty: 'duty.wang' },
      ]);
      const audit = await harness.db.query<{ details: Record<string, unknown> }>(`SELECT details FROM audit.events WHERE action = 'alerts.alert.escalate' AND entity_id = $1`, [orange]);
      expect(audit).toHaveLength(1);
      expect(audit[0].details).toMatchObject({ level: 1, onDuty: 'duty.zhang' });
      expect(await escalation.sweep()).toBe(0);
    });

    it('AL-6: still not acknowledged 4 hours later, it goes again to the bureau head on duty; then no further step', async () => {
      clock.set(new Date('2026-11-20T09:59:59.999Z'));
      expect(await escalation.sweep()).toBe(0);
      clock.set(new Date('2026-11-20T10:00:00Z'));
      expect(await escalation.sweep()).toBe(1);
      expect(await alertRow(orange)).toMatchObject({ state: 'ESCALATED', escalation_level: 2 });
      const res = await gql(cityAdmin(), ALERT);
      const node = nodesOf(res).find((n: { id: string }) => n.id === orange);
      expect(node.escalations[1]).toMatchObject({ level: 2, dutyRole: 'BUREAU_HEAD', onDuty: 'head.li', townOnDuty: null });
      clock.set(new Date('2026-11-21T10:00:00Z'));
      expect(await escalation.sweep()).toBe(0);
    });

    it('AL-1: an ESCALATED alert acknowledged by the person on duty goes no further', async () => {
      clock.set(new Date('2026-11-21T02:00:00Z'));
      const red = await raise(RiskColour.RED);
      clock.set(new Date('2026-11-21T03:00:00Z'));
      expect(await escalation.sweep()).toBe(1);
      const ack = await gql(cityAdmin(), `mutation($id: ID!) { acknowledgeAlert(id: $id) { state } }`, { id: red });
      expect(ack.body.data.acknowledgeAlert.state).toBe('ACKNOWLEDGED');
      clock.set(new Date('2026-11-21T05:00:00Z'));
      expect(await escalation.sweep()).toBe(0);
      const steps = await ds.query(`SELECT level, on_duty FROM alerts.alert_escalations WHERE alert_id = $1`, [red]);
      // Nobody is on the city roster for 2026-11-21: the step is still taken and says so.
      expect(steps).toEqual([{ level: 1, on_duty: null }]);
    });

    it('AL-2/AL-1: a YELLOW alert raised on a Friday escalates only after 3 working days (end of Wednesday)', async () => {
      clock.set(new Date('2026-11-27T02:00:00Z')); // Friday
      const yellow = await raise(RiskColour.YELLOW);
      clock.set(new Date('2026-12-02T15:59:59.000Z')); // Wednesday 23:59:59 Shanghai
      expect(await escalation.sweep()).toBe(0);
      expect(await alertRow(yellow)).toMatchObject({ state: 'OPEN' });
      clock.set(new Date('2026-12-02T16:00:00Z'));
      expect(await escalation.sweep()).toBe(1);
      expect(await alertRow(yellow)).toMatchObject({ state: 'ESCALATED', escalation_level: 1 });
    });
  });
});
