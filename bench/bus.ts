/**
 * Bus bench (issue 13 S1): `npm run bench:bus [-- --n 3000 --concurrency 4 --rounds 1]`.
 *
 * Needs only PostgreSQL (its own test database) and Redis (its own key prefix, removed at the end).
 * In one run, on the same Redis and database:
 * (a) raw BullMQ: `Queue.add` one job after another, and `addBulk` (in chunks of the relay's batch
 *     size, and in one call), N jobs each, with the job options the relay uses;
 * (b) relay: an N-row outbox backlog written with the real EventPublisher (`publishMany`, committed),
 *     drained by `OutboxRelay.runOnce()` → jobs/s and its ratio to `addBulk`;
 * (c) end to end: N committed outbox rows → relay + the real EventConsumer, whose handler inserts one
 *     row in the consumer's transaction (with its inbox, as production does), until the N effects are
 *     committed; beside a raw BullMQ Worker doing the same insert in one transaction per job at the
 *     same concurrency, its jobs added with addBulk (the time includes the adds) → events/s and ratio;
 * (d) Redis: used_memory and the number of keys under each part's prefix when it is done (what the
 *     completed jobs leave behind).
 * Each round does every part once, in that order (a raw addBulk right before the relay), with its own
 * key prefix; the shared 2-core machine is noisy, so the last column is the median of the rounds (of
 * each round's own ratio for the ratios). Options: `--batch N --lanes N` for the relay (default the bus's).
 * `--warmup N` (default 1) rounds run first and are not counted: in a cold process the first round
 * measured the relay's and the consumer's code before the JIT had compiled it, while the raw parts run
 * right before them had warmed BullMQ's (round 1 was the lowest ratio of 4 runs out of 4, 0.56–0.62).
 * Prints a table; writes bench/out/bus-<time>.json. Not part of CI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Queue, Worker, type JobsOptions } from 'bullmq';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { SentenceType, eventsConsumedBy, type EventEnvelope, type EventPayloads } from '@homeward/domain';
import {
  EventConsumer,
  EventPublisher,
  OutboxRelay,
  addDeadLetterResolution,
  addScheduledJobColumns,
  closeRedis,
  createBusRedis,
  createBusTables,
  eventHandler,
  resolveBusOptions,
  type BusOptions,
} from '@homeward/bus';
import { createTestDatabase, flushRedisPrefix, testRedisPrefix, testRedisUrl } from '@homeward/testing';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
}

function payload(i: number): EventPayloads['correction.subject.enrolled'] {
  return {
    subjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    personKey: 'a'.repeat(64),
    town: '104',
    sentenceType: SentenceType.PROBATION,
    judgmentEffectiveDate: '2025-03-03',
    reportDeadline: '2025-03-13',
    documentsDeadline: '2025-03-13',
  };
}

function secondsSince(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

async function keysUnder(redis: Redis, prefix: string): Promise<number> {
  let n = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

async function waitForCount(ds: DataSource, table: string, n: number, timeoutMs = 600_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [{ c }] = await ds.query(`SELECT count(*)::int AS c FROM ${table}`);
    if (c >= n) return;
    if (Date.now() > until) throw new Error(`timed out: ${c} of ${n} rows in ${table}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The job options the relay gives an event job (kept in step with OutboxRelay by hand; before issue 13 S1 completed jobs were kept a day). */
function relayJobOptions(options: BusOptions, jobId: string): JobsOptions {
  return {
    jobId,
    attempts: options.maxAttempts,
    backoff: { type: 'exponential', delay: options.backoffDelayMs },
    removeOnComplete: true,
    removeOnFail: { age: options.completedRetentionSeconds },
  };
}

interface Round {
  rawAddPerSecond: number;
  rawAddBulkPerSecond: number;
  rawAddBulkOneCallPerSecond: number;
  relayPerSecond: number;
  relayRatio: number;
  e2ePerSecond: number;
  rawWorkerPerSecond: number;
  e2eRatio: number;
  redis: Record<string, { usedMemoryDelta: number; keys: number }>;
}

