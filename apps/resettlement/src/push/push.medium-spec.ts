/**
 * RS-13 information push against a REAL local HTTP receiver (node:http on a free port) that checks the
 * HMAC-SHA256 signature of every request: retries with backoff through the bus's job queue, the delivery
 * log, the dead letter and its redelivery, key rotation with a grace period, the payload's fields.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { DisputeCategory, Role, WelfareKind } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { FixedClock, type Principal } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, eventually, findClearPii, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../app.module';
import { AssistanceCase } from '../cases/assistance-case.entity';
import { ResettlementConfig } from '../config';
import { DisputesService } from '../disputes/disputes.service';
import { WelfareService } from '../welfare/welfare.service';
import { PushService } from './push.service';
import { PUSH_HEADERS, verifyPush } from './signing';

jest.setTimeout(120_000);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  accepted: boolean;
}

/** A department's receiver: verifies with the keys it holds; answers 503 on purpose the first `failFirst` times. */
class Receiver {
  readonly received: Received[] = [];
  keys = new Map<string, string>();
  failFirst = 0;
  /** Verified requests so far (the on-purpose failures count from these). */
  verifiedCount = 0;
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const ts = String(req.headers[PUSH_HEADERS.timestamp] ?? '');
        const header = String(req.headers[PUSH_HEADERS.signature] ?? '');
        const verified = [...this.keys].some(([kid, secret]) => verifyPush(header, kid, secret, ts, body));
        const failing = verified && this.verifiedCount++ < this.failFirst;
        const accepted = verified && !failing;
        this.received.push({ headers: req.headers, body, accepted });
        res.statusCode = !verified ? 401 : failing ? 503 : 200;
        res.end(accepted ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hook`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

describe('RS-13 information push: signed webhooks to a real receiver (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<ResettlementConfig>;
  let welfare: WelfareService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-05-10T02:00:00Z'));
  const cityAdmin = staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] });
  const officer = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] });
  const receivers: Receiver[] = [];

  const gql = (query: string, variables: Record<string, unknown> = {}, who: Principal = cityAdmin) =>
    request(svc.app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${keys.mint(who, { now: clock.now() })}`)
      .send({ query, variables });

  const receiver = async () => {
    const r = await new Receiver().start();
    receivers.push(r);
    return r;
  };

  const subscribe = async (r: Receiver, kinds: string[], department = 'CIVIL_AFFAIRS') => {
    const res = await gql(
      `mutation($input: CreatePushSubscriberInput!) { createPushSubscriber(input: $input) { keyId secret subscriber { id kinds } } }`,
      { input: { department, label: `${department} 测试`, endpointUrl: r.url, kinds } },
    );
    expect(res.body.errors).toBeUndefined();
    const out = res.body.data.createPushSubscriber as { keyId: string; secret: string; subscriber: { id: string } };
    r.keys.set(out.keyId, out.secret);
    return out;
  };

  const deliveries = async (subscriberId: string, status?: string, who: Principal = cityAdmin) => {
    const res = await gql(
      `query($s: ID, $st: String) { pushDeliveries(subscriberId: $s, status: $st) { id kind status attempts lastError payload log { attempt statusCode durationMs error keyIds } } }`,
      { s: subscriberId, st: status ?? null },
      who,
    );
    expect(res.body.errors).toBeUndefined();
    return res.body.data.pushDeliveries as Array<{ id: string; kind: string; status: string; attempts: number; lastError: string | null; payload: string; log: Array<{ attempt: number; statusCode: number | null; durationMs: number; error: string | null; keyIds: string }> }>;
  };

  const newCase = () =>
    svc.dataSource.getRepository(AssistanceCase).save({
      personKey: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      town: '104',
      source: 'PRISON_RELEASE',
      sourceRecordId: randomUUID(),
      startDate: '2027-03-01',
      endDate: '2032-02-29',
      status: 'ACTIVE',
    });

  beforeAll(async () => {
    svc = await bootServiceApp({
      name: 'resettlement',
      appModule: (o) => AppModule.forRoot(o),
      config: ResettlementConfig,
      keys,
      clock,
      prefix: testRedisPrefix('rs-push'),
      env: { PUSH_MAX_ATTEMPTS: '3', PUSH_BACKOFF_BASE_MS: '100', PUSH_TIMEOUT_MS: '2000', PUSH_KEY_GRACE_HOURS: '72' },
    });
    welfare = svc.app.get(WelfareService);
  });
  afterAll(async () => {
    await svc?.close();
    await Promise.all(receivers.map((r) => r.stop()));
  });

