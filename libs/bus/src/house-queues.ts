import { SERVICE_NAMES, eventsConsumedBy } from '@homeward/domain';
import { queueNameOf } from './bus.options';

/**
 * The queues of the house's periodic and delayed jobs (the apps define them; listed here so the operator
 * view finds them): alerts' deadline checks, key-person months, RS-9 outreach quarters, AL-1 escalation sweep and AL-4 daily check-ins, correction's
 * CC-11 sanction sweep, CC-12 silent-device check and CC-13 transfer sweep, resettlement's RS-13
 * information push, and the three workstreams' indicator snapshots for the town ranking (issue 11 item 6).
 */
export const JOB_QUEUES: readonly string[] = Object.freeze([
  'alerts.deadlines',
  'alerts.key-person-months',
  'alerts.escalations',
  'alerts.outreach-quarters',
  'alerts.daily-checkins',
  'correction.sanctions',
  'correction.monitoring',
  'correction.transfers',
  'correction.indicator-snapshots',
  'resettlement.push',
  'resettlement.indicator-snapshots',
  'aftercare.indicator-snapshots',
]);

/** Every BullMQ queue of the house: `events.<service>` for each service the catalogue gives events to consume, then {@link JOB_QUEUES}. */
export function houseQueueNames(): string[] {
  const consumers = SERVICE_NAMES.filter((s) => eventsConsumedBy(s).length > 0).map(queueNameOf);
  return [...consumers, ...JOB_QUEUES];
}
