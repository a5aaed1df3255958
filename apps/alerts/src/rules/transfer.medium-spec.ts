import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventPayloads } from '@homeward/domain';
import { FixedClock, Principal } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { TRANSFERRED_OUT_NOTE } from './transfer.handler';

jest.setTimeout(60_000);

/** CC-13 (issue 7 item 9): alerts follow a change of residence, learnt from correction's event on the bus (BullMQ on real Redis). */
describe('alerts: CC-13 change of residence moves the alerts (real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-12-10T02:00:00Z'));
  const officer104 = staffPrincipal({ towns: ['104'], username: 'officer104' });
  const officer107 = staffPrincipal({ towns: ['107'], username: 'officer107' });

  const MOVED = 'a1'.repeat(32);
  const LEFT = 'b2'.repeat(32);
  const moved = randomUUID();
  const left = randomUUID();

  const alertsOf = (personKey: string) =>
    harness.db.query<{ rule: string; town: string; state: string; note: string | null }>(
      `SELECT rule, town, state, note FROM alerts.alerts WHERE person_key = $1 ORDER BY rule`,
      [personKey],
    );
  const watchesOf = (personKey: string) =>
    harness.db.query<{ rule: string; town: string; satisfied_at: Date | null }>(`SELECT rule, town, satisfied_at FROM alerts.watches WHERE person_key = $1 ORDER BY rule`, [personKey]);
  const listAs = async (who: Principal): Promise<string[]> => {
    const res = await request(harness.app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${keys.mint(who, { now: clock.now() })}`)
      .send({ query: `{ alerts(first: 50) { edges { node { id rule person { key } } } } }` })
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    return res.body.data.alerts.edges.map((e: { node: { person: { key: string } | null } }) => e.node.person?.key);
  };
  const transferred = (subjectId: string, personKey: string, over: Partial<EventPayloads['correction.subject.transferred']>): EventPayloads['correction.subject.transferred'] => ({
    transferId: randomUUID(),
    leaveId: randomUUID(),
    subjectId,
    personKey,
    town: '107',
    fromTown: '104',
    toTown: '107',
    receivingCountyCode: null,
    effectiveDate: '2026-12-10',
    ...over,
  });

  /** An open RED lost-contact alert and a pending leave-overstayed watch (leave ending `endDate`), both in 104. */
  async function openCase(subjectId: string, personKey: string, endDate: string): Promise<void> {
    await harness.deliver('correction.subject.absconded', { subjectId, personKey, town: '104', lostContactOn: '2026-12-09' });
    await harness.deliver('correction.leave.approved', { leaveId: randomUUID(), subjectId, personKey, town: '104', kind: 'LEAVE', startDate: '2026-12-11', endDate });
    await eventually(() => alertsOf(personKey), (r) => r.length === 1);
    await eventually(() => watchesOf(personKey), (r) => r.length === 1);
  }

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'al-cc13', clock, keys });
    await openCase(moved, MOVED, '2026-12-12');
    await openCase(left, LEFT, '2026-12-20');
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('CC-13: within Jiangyin the open alert and the pending watch move to the new town; its officer sees the alert, the old one no longer does', async () => {
    expect(await listAs(officer104)).toContain(MOVED);
    await harness.deliver('correction.subject.transferred', transferred(moved, MOVED, {}));
    await eventually(() => alertsOf(MOVED), (r) => r[0]?.town === '107');
    expect(await alertsOf(MOVED)).toEqual([{ rule: 'CC-2.LOST_CONTACT', town: '107', state: 'OPEN', note: null }]);
    expect(await watchesOf(MOVED)).toEqual([{ rule: 'CC-13.LEAVE_OVERSTAYED', town: '107', satisfied_at: null }]);
    expect(await listAs(officer107)).toContain(MOVED);
    expect(await listAs(officer104)).not.toContain(MOVED);
    // The watch fires in the new town.
    clock.set(new Date('2026-12-12T16:00:00Z'));
    await harness.deadlines.sweep();
    expect((await alertsOf(MOVED)).find((a) => a.rule === 'CC-13.LEAVE_OVERSTAYED')).toMatchObject({ town: '107', state: 'OPEN' });
    const [{ n }] = await harness.db.query<{ n: string }>(`SELECT count(*) AS n FROM audit.events WHERE action = 'alerts.transfer.move' AND person_key = $1`, [MOVED]);
    expect(Number(n)).toBe(1);
  });

  it('CC-13: out of Jiangyin the open alerts are resolved with a note and the watches settled: nothing fires for the other county\'s case', async () => {
    clock.set(new Date('2026-12-10T03:00:00Z'));
    await harness.deliver('correction.subject.transferred', transferred(left, LEFT, { town: '320282', toTown: null, receivingCountyCode: '320282' }));
    await eventually(() => alertsOf(LEFT), (r) => r[0]?.state === 'RESOLVED');
    expect(await alertsOf(LEFT)).toEqual([{ rule: 'CC-2.LOST_CONTACT', town: '104', state: 'RESOLVED', note: TRANSFERRED_OUT_NOTE }]);
    expect((await watchesOf(LEFT))[0].satisfied_at).not.toBeNull();
    clock.set(new Date('2026-12-20T16:00:00Z'));
    await harness.deadlines.sweep();
    expect(await alertsOf(LEFT)).toHaveLength(1);
  });
});