  it('RS-13: a welfare referral reaches the receiver signed; it fails twice on purpose, the third attempt succeeds; the log shows all three; the body carries only the allowed fields', async () => {
    const r = await receiver();
    r.failFirst = 2;
    const { subscriber } = await subscribe(r, ['WELFARE_REFERRAL']);
    const kase = await newCase();
    const referral = await welfare.refer(officer, kase.id, WelfareKind.EDUCATION, '张三家庭困难 320281199001011234');

    const [d] = await eventually(() => deliveries(subscriber.id), (rows) => rows[0]?.status === 'DELIVERED', { timeoutMs: 30_000 });
    expect(d.attempts).toBe(3);
    expect(d.log.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
      [1, 503, 'HTTP 503'],
      [2, 503, 'HTTP 503'],
      [3, 200, null],
    ]);
    expect(d.log.every((a) => a.durationMs >= 0 && a.keyIds === 'k1')).toBe(true);
    expect(r.received.map((x) => x.accepted)).toEqual([false, false, true]);

    const body = JSON.parse(r.received[2].body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['caseId', 'deliveryId', 'eventId', 'kind', 'occurredAt', 'personKey', 'referralId', 'referredOn', 'town', 'welfareKind'].sort());
    expect(body).toMatchObject({ kind: 'WELFARE_REFERRAL', deliveryId: d.id, referralId: referral.id, caseId: kase.id, personKey: kase.personKey, town: '104', welfareKind: 'EDUCATION', referredOn: '2027-05-10' });
    // Neither the note nor anything in it (a name, an ID number) leaves the house.
    expect(r.received.some((x) => /张三|320281199001011234/.test(x.body))).toBe(false);
    expect(r.received[2].headers[PUSH_HEADERS.keyId]).toBe('k1');
    expect(r.received[2].headers[PUSH_HEADERS.timestamp]).toBe(String(Math.floor(clock.now().getTime() / 1000)));
  });

  it('RS-13: a receiver that always fails → DEAD after the last attempt, listed as a dead letter; redeliver after it is fixed → DELIVERED; both audited', async () => {
    const r = await receiver();
    r.failFirst = 1_000;
    const { subscriber } = await subscribe(r, ['HARDSHIP', 'HEALTH']);
    const kase = await newCase();
    await welfare.refer(officer, kase.id, WelfareKind.MINIMUM_LIVING_ALLOWANCE);

    const [dead] = await eventually(() => deliveries(subscriber.id, 'DEAD'), (rows) => rows.length > 0, { timeoutMs: 30_000 });
    expect(dead).toMatchObject({ kind: 'HARDSHIP', status: 'DEAD', attempts: 3, lastError: 'HTTP 503' });
    expect(r.received).toHaveLength(3);
    // A subsistence referral is hardship, not health: no HEALTH delivery.
    expect((await deliveries(subscriber.id)).map((d) => d.kind)).toEqual(['HARDSHIP']);
    const systemAdmin = staffPrincipal({ roles: [Role.SYSTEM_ADMIN], towns: [] });
    // The system administrator operates the queue without seeing whom it concerns.
    const asSystem = await gql(`query($s: ID) { pushDeliveries(subscriberId: $s, status: "DEAD") { id status person { key } payload } }`, { s: subscriber.id }, systemAdmin);
    expect(asSystem.body.data.pushDeliveries).toEqual([{ id: dead.id, status: 'DEAD', person: null, payload: null }]);
    expect(JSON.parse(dead.payload)).toMatchObject({ kind: 'HARDSHIP', personKey: kase.personKey });
    // AL-7: operations hear of the failing webhook — subscriber, delivery and error, no person data.
    const failed = await svc.db.query<{ payload: Record<string, unknown> }>(`SELECT payload FROM resettlement.bus_outbox WHERE name = 'integration.delivery.failed' AND payload->>'deliveryId' = $1`, [dead.id]);
    expect(failed.map((f) => f.payload)).toEqual([
      { service: 'resettlement', integration: 'RS-13', subscriberId: subscriber.id, subscriber: expect.stringContaining('CIVIL_AFFAIRS'), deliveryId: dead.id, kind: 'HARDSHIP', attempts: 3, error: 'HTTP 503' },
    ]);
    expect(JSON.stringify(failed[0].payload)).not.toContain(kase.personKey);

    // Only a dead delivery can be redelivered (typed, bilingual), and only by the city / system administrators.
    const refused = await gql(`mutation($id: ID!) { redeliverPush(id: $id) { id } }`, { id: dead.id }, officer);
    expect(refused.body.data ?? null).toBeNull();

    r.failFirst = 0;
    r.verifiedCount = 0;
    const again = await gql(`mutation($id: ID!) { redeliverPush(id: $id) { id status } }`, { id: dead.id }, systemAdmin);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.redeliverPush.status).toBe('PENDING');
    const [done] = await eventually(() => deliveries(subscriber.id), (rows) => rows[0]?.status === 'DELIVERED', { timeoutMs: 30_000 });
    expect(done.log.map((a) => a.statusCode)).toEqual([503, 503, 503, 200]);
    expect((await deliveries(subscriber.id, 'DEAD')).length).toBe(0);

    const twice = await gql(`mutation($id: ID!) { redeliverPush(id: $id) { id } }`, { id: dead.id });
    expect(twice.body.errors[0].extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(twice.body.errors[0].message).toMatch(/only a dead-lettered delivery .* \/ .*重新投递/);

    const audited = await svc.db.query<{ action: string; actor_kind: string }>(
      `SELECT action, actor_kind FROM audit.events WHERE entity_id = $1 AND action LIKE 'resettlement.push.delivery.%'`,
      [dead.id],
    );
    expect(audited.map((a) => a.action).sort()).toEqual(['resettlement.push.delivery.dead-lettered', 'resettlement.push.delivery.redeliver']);
  });

  it('RS-13: key rotation: during the grace period both keys sign, so a receiver holding only the old or only the new key accepts; after it only the new key signs', async () => {
    const oldOnly = await receiver();
    const { subscriber, keyId: oldKid } = await subscribe(oldOnly, ['WELFARE_REFERRAL'], 'HUMAN_RESOURCES_SOCIAL_SECURITY');
    const rotated = await gql(`mutation($id: ID!) { rotatePushKey(subscriberId: $id) { keyId secret previousKeyValidUntil subscriber { id } } }`, { id: subscriber.id });
    expect(rotated.body.errors).toBeUndefined();
    const { keyId: newKid, secret: newSecret, previousKeyValidUntil } = rotated.body.data.rotatePushKey;
    expect(newKid).not.toBe(oldKid);
    expect(new Date(previousKeyValidUntil).getTime()).toBe(clock.now().getTime() + 72 * 3_600_000);

    const send = async () => {
      const before = oldOnly.received.length;
      await welfare.refer(officer, (await newCase()).id, WelfareKind.EDUCATION);
      await eventually(async () => oldOnly.received.length, (n) => n > before);
      return oldOnly.received[oldOnly.received.length - 1];
    };

    // Grace period: the old-key receiver accepts; the same request verifies with the new key alone too.
    const during = await send();
    expect(during.accepted).toBe(true);
    expect(during.headers[PUSH_HEADERS.keyId]).toBe(newKid);
    const ts = String(during.headers[PUSH_HEADERS.timestamp]);
    expect(verifyPush(String(during.headers[PUSH_HEADERS.signature]), newKid, newSecret, ts, during.body)).toBe(true);

    // The secret is stored encrypted, never in clear.
    const stored = await svc.db.query<{ secret_cipher: string }>(`SELECT secret_cipher FROM resettlement.push_signing_keys WHERE subscriber_id = $1`, [subscriber.id]);
    expect(stored).toHaveLength(2);
    expect(stored.some((s) => s.secret_cipher.includes('whsec_'))).toBe(false);
    expect(await findClearPii(svc.db.url, { newSecret, oldSecret: oldOnly.keys.get(oldKid) ?? '' })).toEqual([]);

    // After the grace period the old key no longer signs: the old-key receiver refuses (401), the new one accepts.
    clock.advance(73 * 3_600_000);
    try {
      const after = await send();
      expect(after.accepted).toBe(false);
      expect(String(after.headers[PUSH_HEADERS.signature])).not.toContain(`${oldKid}=`);
      expect(verifyPush(String(after.headers[PUSH_HEADERS.signature]), newKid, newSecret, String(after.headers[PUSH_HEADERS.timestamp]), after.body)).toBe(true);
    } finally {
      clock.advance(-73 * 3_600_000);
    }
  });

  it('RS-13: a key person\'s release is pushed to police; a general one is not; a paused subscription gets nothing', async () => {
    const police = await receiver();
    const { subscriber } = await subscribe(police, ['KEY_PERSON_RELEASE'], 'POLICE');
    const publisher = svc.app.get(EventPublisher);
    const released = (keyPerson: boolean) =>
      svc.dataSource.transaction((m) =>
        publisher.publish(m, 'resettlement.person.released', {
          releaseId: randomUUID(),
          personKey: randomUUID().replace(/-/g, '').padEnd(64, '0'),
          town: '104',
          releaseDate: '2027-05-09',
          keyPerson,
          pickUpDue: '2027-05-10',
          riskAssessmentDue: '2027-06-08',
          policeHandOverDue: '2027-05-16',
          caseId: randomUUID(),
        }),
      );
    await released(false);
    const key = await released(true);
    const [d] = await eventually(() => deliveries(subscriber.id), (rows) => rows[0]?.status === 'DELIVERED');
    const body = JSON.parse(police.received[0].body) as Record<string, unknown>;
    expect(body).toMatchObject({ kind: 'KEY_PERSON_RELEASE', eventId: key.id, releaseId: key.payload.releaseId, personKey: key.payload.personKey, policeHandOverDue: '2027-05-16' });
    expect(Object.keys(body).sort()).toEqual(['caseId', 'deliveryId', 'eventId', 'kind', 'occurredAt', 'personKey', 'policeHandOverDue', 'releaseDate', 'releaseId', 'town'].sort());
    expect(d.kind).toBe('KEY_PERSON_RELEASE');

    const paused = await gql(`mutation($id: ID!) { setPushSubscriberPaused(subscriberId: $id, paused: true) { paused } }`, { id: subscriber.id });
    expect(paused.body.data.setPushSubscriberPaused.paused).toBe(true);
    const third = await released(true);
    await eventually(() => svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.bus_inbox WHERE event_id = $1`, [third.id]), (rows) => rows[0].n > 0);
    expect((await deliveries(subscriber.id)).length).toBe(1);
    expect(police.received).toHaveLength(1);
  });

  it('RS-13: a pending delivery whose job Redis lost is queued again by the sweep and delivered', async () => {
    const r = await receiver();
    const { subscriber } = await subscribe(r, ['DISPUTE'], 'CIVIL_AFFAIRS');
    const personKey = 'a'.repeat(64);
    // A delivery as the trigger writes it, but without its job (as if Redis had lost it).
    const [row] = await svc.db.query<{ id: string }>(
      `INSERT INTO resettlement.push_deliveries (subscriber_id, kind, event_id, town, person_key, payload, status, next_attempt_at)
       VALUES ($1, 'DISPUTE', $2, '104', $3, $4, 'PENDING', $5) RETURNING id`,
      [subscriber.id, randomUUID(), personKey, JSON.stringify({ kind: 'DISPUTE', town: '104', personKey }), new Date(clock.now().getTime() - 10 * 60_000)],
    );
    const service = svc.app.get(PushService);
    expect(await service.sweep()).toBeGreaterThanOrEqual(1);
    const [d] = await eventually(() => deliveries(subscriber.id), (rows) => rows[0]?.status === 'DELIVERED');
    expect(d.id).toBe(row.id);
    expect(r.received.filter((x) => x.accepted)).toHaveLength(1);
    // Not overdue any more: the next sweep leaves it alone.
    expect(await service.sweep()).toBe(0);
  });

  it('RS-13: a dispute recorded on a case reaches a DISPUTE subscriber signed, carrying kind, town, personKey, case id, category and day only — never the summary; other kinds get nothing', async () => {
    const r = await receiver();
    const { subscriber } = await subscribe(r, ['DISPUTE'], 'CIVIL_AFFAIRS');
    const welfareOnly = await receiver();
    const { subscriber: welfareSubscriber } = await subscribe(welfareOnly, ['WELFARE_REFERRAL', 'HARDSHIP', 'HEALTH', 'KEY_PERSON_RELEASE'], 'HEALTH');
    const kase = await newCase();
    const dispute = await svc.app.get(DisputesService).record(officer, { caseId: kase.id, category: DisputeCategory.NEIGHBOURHOOD, occurredOn: '2027-05-09', summary: '与邻居王五争执 320281199001011234' });

    const [d] = await eventually(() => deliveries(subscriber.id), (rows) => rows[0]?.status === 'DELIVERED', { timeoutMs: 30_000 });
    expect(d).toMatchObject({ kind: 'DISPUTE', attempts: 1 });
    const [got] = r.received.filter((x) => x.accepted);
    expect(r.received).toHaveLength(1);
    // The receiver checked the signature; check it here too, with the key it holds.
    const [kid, secret] = [...r.keys][0];
    expect(verifyPush(String(got.headers[PUSH_HEADERS.signature]), kid, secret, String(got.headers[PUSH_HEADERS.timestamp]), got.body)).toBe(true);
    expect(verifyPush(String(got.headers[PUSH_HEADERS.signature]), kid, 'whsec_wrong', String(got.headers[PUSH_HEADERS.timestamp]), got.body)).toBe(false);

    const body = JSON.parse(got.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['caseId', 'category', 'deliveryId', 'disputeDate', 'eventId', 'kind', 'occurredAt', 'personKey', 'town'].sort());
    expect(body).toMatchObject({ kind: 'DISPUTE', deliveryId: d.id, town: '104', personKey: kase.personKey, caseId: kase.id, category: 'NEIGHBOURHOOD', disputeDate: '2027-05-09' });
    expect(got.body).not.toContain(dispute.id);
    expect(r.received.some((x) => /王五|320281199001011234|争执/.test(x.body))).toBe(false);
    expect(JSON.stringify(await deliveries(subscriber.id))).not.toMatch(/王五|320281199001011234/);
    // A department that did not subscribe to DISPUTE gets nothing of it.
    expect(await deliveries(welfareSubscriber.id)).toEqual([]);
    expect(welfareOnly.received).toHaveLength(0);
  });

  it('RS-13: subscriptions are the city office\'s: a town officer is refused; a bad endpoint is a typed bilingual error and nothing is stored', async () => {
    const asOfficer = await gql(`{ pushSubscribers { id } }`, {}, officer);
    expect(asOfficer.body.data ?? null).toBeNull();
    expect(asOfficer.body.errors[0].extensions.code).toMatch(/FORBIDDEN/);

    const before = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.push_subscribers`);
    const bad = await gql(`mutation($input: CreatePushSubscriberInput!) { createPushSubscriber(input: $input) { keyId } }`, {
      input: { department: 'HEALTH', label: '卫健委', endpointUrl: 'ftp://example.org/hook', kinds: ['HEALTH'] },
    });
    expect(bad.body.data ?? null).toBeNull();
    expect(bad.body.errors[0].extensions.code).toMatch(/VALIDATION|BAD_USER_INPUT/);
    expect(bad.body.errors[0].message).toMatch(/invalid \/ .*无效: endpointUrl/);
    const withCredentials = await gql(`mutation($input: CreatePushSubscriberInput!) { createPushSubscriber(input: $input) { keyId } }`, {
      input: { department: 'HEALTH', label: '卫健委', endpointUrl: 'https://user:pw@example.org/hook', kinds: ['HEALTH'] },
    });
    expect(withCredentials.body.errors[0].extensions).toMatchObject({ domainCode: 'VALIDATION_FAILED', field: 'endpointUrl' });
    expect(withCredentials.body.errors[0].message).toMatch(/without credentials \/ 接收地址须为不含凭据/);
    const after = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.push_subscribers`);
    expect(after[0].n).toBe(before[0].n);

    const list = await gql(`{ pushSubscribers { id department departmentLabel kindLabels keys { keyId current } } }`);
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data.pushSubscribers.length).toBe(before[0].n);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    const audited = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'resettlement.push.subscriber.create'`);
    expect(audited[0].n).toBe(before[0].n);
  });
});
