import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { EventEnvelope, EventPayloads, SentenceType } from '@homeward/domain';
import { queueNameOf } from '@homeward/bus';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, eventually, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../app.module';
import { ResettlementConfig } from '../config';

jest.setTimeout(60_000);

/** CC-20 hand-over: a discharged correction subject becomes an assistance case for N calendar years. */
describe('resettlement: CC-20 assistance case after discharge (real PostgreSQL + Redis + BullMQ)', () => {
  let svc: ServiceApp<ResettlementConfig>;
  let queue: Queue;
  let connection: IORedis;
  const clock = new FixedClock(new Date('2028-03-01T02:00:00Z'));

  beforeAll(async () => {
    svc = await bootServiceApp({
      name: 'resettlement',
      appModule: (overrides) => AppModule.forRoot(overrides),
      config: ResettlementConfig,
      keys: new TestKeys(),
      clock,
      prefix: testRedisPrefix('resettlement-cc20'),
    });
    connection = new IORedis(svc.redisUrl, { maxRetriesPerRequest: null });
    queue = new Queue(queueNameOf('resettlement'), { connection, prefix: svc.prefix });
  });

  afterAll(async () => {
    await queue?.close();
    connection?.disconnect();
    await svc?.close();
  });

  const discharge = async (dischargedOn: string): Promise<string> => {
    const payload: EventPayloads['correction.subject.discharged'] = {
      subjectId: randomUUID(),
      personKey: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      town: '104',
      dischargedOn,
      reason: 'EXPIRED',
      correctionEndDate: dischargedOn,
      sentenceType: SentenceType.PROBATION,
    };
    const envelope: EventEnvelope<'correction.subject.discharged'> = {
      id: randomUUID(),
      name: 'correction.subject.discharged',
      version: 1,
      occurredAt: clock.now().toISOString(),
      producer: 'community-correction',
      payload,
    };
    await queue.add(envelope.name, envelope, { jobId: envelope.id, attempts: 3 });
    return payload.subjectId;
  };

  const caseOf = async (subjectId: string) =>
    (
      await eventually(
        () => svc.dataSource.query(`SELECT start_date::text AS start, end_date::text AS "end" FROM resettlement.assistance_cases WHERE source_record_id = $1`, [subjectId]),
        (rows: unknown[]) => rows.length === 1,
      )
    )[0];

  it.each([
    // issue 7 item 8: 3 calendar years from 2028-03-01 end 2031-02-28 (365.25-day years gave 2031-03-01)
    ['2028-02-29', '2028-03-01', '2031-02-28'],
    ['2026-12-31', '2027-01-01', '2029-12-31'],
    ['2027-02-27', '2027-02-28', '2030-02-27'],
  ])('CC-20: discharged on %s → assistance from %s to %s (3 calendar years, the last day inclusive)', async (dischargedOn, start, end) => {
    const subjectId = await discharge(dischargedOn);
    expect(await caseOf(subjectId)).toEqual({ start, end });
  });
});
