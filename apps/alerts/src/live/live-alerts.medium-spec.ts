/**
 * Issue 11 item 3, AL-5: the alerts subgraph's own `subscription { alertChanged(towns) }` over graphql-ws
 * on `/graphql` — what Hive Gateway connects to (the gateway's end-to-end test is
 * test/command-centre.e2e-spec.ts). A real graphql-ws client; real PostgreSQL + Redis (the messages
 * go through Redis pub/sub).
 */
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Client } from 'graphql-ws';
import { Role } from '@homeward/domain';
import { FixedClock, Principal } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { liveClients, within } from '../../test/live-client';
import { AlertsService } from '../alerts/alerts.service';
import { EscalationService } from '../escalation/escalation.service';

jest.setTimeout(60_000);

interface AlertMessage {
  id: string;
  state: string;
  colour: string;
  ruleLabel: string;
  town: { code: string } | null;
  person: { key: string } | null;
}

const FIELDS = 'id state colour ruleLabel town { code } person { key }';

describe('AL-5 Subscription.alertChanged on the alerts subgraph (graphql-ws on /graphql, real PostgreSQL + Redis)', () => {
  let harness: AlertsHarness;
  let url: string;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const officerOf = (town: string): Principal => staffPrincipal({ username: `officer.${town}`, roles: [Role.TOWN_OFFICER], towns: [town] });
  const tokenOf = (p: Principal, expiresInSeconds = 900) => keys.mint(p, { now: clock.now(), expiresInSeconds });

  const feeds = liveClients(() => url);
  const connect = feeds.connect;
  /** Subscribes and collects messages and errors; resolves once the subscription is registered on the server. */
  const subscribe = async (client: Client, query: string, variables: Record<string, unknown> = {}) => {
    const got: AlertMessage[] = [];
    const errors: Array<{ message: string; extensions?: { code?: string } }> = [];
    let completed = false;
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    client.subscribe<{ alertChanged: AlertMessage }>(
      { query, variables },
      {
        next: (r) => {
          if (r.data?.alertChanged) got.push(r.data.alertChanged);
          if (r.errors) errors.push(...(r.errors as never[]));
        },
        error: (e) => errors.push(...(Array.isArray(e) ? e : [{ message: String((e as Error)?.message ?? e) }])),
        complete: () => (completed = true),
      },
    );
    await connected;
    await new Promise((r) => setTimeout(r, 150));
    return { got, errors, completed: () => completed };
  };
  const raise = (town: string, personKey = 'a'.repeat(64)) =>
    harness.dataSource.transaction(async (m) => (await harness.app.get(AlertsService).raise(m, { rule: 'CC-4.NOT_REPORTED', personKey, town, recordType: 'Subject', recordId: randomUUID() }))!);

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alerts-live-graphql', clock, keys });
    await harness.app.listen(0, '127.0.0.1');
    const { port } = harness.app.getHttpServer().address() as AddressInfo;
    url = `ws://127.0.0.1:${port}/graphql`;
  });

  afterAll(async () => {
    await feeds.dispose();
    await harness?.close();
  });

  it("AL-5: an officer of 104 receives 104's alert within 1 s, as the subgraph's Alert (Person and Town references for the gateway), and never 107's", async () => {
    const { got, errors } = await subscribe(connect(tokenOf(officerOf('104'))), `subscription { alertChanged { ${FIELDS} } }`);
    const other = await raise('107');
    const mine = await raise('104');
    const message = await within(() => got.find((m) => m.id === mine.id));
    expect(message).toMatchObject({ state: 'OPEN', colour: 'ORANGE', town: { code: '104' }, person: { key: 'a'.repeat(64) } });
    expect(message.ruleLabel).toMatch(/[\u4e00-\u9fff]/);
    await new Promise((r) => setTimeout(r, 300));
    expect(got.map((m) => m.id)).not.toContain(other.id);
    expect(errors).toEqual([]);
  });

  it('AL-5: every message delivered is audited as a read of the alert by the subscriber (via live-feed)', async () => {
    const { got } = await subscribe(connect(tokenOf(officerOf('104'))), `subscription { alertChanged { id } }`);
    const alert = await raise('104');
    await within(() => got.find((m) => m.id === alert.id));
    const rows = await harness.db.query<{ actor_id: string; actor_roles: string[]; details: Record<string, unknown> }>(
      `SELECT actor_id, actor_roles, details FROM audit.events WHERE action = 'alerts.alert.read' AND entity_id = $1`,
      [alert.id],
    );
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows[0].details).toMatchObject({ via: 'live-feed', kind: 'RAISED' });
    expect(rows[0].actor_roles).toEqual(['TOWN_OFFICER']);
  });

  it('AL-5/AL-1: an acknowledgement and a 4-hour escalation follow on the feed with the state as it is now; towns narrows the feed', async () => {
    const city = staffPrincipal({ username: 'admin.city', roles: [Role.CITY_ADMIN], towns: ['*'] });
    const only107 = await subscribe(connect(tokenOf(city, 24 * 3600)), `subscription($t: [String!]) { alertChanged(towns: $t) { id state town { code } } }`, { t: ['107'] });
    const all = await subscribe(connect(tokenOf(city, 24 * 3600)), `subscription { alertChanged { id state } }`);
    const acked = await raise('104');
    await harness.app.get(AlertsService).acknowledge(officerOf('104'), acked.id);
    expect((await within(() => all.got.find((m) => m.id === acked.id && m.state === 'ACKNOWLEDGED'))).state).toBe('ACKNOWLEDGED');
    clock.set(new Date('2026-11-20T03:00:00Z'));
    const late = await raise('107');
    clock.set(new Date('2026-11-20T07:00:00Z'));
    expect(await harness.app.get(EscalationService).sweep()).toBeGreaterThanOrEqual(1);
    expect(await within(() => only107.got.find((m) => m.id === late.id && m.state === 'ESCALATED'))).toMatchObject({ town: { code: '107' } });
    expect(only107.got.map((m) => m.id)).not.toContain(acked.id);
    clock.set(new Date('2026-11-20T02:00:00Z'));
  });

  it('AL-5: once the token has expired the feed ends with UNAUTHENTICATED instead of delivering', async () => {
    const feed = await subscribe(connect(tokenOf(officerOf('104'), 60)), `subscription { alertChanged { id } }`);
    clock.set(new Date('2026-11-20T02:05:00Z'));
    try {
      const alert = await raise('104');
      const error = await within(() => feed.errors[0], 2000);
      expect(error.extensions?.code ?? error.message).toMatch(/UNAUTHENTICATED|令牌/);
      expect(feed.got.map((m) => m.id)).not.toContain(alert.id);
    } finally {
      clock.set(new Date('2026-11-20T02:00:00Z'));
    }
  });

  it('AL-5: a socket without a valid token is refused on connect (4403), and the refusal is audited', async () => {
    for (const token of [undefined, 'not-a-jwt', new TestKeys().mint(officerOf('104'), { now: clock.now() })]) {
      const client = connect(token);
      const closed = new Promise<number>((resolve) => client.on('closed', (e) => resolve((e as { code: number }).code)));
      client.subscribe({ query: `subscription { alertChanged { id } }` }, { next: () => undefined, error: () => undefined, complete: () => undefined });
      expect(await closed).toBe(4403);
    }
    const denied = await harness.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'auth.unauthenticated' AND details->>'target' = 'graphql-ws /graphql'`);
    expect(denied[0].n).toBeGreaterThanOrEqual(3);
  });

  it('AL-5: a subscriber without a staff reader role is refused (FORBIDDEN), an unknown town is TOWN_UNKNOWN, and the armor (aliases) applies on the socket', async () => {
    const partner = await subscribe(connect(tokenOf(staffPrincipal({ username: 'ops', roles: [Role.SYSTEM_ADMIN], towns: [] }))), `subscription { alertChanged { id } }`);
    expect(await within(() => partner.errors[0])).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const unknown = await subscribe(connect(tokenOf(officerOf('104'))), `subscription { alertChanged(towns: ["999"]) { id } }`);
    expect((await within(() => unknown.errors[0])).extensions?.code).toBe('TOWN_UNKNOWN');
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: id`).join(' ');
    const bomb = await subscribe(connect(tokenOf(officerOf('104'))), `subscription { alertChanged { ${aliases} } }`);
    expect((await within(() => bomb.errors[0])).message).toMatch(/alias/i);
  });
});
