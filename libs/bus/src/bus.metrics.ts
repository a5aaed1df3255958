import { Counter, register } from 'prom-client';

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
