import { Inject, Injectable, Logger, Module, Optional, type DynamicModule, type InjectionToken, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import { BUS_OPTIONS, concurrencyOf, type BusOptions } from './bus.options';
import { drainWorker } from './drain';
import { KeptJobScheduler, registerSchedulerReadiness, type ReadinessRegistry } from './job-scheduler-keeper';
import { closeRedis, createBusRedis } from './redis-connection';

/** DI token of the readiness registry BusJobs reports its schedulers to (platform's ReadinessChecks). */
export const BUS_READINESS = Symbol('BUS_READINESS');

/** What a processor gets: the job's name, data and id. */
export type BusJobHandler = (job: Pick<Job, 'id' | 'name' | 'data'>) => Promise<unknown>;

export interface BusJobProcessor {
  queue: string;
  run: BusJobHandler;
  /** Jobs of this queue run at once in one process; default 1. BUS_QUEUE_CONCURRENCY's entry for the queue wins. */
  concurrency?: number;
}

export interface BusPeriodicJob {
  /** The queue whose processor runs the job (registered with `process`). */
  queue: string;
  /** Fixed scheduler id: one schedule across replicas. */
  schedulerId: string;
  jobName: string;
  everyMs: number;
  /** How often the scheduler's presence in Redis is checked (issue 14 item 3). */
  verifyEveryMs: number;
}

/**
 * The job-scheduler facility of the bus (issue 8 item 5): one per app, ONE Redis connection for its
 * queues and job schedulers (each worker's blocking connection is BullMQ's duplicate of it).
 *
 * - `process(queue, run)`: the worker of a queue; delayed jobs reach it through the outbox
 *   (`EventPublisher.scheduleJob` in the caller's transaction, added to BullMQ by the relay after commit).
 * - `every(...)`: a periodic job (KeptJobScheduler: re-registered after Redis loss, reported by readiness
 *   as `scheduler:<id>`).
 *
 * Register in the constructor or `onModuleInit` of a provider; BusJobs starts everything on application
 * bootstrap, drains the workers on module destroy (issue 14 item 7) and closes before shutdown.
 */
@Injectable()
export class BusJobs implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(BusJobs.name);
  private readonly processors = new Map<string, BusJobProcessor>();
  private readonly periodic: BusPeriodicJob[] = [];
  private connection?: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly schedulers: KeptJobScheduler[] = [];
  private started = false;

  constructor(
    @Inject(BUS_OPTIONS) private readonly options: Pick<BusOptions, 'service' | 'redisUrl' | 'prefix'> & Partial<Pick<BusOptions, 'queueConcurrency'>>,
    @Optional() @Inject(BUS_READINESS) private readonly readiness?: ReadinessRegistry,
  ) {}

  /** Registers the worker of `queue` (one per queue). */
  process(queue: string, run: BusJobHandler, opts: { concurrency?: number } = {}): void {
    this.assertNotStarted(`process(${queue})`);
    if (this.processors.has(queue)) throw new Error(`BusJobs: queue ${queue} already has a processor`);
    this.processors.set(queue, { queue, run, concurrency: opts.concurrency });
  }

  /** Registers a periodic job on a queue that has (or will have) a processor. */
  every(job: BusPeriodicJob): void {
    this.assertNotStarted(`every(${job.schedulerId})`);
    if (this.periodic.some((p) => p.schedulerId === job.schedulerId)) throw new Error(`BusJobs: scheduler ${job.schedulerId} registered twice`);
    this.periodic.push(job);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const p of this.periodic) {
      if (!this.processors.has(p.queue)) throw new Error(`BusJobs: scheduler ${p.schedulerId} on ${p.queue}, which has no processor`);
    }
    if (this.processors.size === 0) return;
    const connection = (this.connection = createBusRedis(this.options.redisUrl, `bus-jobs:${this.options.service}:${this.options.prefix}`));
    for (const p of this.periodic) {
      const scheduler = new KeptJobScheduler({
        queue: this.queueOf(p.queue),
        connection,
        schedulerId: p.schedulerId,
        everyMs: p.everyMs,
        jobName: p.jobName,
        verifyEveryMs: p.verifyEveryMs,
      });
      await scheduler.start();
      this.schedulers.push(scheduler);
      if (this.readiness) registerSchedulerReadiness(this.readiness, scheduler);
    }
    for (const p of this.processors.values()) {
      // issue 13 S1: the operator's BUS_QUEUE_CONCURRENCY entry for the queue, else the code's value
      const concurrency = concurrencyOf(this.options, p.queue, p.concurrency ?? 1);
      const worker = new Worker(p.queue, (job) => p.run(job), { connection, prefix: this.options.prefix, concurrency });
      worker.on('failed', (job, err) => this.logger.error(`${p.queue} job ${job?.name} ${job?.id} failed: ${err.message}`));
      worker.on('error', (err) => this.logger.warn(`${p.queue} worker: ${err.message}`));
      this.workers.push(worker);
    }
  }

  /** Graceful stop, first step: no new job; running ones finish (bounded) before connections close. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.map((w) => drainWorker(w, `${w.name} jobs`)));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    for (const s of this.schedulers.splice(0)) s.stop();
    await Promise.all(this.workers.splice(0).map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    if (this.connection) await closeRedis(this.connection);
    this.connection = undefined;
  }

  private queueOf(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection as Redis, prefix: this.options.prefix });
      queue.on('error', (err) => this.logger.warn(`Queue ${name}: ${err.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  private assertNotStarted(what: string): void {
    if (this.started) throw new Error(`BusJobs: ${what} after start`);
  }
}

/**
 * Provides the app's one {@link BusJobs} (global; needs `BusModule.forService` for the bus options):
 * `BusJobsModule.forRoot({ readiness: ReadinessChecks })` reports the periodic schedulers in `/health/ready`.
 */
@Module({})
export class BusJobsModule {
  static forRoot(options: { readiness?: InjectionToken } = {}): DynamicModule {
    return {
      module: BusJobsModule,
      global: true,
      // Without a registry BUS_READINESS is not provided at all (BusJobs injects it as optional).
      providers: options.readiness ? [BusJobs, { provide: BUS_READINESS, useExisting: options.readiness }] : [BusJobs],
      exports: [BusJobs],
    };
  }
}