async function main(): Promise<void> {
  const n = arg('n', 3000);
  const concurrency = arg('concurrency', 4);
  const rounds = arg('rounds', 5);
  const warmup = arg('warmup', 1);
  // the relay's batch size and lanes: the bus defaults unless given
  const batchSize = process.argv.includes('--batch') ? arg('batch', 0) : undefined;
  const relayLanes = process.argv.includes('--lanes') ? arg('lanes', 0) : undefined;
  const redisUrl = testRedisUrl();
  const basePrefix = testRedisPrefix('bench-bus');
  const db = await createTestDatabase();
  const ds = new DataSource({ type: 'postgres', url: db.url, synchronize: false, extra: { max: concurrency * 2 + 4 } });
  await ds.initialize();
  const admin = createBusRedis(redisUrl, 'bench-bus-admin');
  const usedMemoryAtStart = await usedMemory(admin);
  const results: Round[] = [];
  const options0 = (): BusOptions => resolveBusOptions({ service: 'community-correction', schema: 'correction', batchSize, relayLanes });
  try {
    const qr = ds.createQueryRunner();
    for (const schema of ['correction', 'alerts']) {
      await qr.query(`CREATE SCHEMA ${schema}`);
      await createBusTables(qr, schema);
      await addScheduledJobColumns(qr, schema);
      await addDeadLetterResolution(qr, schema);
    }
    await qr.query(`CREATE TABLE alerts.effects (id bigserial PRIMARY KEY, event_id uuid NOT NULL, event_name text NOT NULL)`);
    await qr.query(`CREATE TABLE alerts.raw_effects (id bigserial PRIMARY KEY, event_id uuid NOT NULL, event_name text NOT NULL)`);
    await qr.release();

    for (let round = 1; round <= warmup + rounds; round += 1) {
      await ds.query(`TRUNCATE correction.bus_outbox, alerts.bus_outbox, alerts.bus_inbox, alerts.effects, alerts.raw_effects`);
      const prefix = `${basePrefix}:r${round}`;
      const redis: Round['redis'] = {};
      const options = (part: string): BusOptions =>
        resolveBusOptions({ service: 'community-correction', schema: 'correction', redisUrl, prefix: `${prefix}:${part}`, concurrency, batchSize, relayLanes });
      const envelopes: EventEnvelope[] = Array.from({ length: n }, (_, i) => ({
        id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
        name: 'correction.subject.enrolled',
        version: 1,
        occurredAt: new Date().toISOString(),
        producer: 'community-correction',
        payload: payload(i),
      }));
      const measureRedis = async (part: string, before: number): Promise<void> => {
        redis[part] = { usedMemoryDelta: (await usedMemory(admin)) - before, keys: await keysUnder(admin, `${prefix}:${part}`) };
      };

      // (a) raw BullMQ adds
      const rawConn = createBusRedis(redisUrl, 'bench-bus-raw');
      const o = options('raw');
      const rawAddPerSecond = await (async () => {
        const q = new Queue('bench.add', { connection: rawConn, prefix: o.prefix });
        const t0 = process.hrtime.bigint();
        for (const e of envelopes) await q.add(e.name, e, relayJobOptions(o, e.id));
        const rate = n / secondsSince(t0);
        await q.close();
        return rate;
      })();
      const bulk = async (queueName: string, chunk: number): Promise<number> => {
        const q = new Queue(queueName, { connection: rawConn, prefix: o.prefix });
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < n; i += chunk) {
          await q.addBulk(envelopes.slice(i, i + chunk).map((e) => ({ name: e.name, data: e, opts: relayJobOptions(o, e.id) })));
        }
        const rate = n / secondsSince(t0);
        await q.close();
        return rate;
      };
      const rawAddBulkOneCallPerSecond = await bulk('bench.add-bulk-one', n);
      // right before the relay's run, so machine noise hits both alike
      const before = await usedMemory(admin);
      const rawAddBulkPerSecond = await bulk('bench.add-bulk', o.batchSize);
      await measureRedis('raw', before);
      await closeRedis(rawConn);

      // (b) the relay draining an N-row backlog
      const relayOptions = options('relay');
      const publisher = new EventPublisher(relayOptions);
      await ds.transaction((m) => publisher.publishMany(m, 'correction.subject.enrolled', envelopes.map((_, i) => payload(i))));
      const relayBefore = await usedMemory(admin);
      const relay = new OutboxRelay(ds, relayOptions);
      const t1 = process.hrtime.bigint();
      const { relayed } = await relay.runOnce();
      const relayPerSecond = relayed / secondsSince(t1);
      await relay.stop();
      if (relayed !== n) throw new Error(`relay relayed ${relayed} of ${n}`);
      await measureRedis('relay', relayBefore);

      // (c) end to end: committed backlog → relay + EventConsumer → effects committed
      await ds.query(`TRUNCATE correction.bus_outbox`);
      const e2eProducer = options('e2e');
      const e2eConsumer = resolveBusOptions({ service: 'alerts', schema: 'alerts', redisUrl, prefix: e2eProducer.prefix, concurrency });
      const effect = async (e: EventEnvelope, m: import('typeorm').EntityManager): Promise<void> => {
        await m.query('INSERT INTO alerts.effects (event_id, event_name) VALUES ($1, $2)', [e.id, e.name]);
      };
      const handlers = eventsConsumedBy('alerts').map((event) => eventHandler(event, `BenchHandlers.${event}`, effect));
      await ds.transaction((m) => new EventPublisher(e2eProducer).publishMany(m, 'correction.subject.enrolled', envelopes.map((_, i) => payload(i))));
      const e2eBefore = await usedMemory(admin);
      const consumer = new EventConsumer(ds, e2eConsumer, handlers, new EventPublisher(e2eConsumer));
      const e2eRelay = new OutboxRelay(ds, e2eProducer);
      const t2 = process.hrtime.bigint();
      consumer.start();
      e2eRelay.start();
      await waitForCount(ds, 'alerts.effects', n);
      const e2ePerSecond = n / secondsSince(t2);
      await e2eRelay.stop();
      await consumer.close();
      await measureRedis('e2e', e2eBefore);
      const [{ inbox, distinct }] = await ds.query(
        `SELECT (SELECT count(*)::int FROM alerts.bus_inbox) AS inbox, (SELECT count(DISTINCT event_id)::int FROM alerts.effects) AS distinct`,
      );
      if (inbox !== n || distinct !== n) throw new Error(`end to end: ${inbox} inbox rows, ${distinct} distinct effects for ${n} events`);

      // (c') raw BullMQ worker, same insert, same concurrency; its jobs added with addBulk (included in the time)
      const rawE2e = options('raw-e2e');
      const workerConn = createBusRedis(redisUrl, 'bench-bus-raw-worker');
      const producerConn = createBusRedis(redisUrl, 'bench-bus-raw-producer');
      const rawBefore = await usedMemory(admin);
      const t3 = process.hrtime.bigint();
      const worker = new Worker(
        'bench.raw-worker',
        async (job) => {
          const e = job.data as EventEnvelope;
          await ds.transaction((m) => m.query('INSERT INTO alerts.raw_effects (event_id, event_name) VALUES ($1, $2)', [e.id, e.name]));
        },
        { connection: workerConn, prefix: rawE2e.prefix, concurrency },
      );
      const q = new Queue('bench.raw-worker', { connection: producerConn, prefix: rawE2e.prefix });
      for (let i = 0; i < n; i += rawE2e.batchSize) {
        await q.addBulk(
          envelopes.slice(i, i + rawE2e.batchSize).map((e) => ({ name: e.name, data: e, opts: relayJobOptions(rawE2e, e.id) })),
        );
      }
      await waitForCount(ds, 'alerts.raw_effects', n);
      const rawWorkerPerSecond = n / secondsSince(t3);
      await worker.close();
      await q.close();
      await closeRedis(workerConn);
      await closeRedis(producerConn);
      await measureRedis('raw-e2e', rawBefore);

      if (round > warmup) results.push({
        rawAddPerSecond,
        rawAddBulkPerSecond,
        rawAddBulkOneCallPerSecond,
        relayPerSecond,
        relayRatio: relayPerSecond / rawAddBulkPerSecond,
        e2ePerSecond,
        rawWorkerPerSecond,
        e2eRatio: e2ePerSecond / rawWorkerPerSecond,
        redis,
      });
      await flushRedisPrefix(redisUrl, prefix);
    }

    const f = (v: number) => Math.round(v).toLocaleString('en-US');
    const relayShape = options0();
    const lines = [`bus bench: ${n} events per part, relay batches of ${relayShape.batchSize} × ${relayShape.relayLanes ?? 1} lane(s), consumer concurrency ${concurrency}, ${rounds} round(s) after ${warmup} not counted`, '| measure | ' + results.map((_, i) => `round ${i + 1}`).join(' | ') + ' |', '|---|' + results.map(() => '---|').join('')];
    const median = (xs: number[]): number => {
      const sorted = [...xs].sort((a, b) => a - b);
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    };
    lines[1] = lines[1].replace(/ \|$/, ' | median |');
    lines[2] += '---|';
    const row = (label: string, pick: (r: Round) => number, fmt: (v: number) => string) =>
      lines.push(`| ${label} | ${results.map((r) => fmt(pick(r))).join(' | ')} | **${fmt(median(results.map(pick)))}** |`);
    const jobs = (v: number) => `${f(v)} jobs/s`;
    const events = (v: number) => `${f(v)} events/s`;
    const ratio = (v: number) => v.toFixed(2);
    row('raw BullMQ Queue.add, one by one', (r) => r.rawAddPerSecond, jobs);
    row(`raw BullMQ addBulk, one call of ${n}`, (r) => r.rawAddBulkOneCallPerSecond, jobs);
    row(`raw BullMQ addBulk, chunks of the relay's batch`, (r) => r.rawAddBulkPerSecond, jobs);
    row('relay draining the backlog', (r) => r.relayPerSecond, jobs);
    row('relay ÷ addBulk (same chunks)', (r) => r.relayRatio, ratio);
    row('end to end: outbox → relay → EventConsumer → effect', (r) => r.e2ePerSecond, events);
    row('raw BullMQ Worker, same insert (adds included)', (r) => r.rawWorkerPerSecond, events);
    row('end to end ÷ raw worker', (r) => r.e2eRatio, ratio);
    for (const part of ['raw', 'relay', 'e2e', 'raw-e2e']) {
      row(`Redis keys left by "${part}"`, (r) => r.redis[part].keys, f);
      row(`Redis used_memory Δ of "${part}"`, (r) => r.redis[part].usedMemoryDelta, (v) => `${(v / 1024 / 1024).toFixed(1)} MB`);
    }
    lines.push(`Redis used_memory at start ${(usedMemoryAtStart / 1024 / 1024).toFixed(1)} MB, at end ${((await usedMemory(admin)) / 1024 / 1024).toFixed(1)} MB (after removing this run's keys)`);
    process.stdout.write(`${lines.join('\n')}\n`);
    const out = path.join(__dirname, 'out');
    fs.mkdirSync(out, { recursive: true });
    const at = new Date().toISOString();
    const file = path.join(out, `bus-${at.replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify({ at, n, concurrency, batchSize: relayShape.batchSize, relayLanes: relayShape.relayLanes, rounds: results }, null, 2));
    process.stdout.write(`written ${file}\n`);
  } finally {
    await flushRedisPrefix(redisUrl, basePrefix).catch(() => undefined);
    await closeRedis(admin);
    await ds.destroy();
    await db.drop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
