import { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Role, SentenceType, type EventEnvelope } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';

jest.setTimeout(60_000);

/** Issue 14 items 5 and 6 through the alerts subgraph: `busStatus` (root + alerts' own field) and its dead-letter mutation. */
describe('alerts: busStatus and dead-letter resolution (real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  let app: NestExpressApplication;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));

  const gql = (roles: Role[], query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${keys.mint(staffPrincipal({ roles, towns: ['*'], username: 'ops-admin' }), { now: clock.now() })}`)
      .send({ query, variables });

  const STATUS = `{ busStatus { id alerts { service outboxBacklog oldestUnrelayedAgeSeconds undelivered openDeadLetters
      deadLetters { id eventId eventName handler error attempts resolvedAt resolvedHow } queue { name waiting active delayed failed } } } }`;
  const RESOLVE = `mutation($id: ID!, $how: DeadLetterResolution!) { resolveAlertsDeadLetter(id: $id, how: $how) { id resolvedAt resolvedBy resolvedHow } }`;

  /** A dead letter of the alerts consumer for a real enrolment envelope (as the consumer writes it after the last attempt). */
  async function deadLetter(subjectId = randomUUID()): Promise<{ id: string; envelope: EventEnvelope<'correction.subject.enrolled'> }> {
    const envelope: EventEnvelope<'correction.subject.enrolled'> = {
      id: randomUUID(),
      name: 'correction.subject.enrolled',
      version: 1,
      occurredAt: clock.now().toISOString(),
      producer: 'community-correction',
      payload: {
        subjectId,
        personKey: 'b'.repeat(64),
        town: '104',
        sentenceType: SentenceType.PROBATION,
        judgmentEffectiveDate: '2026-11-20',
        reportDeadline: '2026-11-30',
        documentsDeadline: '2027-12-31',
      },
    };
    const id = randomUUID();
    await harness.db.query(
      `INSERT INTO alerts.bus_dead_letters (id, event_id, event_name, handler, payload, error, attempts)
       VALUES ($1, $2, $3, 'CorrectionEventsHandler.onEnrolled', $4::jsonb, 'Error: database was away\n    at stack', 5)`,
      [id, envelope.id, envelope.name, JSON.stringify(envelope)],
    );
    await harness.db.query(`INSERT INTO alerts.bus_inbox (event_id, handler, event_name) VALUES ($1, 'CorrectionEventsHandler.onEnrolled', $2)`, [
      envelope.id,
      envelope.name,
    ]);
    return { id, envelope };
  }

  const letter = async (id: string) => (await harness.db.query(`SELECT resolved_at, resolved_by, resolved_how FROM alerts.bus_dead_letters WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alerts-bus', clock, keys });
    ({ app } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('issue 14 item 5: the command centre (CITY_ADMIN) sees the alerts bus: backlog, oldest unrelayed age, open dead letters, queue depths', async () => {
    const { id, envelope } = await deadLetter();
    const res = await gql([Role.CITY_ADMIN], STATUS).expect(200);
    expect(res.body.errors).toBeUndefined();
    const bus = res.body.data.busStatus.alerts;
    expect(res.body.data.busStatus.id).toBe('bus');
    expect(bus).toMatchObject({ service: 'alerts', outboxBacklog: expect.any(Number), undelivered: expect.any(Number), openDeadLetters: 1 });
    expect(bus.deadLetters).toEqual([
      expect.objectContaining({ id, eventId: envelope.id, eventName: 'correction.subject.enrolled', error: 'Error: database was away', attempts: 5, resolvedAt: null }),
    ]);
    expect(bus.queue).toMatchObject({ name: 'events.alerts', waiting: expect.any(Number), delayed: expect.any(Number), failed: expect.any(Number) });
    // the payload (person keys) is not part of the view
    expect(JSON.stringify(res.body)).not.toContain('b'.repeat(64));
    await harness.db.query(`DELETE FROM alerts.bus_dead_letters WHERE id = $1`, [id]);
  });

  it.each([Role.TOWN_OFFICER, Role.SOCIAL_WORKER, Role.AUDITOR])('issue 14 item 5: %s gets a typed FORBIDDEN error and no bus data', async (role) => {
    const res = await gql([role], STATUS).expect(200);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.body.data?.busStatus?.alerts ?? null).toBeNull();
  });

  it('issue 14 item 6: a SYSTEM_ADMIN replays a dead letter through GraphQL: the enrolment is handled (CC-4 watch), the letter is REPLAYED and audited', async () => {
    const subjectId = randomUUID();
    const { id } = await deadLetter(subjectId);
    const res = await gql([Role.SYSTEM_ADMIN], RESOLVE, { id, how: 'REPLAYED' }).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.resolveAlertsDeadLetter).toMatchObject({ id, resolvedBy: 'ops-admin', resolvedHow: 'REPLAYED' });
    await eventually(
      () => harness.db.query(`SELECT 1 FROM alerts.watches WHERE record_id = $1 AND rule = 'CC-4.NOT_REPORTED'`, [subjectId]),
      (rows: unknown[]) => rows.length === 1,
    );
    const audit = await harness.db.query(`SELECT actor_roles, outcome, entity_id FROM audit.events WHERE action = 'alerts.dead-letter.replay' AND entity_id = $1`, [id]);
    expect(audit).toEqual([{ actor_roles: [Role.SYSTEM_ADMIN], outcome: 'SUCCESS', entity_id: id }]);
  });

  it('issue 14 item 6: discard by a SYSTEM_ADMIN is audited; a second resolution is a bilingual CONFLICT and changes nothing; a CITY_ADMIN is FORBIDDEN', async () => {
    const { id } = await deadLetter();
    const forbidden = await gql([Role.CITY_ADMIN], RESOLVE, { id, how: 'DISCARDED' }).expect(200);
    expect(forbidden.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await letter(id)).toEqual({ resolved_at: null, resolved_by: null, resolved_how: null });

    const discarded = await gql([Role.SYSTEM_ADMIN], RESOLVE, { id, how: 'DISCARDED' }).expect(200);
    expect(discarded.body.data.resolveAlertsDeadLetter).toMatchObject({ id, resolvedHow: 'DISCARDED' });
    const before = await letter(id);

    const again = await gql([Role.SYSTEM_ADMIN], RESOLVE, { id, how: 'REPLAYED' }).expect(200);
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(again.body.errors?.[0]?.message).toMatch(/already resolved.*已处理/);
    expect(await letter(id)).toEqual(before);
    const audit = await harness.db.query(`SELECT action FROM audit.events WHERE entity_id = $1 AND outcome = 'SUCCESS' ORDER BY id`, [id]);
    expect(audit).toEqual([{ action: 'alerts.dead-letter.discard' }]);

    const unknown = await gql([Role.SYSTEM_ADMIN], RESOLVE, { id: randomUUID(), how: 'DISCARDED' }).expect(200);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
