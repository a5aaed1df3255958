import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { EventEnvelope, EventName, EventPayloads } from '@homeward/domain';
import { queueNameOf } from '@homeward/bus';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../src/app.module';
import { AlertsConfig } from '../src/config';
import { DeadlinesService } from '../src/deadlines/deadlines.service';

export interface AlertsHarness extends ServiceApp<AlertsConfig> {
  deadlines: DeadlinesService;
  /** The BullMQ producer on the alerts queue (to add a hand-made envelope). */
  queue: Queue;
  /** Adds an envelope (producer community-correction, occurredAt = the clock) to the alerts queue; returns its id. */
  deliver<N extends EventName>(name: N, payload: EventPayloads[N]): Promise<string>;
}

/**
 * The alerts app for a medium test: fresh database and Redis prefix (`label`), the periodic
 * sweep effectively off (the tests call `deadlines.sweep()`), and a BullMQ producer on the
 * alerts queue. `close()` also closes the producer. `env` adds or overrides variables.
 */
export async function bootAlertsApp(opts: { label: string; clock: FixedClock; keys: TestKeys; env?: Record<string, string> }): Promise<AlertsHarness> {
  const svc = await bootServiceApp({
    name: 'alerts',
    appModule: (overrides) => AppModule.forRoot(overrides),
    config: AlertsConfig,
    keys: opts.keys,
    clock: opts.clock,
    prefix: testRedisPrefix(opts.label),
    // The sweep is called by the tests; the periodic one must not race them.
    env: { ALERT_SWEEP_INTERVAL_SECONDS: '3600', ...opts.env },
  });
  const queueConnection = new IORedis(svc.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(queueNameOf('alerts'), { connection: queueConnection, prefix: svc.prefix });
  let closed: Promise<void> | undefined;
  return {
    ...svc,
    deadlines: svc.app.get(DeadlinesService),
    queue,
    async deliver<N extends EventName>(name: N, payload: EventPayloads[N]): Promise<string> {
      const envelope: EventEnvelope<N> = { id: randomUUID(), name, version: 1, occurredAt: opts.clock.now().toISOString(), producer: 'community-correction', payload };
      await queue.add(name, envelope, { jobId: envelope.id, attempts: 3 });
      return envelope.id;
    },
    close(): Promise<void> {
      closed ??= (async () => {
        await queue.close();
        queueConnection.disconnect();
        await svc.close();
      })();
      return closed;
    },
  };
}
