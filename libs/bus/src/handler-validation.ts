import { eventsConsumedBy, type EventName, type ServiceName } from '@homeward/domain';
import type { BusHandler } from './on-event.decorator';

/** Thrown at start-up when the handlers do not match the catalogue. */
export class BusSetupError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(message);
    this.name = 'BusSetupError';
  }
}

/**
 * Start-up check: every event the catalogue says `service` consumes has exactly one handler, and no handler
 * is declared for an event the service does not consume. Throws {@link BusSetupError} listing every problem.
 * Returns the handlers by event.
 */
export function validateHandlers(service: ServiceName, handlers: readonly BusHandler[]): Map<EventName, BusHandler> {
  const consumed = new Set<EventName>(eventsConsumedBy(service));
  const byEvent = new Map<EventName, BusHandler[]>();
  for (const h of handlers) byEvent.set(h.event, [...(byEvent.get(h.event) ?? []), h]);
  const problems: string[] = [];
  for (const event of consumed) {
    const found = byEvent.get(event) ?? [];
    if (found.length === 0) problems.push(`no handler for "${event}" (add @OnEvent('${event}') to a provider)`);
    if (found.length > 1) problems.push(`${found.length} handlers for "${event}": ${found.map((h) => h.name).join(', ')} (exactly one allowed)`);
  }
  for (const [event, found] of byEvent) {
    if (!consumed.has(event)) {
      problems.push(
        `handler ${found.map((h) => h.name).join(', ')} for "${event}", which the catalogue does not list "${service}" as consuming`,
      );
    }
  }
  if (problems.length > 0) {
    throw new BusSetupError(`Event bus start-up failed for service "${service}":\n  - ${problems.join('\n  - ')}`, problems);
  }
  return new Map([...byEvent].map(([event, [h]]) => [event, h]));
}
