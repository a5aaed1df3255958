import { Counter, Gauge, register } from 'prom-client';
import type { BusStatus } from './bus-status';

function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  const existing = register.getSingleMetric(name);
  if (existing) return existing as Counter<string>;
  return new Counter({ name, help, labelNames });
}

/** prom-client counters of the bus, in the default registry (served by platform's /metrics). */
export const busMetrics = {
  published: counter('homeward_bus_events_published_total', 'Events written to the outbox', ['service', 'event']),
  relayed: counter('homeward_bus_events_relayed_total', 'Event jobs added to BullMQ by the relay (incl. re-relays)', [
    'service',
    'event',
    'consumer',
  ]),
  handled: counter('homeward_bus_events_handled_total', 'Event deliveries handled by a consumer', ['service', 'event', 'outcome']),
  deadLettered: counter('homeward_bus_events_dead_lettered_total', 'Events dead-lettered after the last attempt', [
    'service',
    'event',
  ]),
};

/** Where the bus gauges read from: one entry per running BusRuntime (service → its outbox status). */
const statusSources = new Map<string, () => Promise<BusStatus>>();

function gauge(name: string, help: string, pick: (s: BusStatus) => number | null): void {
  if (register.getSingleMetric(name)) return;
  new Gauge({
    name,
    help,
    labelNames: ['service'],
    async collect() {
      this.reset();
      for (const [service, read] of statusSources) {
        try {
          const value = pick(await read());
          if (value !== null) this.set({ service }, value);
        } catch {
          // the database does not answer: no sample (the readiness check says why)
        }
      }
    },
  });
}

/**
 * The bus seen from outside (issue 14 item 5): gauges read from the outbox on every scrape of
 * `/metrics` — backlog, age of the oldest unrelayed event, relayed but unconfirmed, dead letters.
 */
export function registerBusStatusSource(service: string, read: () => Promise<BusStatus>): () => void {
  gauge('homeward_bus_outbox_pending', 'Outbox events not yet relayed to BullMQ', (s) => s.pending);
  gauge('homeward_bus_outbox_oldest_pending_age_seconds', 'Age of the oldest unrelayed outbox event (relay lag)', (s) => s.oldestPendingAgeSeconds ?? 0);
  gauge('homeward_bus_outbox_undelivered', 'Events relayed but not yet confirmed handled by every consumer', (s) => s.undelivered);
  gauge('homeward_bus_dead_letters', 'Dead letters recorded by this service', (s) => s.deadLetters);
  statusSources.set(service, read);
  return () => {
    if (statusSources.get(service) === read) statusSources.delete(service);
  };
}

const depthSources = new Map<string, () => Promise<Record<string, number>>>();

/** `homeward_bus_queue_jobs{queue,state}`: a consumer queue's jobs by state, read at scrape time (issue 14 item 5). */
export function registerQueueDepthSource(queue: string, read: () => Promise<Record<string, number>>): () => void {
  const name = 'homeward_bus_queue_jobs';
  if (!register.getSingleMetric(name)) {
    new Gauge({
      name,
      help: 'Jobs of a consumer queue by state (waiting, active, delayed, failed, completed)',
      labelNames: ['queue', 'state'],
      async collect() {
        this.reset();
        for (const [q, readCounts] of depthSources) {
          try {
            const counts = await Promise.race([readCounts(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_000).unref())]);
            for (const [state, n] of Object.entries(counts)) this.set({ queue: q, state }, n);
          } catch {
            // Redis does not answer: no sample
          }
        }
      },
    });
  }
  depthSources.set(queue, read);
  return () => {
    if (depthSources.get(queue) === read) depthSources.delete(queue);
  };
}
