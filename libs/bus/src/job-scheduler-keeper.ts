import { Logger } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import type IORedis from 'ioredis';
import { Counter, register } from 'prom-client';

function restoredCounter(): Counter<string> {
  const name = 'homeward_job_schedulers_restored_total';
  return (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help: 'Repeatable job schedulers found missing in Redis and registered again', labelNames: ['scheduler', 'reason'] });
}

export interface KeptJobSchedulerOptions {
  queue: Queue;
  /** Fixed scheduler id (one schedule across replicas). */
  schedulerId: string;
  everyMs: number;
  jobName: string;
  jobOpts?: JobsOptions;
  /** The queue's Redis connection: a reconnect re-registers at once. */
  connection: IORedis;
  /** How often to check that the scheduler still exists in Redis (a wipe keeps the connection up). */
  verifyEveryMs: number;
}

/**
 * A BullMQ job scheduler that survives Redis loss (issue 14 item 3): registered at start, again
 * whenever the Redis connection comes back, and whenever the periodic check finds it missing
 * (a FLUSH or a restart without data keeps or restores the connection but loses the key).
 * `present()` feeds readiness.
 */
export class KeptJobScheduler {
  private readonly logger = new Logger(KeptJobScheduler.name);
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private everReady = false;
  private readonly onReady = (): void => {
    // The first 'ready' is the initial connect (start() registers); later ones are reconnects.
    if (!this.everReady) {
      this.everReady = true;
      return;
    }
    void this.ensure('reconnected');
  };

  constructor(private readonly options: KeptJobSchedulerOptions) {}

  async start(): Promise<void> {
    this.everReady = this.options.connection.status === 'ready';
    this.options.connection.on('ready', this.onReady);
    await this.upsert();
    this.timer = setInterval(() => void this.ensure('verify'), this.options.verifyEveryMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.options.connection.off('ready', this.onReady);
  }

  /** Registers the scheduler again when Redis lacks it; true when it had to. Never throws (Redis may be down). */
  async ensure(reason: string): Promise<boolean> {
    if (this.stopped) return false;
    try {
      const found = await this.options.queue.getJobScheduler(this.options.schedulerId);
      if (found) return false;
      await this.upsert();
      restoredCounter().inc({ scheduler: this.options.schedulerId, reason });
      this.logger.warn(`job scheduler ${this.options.schedulerId} was missing in Redis (${reason}); registered again`);
      return true;
    } catch (e) {
      this.logger.warn(`job scheduler ${this.options.schedulerId} could not be verified (${reason}): ${(e as Error).message}`);
      return false;
    }
  }

  /** Whether the scheduler exists in Redis now (false when Redis does not answer in `timeoutMs`). */
  async present(timeoutMs = 2_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const found = await Promise.race([
        this.options.queue.getJobScheduler(this.options.schedulerId),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
      ]);
      return Boolean(found);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  get id(): string {
    return this.options.schedulerId;
  }

  private async upsert(): Promise<void> {
    await this.options.queue.upsertJobScheduler(
      this.options.schedulerId,
      { every: this.options.everyMs },
      { name: this.options.jobName, opts: this.options.jobOpts ?? { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
}

/** What `registerSchedulerReadiness` needs from the platform's ReadinessChecks. */
export interface ReadinessRegistry {
  register(check: { name: string; critical: boolean; check(): Promise<{ ok: boolean; reason?: string }> }): void;
}

/** `/health/ready` reports `scheduler:<id>`: degraded (not down) while the scheduler is missing in Redis. */
export function registerSchedulerReadiness(readiness: ReadinessRegistry, scheduler: KeptJobScheduler): void {
  readiness.register({
    name: `scheduler:${scheduler.id}`,
    critical: false,
    check: async () => ((await scheduler.present()) ? { ok: true } : { ok: false, reason: `job scheduler ${scheduler.id} is missing in Redis (re-registered at the next check)` }),
  });
}
