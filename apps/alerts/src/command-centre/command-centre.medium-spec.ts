/**
 * Issue 11 item 5: the command-centre view — open alerts by colour, state and town; overdue
 * acknowledgements; escalations today; the persons on duty; one alert with its timeline and its Person
 * reference. CITY_ADMIN sees every town, a town officer its own. Real PostgreSQL + Redis; the clock is moved.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { RiskColour, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { AlertsService } from '../alerts/alerts.service';
import { EscalationService } from '../escalation/escalation.service';

jest.setTimeout(60_000);

const KEY_104 = '1'.repeat(64);
const KEY_107 = '2'.repeat(64);

const VIEW = `query($town: String) { commandCentre(town: $town) {
  day towns { code }
  openCounts { town { code } colour state count }
  openByColour { colour colourLabel count }
  openByState { state stateLabel count }
  openByTown { town { code } count }
  overdueAcknowledgementCount overdueAcknowledgements { id colour state town { code } }
  escalationsToday { level onDuty townOnDuty dutyRole alert { id colour } }
  onDuty { town { code } role staff }
} }`;

describe('issue 11 item 5: the command-centre view (real PostgreSQL + Redis)', () => {
  let harness: AlertsHarness;
  let app: NestExpressApplication;
  const keys = new TestKeys();
  // Friday 2026-11-20, 10:00 in Shanghai.
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const cityAdmin = () => keys.mint(staffPrincipal({ username: 'admin.city', roles: [Role.CITY_ADMIN], towns: ['*'] }), { now: clock.now() });
  const officer = (town: string) => keys.mint(staffPrincipal({ username: `officer.${town}`, roles: [Role.TOWN_OFFICER], towns: [town] }), { now: clock.now() });
  const worker = () => keys.mint(staffPrincipal({ username: 'worker.104', roles: [Role.SOCIAL_WORKER], towns: ['104'] }), { now: clock.now() });
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const raise = (colour: RiskColour, town: string, personKey: string) =>
    harness.dataSource.transaction(async (m) => (await app.get(AlertsService).raise(m, { rule: 'CC-4.NOT_REPORTED', personKey, town, recordType: 'Subject', recordId: randomUUID(), colour }))!.id);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'al-centre', clock, keys });
    app = harness.app;
    const SET = `mutation($input: SetDutyInput!) { setDuty(input: $input) { staff } }`;
    for (const input of [
      { date: '2026-11-20', role: 'DUTY_OFFICER', staff: 'duty.zhang' },
      { town: '104', date: '2026-11-20', role: 'DUTY_OFFICER', staff: 'duty.wang' },
      { town: '107', date: '2026-11-20', role: 'DUTY_OFFICER', staff: 'duty.li' },
      { date: '2026-11-21', role: 'DUTY_OFFICER', staff: 'duty.tomorrow' },
    ]) {
      expect((await gql(cityAdmin(), SET, { input })).body.errors).toBeUndefined();
    }
    ids.red = await raise(RiskColour.RED, '104', KEY_104);
    ids.orange = await raise(RiskColour.ORANGE, '104', KEY_104);
    ids.yellow = await raise(RiskColour.YELLOW, '104', KEY_104);
    ids.other = await raise(RiskColour.ORANGE, '107', KEY_107);
    const done = await raise(RiskColour.BLUE, '104', KEY_104);
    await gql(officer('104'), `mutation($id: ID!) { acknowledgeAlert(id: $id) { id } }`, { id: ids.yellow });
    await gql(officer('104'), `mutation($id: ID!) { resolveAlert(id: $id, note: "已核实") { id } }`, { id: done });
    // 12:00: the RED one is 1 h past its response time and goes to the city's person on duty.
    clock.set(new Date('2026-11-20T04:00:00Z'));
    expect(await app.get(EscalationService).sweep()).toBe(1);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('issue 11 item 5: CITY_ADMIN sees the open alerts of every town by colour, state and town, the overdue, today\'s escalations and who is on duty', async () => {
    const res = await gql(cityAdmin(), VIEW);
    expect(res.body.errors).toBeUndefined();
    const v = res.body.data.commandCentre;
    expect(v.day).toBe('2026-11-20');
    expect(v.openByColour).toEqual([
      { colour: 'RED', colourLabel: expect.any(String), count: 1 },
      { colour: 'ORANGE', colourLabel: expect.any(String), count: 2 },
      { colour: 'YELLOW', colourLabel: expect.any(String), count: 1 },
      { colour: 'BLUE', colourLabel: expect.any(String), count: 0 },
    ]);
    expect(v.openByState.map((s: { state: string; count: number }) => [s.state, s.count])).toEqual([
      ['OPEN', 2],
      ['ESCALATED', 1],
      ['ACKNOWLEDGED', 1],
    ]);
    expect(v.openByTown).toEqual([
      { town: { code: '104' }, count: 3 },
      { town: { code: '107' }, count: 1 },
    ]);
    expect(v.openCounts).toEqual(
      expect.arrayContaining([
        { town: { code: '104' }, colour: 'RED', state: 'ESCALATED', count: 1 },
        { town: { code: '107' }, colour: 'ORANGE', state: 'OPEN', count: 1 },
      ]),
    );
    expect(v.overdueAcknowledgementCount).toBe(1);
    expect(v.overdueAcknowledgements).toEqual([{ id: ids.red, colour: 'RED', state: 'ESCALATED', town: { code: '104' } }]);
    expect(v.escalationsToday).toEqual([{ level: 1, onDuty: 'duty.zhang', townOnDuty: 'duty.wang', dutyRole: 'DUTY_OFFICER', alert: { id: ids.red, colour: 'RED' } }]);
    expect(v.onDuty).toEqual([
      { town: null, role: 'DUTY_OFFICER', staff: 'duty.zhang' },
      { town: { code: '104' }, role: 'DUTY_OFFICER', staff: 'duty.wang' },
      { town: { code: '107' }, role: 'DUTY_OFFICER', staff: 'duty.li' },
    ]);
    const audit = await harness.db.query<{ details: { personKeys: string[] } }>(`SELECT details FROM audit.events WHERE action = 'alerts.command-centre.read'`);
    expect(audit).toHaveLength(1);
    expect(audit[0].details.personKeys).toEqual([KEY_104]);
  });

  it("issue 11 item 5: at 14:01 the ORANGE ones are overdue too, most overdue first; an acknowledged one never is", async () => {
    clock.set(new Date('2026-11-20T06:01:00Z'));
    const v = (await gql(cityAdmin(), VIEW)).body.data.commandCentre;
    expect(v.overdueAcknowledgementCount).toBe(3);
    const overdue = v.overdueAcknowledgements.map((a: { id: string }) => a.id);
    expect(overdue[0]).toBe(ids.red); // due at 11:00; both ORANGE ones at 14:00
    expect(overdue.slice(1).sort()).toEqual([ids.orange, ids.other].sort());
  });

  it("issue 11 item 5: a town officer sees its town's part only; another town asked for gives an empty view; a social worker is refused", async () => {
    const mine = (await gql(officer('107'), VIEW)).body.data.commandCentre;
    expect(mine.towns).toEqual([{ code: '107' }]);
    expect(mine.openByTown).toEqual([{ town: { code: '107' }, count: 1 }]);
    expect(mine.escalationsToday).toEqual([]);
    expect(mine.overdueAcknowledgements.map((a: { id: string }) => a.id)).toEqual([ids.other]);
    expect(mine.onDuty.map((e: { staff: string }) => e.staff)).toEqual(['duty.zhang', 'duty.li']);
    const other = (await gql(officer('107'), VIEW, { town: '104' })).body.data.commandCentre;
    expect(other).toMatchObject({ towns: [], openCounts: [], overdueAcknowledgementCount: 0, escalationsToday: [] });
    expect((await gql(worker(), VIEW)).body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('AL-1 / issue 11 item 5: one alert has its timeline — raised, escalated to the person on duty, acknowledged by whom, resolved with a note — and its Person reference', async () => {
    clock.set(new Date('2026-11-20T06:30:00Z'));
    await gql(officer('104'), `mutation($id: ID!) { acknowledgeAlert(id: $id) { id } }`, { id: ids.red });
    clock.set(new Date('2026-11-20T07:00:00Z'));
    await gql(officer('104'), `mutation($id: ID!) { resolveAlert(id: $id, note: "已到场处置，对象已报到") { id } }`, { id: ids.red });
    const q = `query($id: ID!) { alert(id: $id) { id state person { key } timeline { kind kindLabel at by level note } } }`;
    const res = await gql(cityAdmin(), q, { id: ids.red });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.alert).toMatchObject({ id: ids.red, state: 'RESOLVED', person: { key: KEY_104 } });
    expect(res.body.data.alert.timeline).toEqual([
      { kind: 'RAISED', kindLabel: '产生', at: '2026-11-20T02:00:00.000Z', by: null, level: null, note: null },
      { kind: 'ESCALATED', kindLabel: '升级', at: '2026-11-20T04:00:00.000Z', by: 'duty.zhang', level: 1, note: null },
      { kind: 'ACKNOWLEDGED', kindLabel: '签收', at: '2026-11-20T06:30:00.000Z', by: 'officer.104', level: null, note: null },
      { kind: 'RESOLVED', kindLabel: '处置完毕', at: '2026-11-20T07:00:00.000Z', by: 'officer.104', level: null, note: '已到场处置，对象已报到' },
    ]);
    const read = await harness.db.query(`SELECT person_key FROM audit.events WHERE action = 'alerts.alert.read' AND entity_id = $1 AND outcome = 'SUCCESS'`, [ids.red]);
    expect(read).toEqual([{ person_key: KEY_104 }]);
  });

  it("issue 11 item 5: another town's officer asking for the alert gets NOT_FOUND, audited as denied", async () => {
    const denials = async () =>
      (await harness.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.events WHERE outcome = 'DENIED' AND actor_roles @> ARRAY['TOWN_OFFICER']`))[0].n;
    const before = await denials();
    const res = await gql(officer('107'), `query($id: ID!) { alert(id: $id) { id } }`, { id: ids.red });
    expect(res.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(res.body.data).toBeNull();
    expect(await denials()).toBe(before + 1);
  });
});
