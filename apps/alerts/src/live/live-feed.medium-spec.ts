/**
 * Issue 11 item 3 (first step): AL-5 the live feed — a real graphql-ws client on the alerts app's
 * `/subscriptions` (what the gateway tunnels to): the token is checked on connect, an officer of 104
 * receives 104's alert within 1 s and never 107's, and changes (acknowledged) follow. The messages go
 * through Redis pub/sub. Real PostgreSQL + Redis.
 */
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Client } from 'graphql-ws';
import { Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { liveClients, within } from '../../test/live-client';
import { AlertsService } from '../alerts/alerts.service';
import { EscalationService } from '../escalation/escalation.service';

jest.setTimeout(60_000);

interface LiveAlert {
  id: string;
  kind: string;
  state: string;
  town: string | null;
  colour: string;
  ruleLabel: string;
}

describe('AL-5 the live feed over graphql-ws (real PostgreSQL + Redis)', () => {
  let harness: AlertsHarness;
  let url: string;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const officer = (town: string) => keys.mint(staffPrincipal({ username: `officer.${town}`, roles: [Role.TOWN_OFFICER], towns: [town] }), { now: clock.now() });

  const feeds = liveClients(() => url);
  const connect = feeds.connect;
  /** Subscribes and collects the messages; resolves once the server acknowledged the subscription's connection. */
  const subscribe = async (client: Client, query: string) => {
    const got: LiveAlert[] = [];
    const errors: unknown[] = [];
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    client.subscribe<{ alertRaised?: LiveAlert; alertChanged?: LiveAlert }>(
      { query },
      { next: (r) => r.data && got.push((r.data.alertRaised ?? r.data.alertChanged) as LiveAlert), error: (e) => errors.push(e), complete: () => undefined },
    );
    await connected;
    // The subscribe message follows the connection ack; give it a moment to register.
    await new Promise((r) => setTimeout(r, 100));
    return { got, errors };
  };
  const raise = (town: string) =>
    harness.dataSource.transaction(async (m) => (await harness.app.get(AlertsService).raise(m, { rule: 'CC-4.NOT_REPORTED', personKey: 'a'.repeat(64), town, recordType: 'Subject', recordId: randomUUID() }))!);

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alerts-live', clock, keys });
    await harness.app.listen(0, '127.0.0.1');
    const { port } = harness.app.getHttpServer().address() as AddressInfo;
    url = `ws://127.0.0.1:${port}/subscriptions`;
  });

  afterAll(async () => {
    await feeds.dispose();
    await harness?.close();
  });

  it("AL-5: an officer of 104 receives 104's alert within 1 s and never 107's", async () => {
    const { got } = await subscribe(connect(officer('104')), `subscription { alertRaised { id kind state town colour ruleLabel } }`);
    const other = await raise('107');
    const mine = await raise('104');
    const message = await within(() => got.find((m) => m.id === mine.id));
    expect(message).toMatchObject({ kind: 'RAISED', state: 'OPEN', town: '104', colour: 'ORANGE' });
    expect(message.ruleLabel).toMatch(/[\u4e00-\u9fff]/);
    await new Promise((r) => setTimeout(r, 200));
    expect(got.map((m) => m.id)).not.toContain(other.id);
  });

  it('AL-5: alertChanged follows an acknowledgement in the towns of the subscriber', async () => {
    const { got } = await subscribe(connect(officer('104')), `subscription { alertChanged { id kind state town } }`);
    const alert = await raise('104');
    await harness.app.get(AlertsService).acknowledge(staffPrincipal({ username: 'officer.104', roles: [Role.TOWN_OFFICER], towns: ['104'] }), alert.id);
    const acked = await within(() => got.find((m) => m.id === alert.id && m.kind === 'CHANGED'));
    expect(acked.state).toBe('ACKNOWLEDGED');
  });

  it('AL-5/AL-1: an ORANGE alert nobody acknowledged for 4 h shows on the feed as ESCALATED (clock moved, sweep run)', async () => {
    const { got } = await subscribe(connect(officer('104')), `subscription { alertChanged(towns: ["104"]) { id kind state town } }`);
    clock.set(new Date('2026-11-21T02:00:00Z'));
    const alert = await raise('104');
    clock.set(new Date('2026-11-21T06:00:00Z'));
    expect(await harness.app.get(EscalationService).sweep()).toBeGreaterThanOrEqual(1);
    const escalated = await within(() => got.find((m) => m.id === alert.id && m.kind === 'CHANGED'));
    expect(escalated.state).toBe('ESCALATED');
  });

  it("AL-5: a social worker receives its assigned person's alert and not another person's of the same town", async () => {
    const workerId = randomUUID();
    const assigned = 'b'.repeat(64);
    await harness.deliver('correction.assignment.changed', {
      assignmentId: randomUUID(),
      workerId,
      subjectId: randomUUID(),
      personKey: assigned,
      town: '104',
      assignedAt: clock.now().toISOString(),
      assignedBy: randomUUID(),
      endedAt: null,
      endedBy: null,
    });
    await eventually(() => harness.db.query(`SELECT 1 FROM alerts.case_assignments WHERE worker_id = $1`, [workerId]), (r) => r.length === 1);
    const worker = keys.mint(staffPrincipal({ sub: workerId, username: 'worker.104', roles: [Role.SOCIAL_WORKER], towns: ['104'] }), { now: clock.now() });
    const { got } = await subscribe(connect(worker), `subscription { alertRaised { id } }`);
    const notMine = await raise('104');
    const mine = await harness.dataSource.transaction(async (m) =>
      (await harness.app.get(AlertsService).raise(m, { rule: 'CC-4.NOT_REPORTED', personKey: assigned, town: '104', recordType: 'Subject', recordId: randomUUID() }))!,
    );
    await within(() => got.find((m) => m.id === mine.id));
    expect(got.map((m) => m.id)).not.toContain(notMine.id);
  });

  it('AL-5: a connection without a valid token is refused on connect (4403) and receives nothing', async () => {
    for (const token of [undefined, 'not-a-jwt', new TestKeys().mint(staffPrincipal({ towns: ['104'] }), { now: clock.now() })]) {
      const client = connect(token);
      const closed = new Promise<number>((resolve) => client.on('closed', (e) => resolve((e as { code: number }).code)));
      client.subscribe({ query: `subscription { alertRaised { id } }` }, { next: () => undefined, error: () => undefined, complete: () => undefined });
      expect(await closed).toBe(4403);
    }
  });
});
