import { eventsConsumedBy, type EventName } from '@homeward/domain';
import { BusSetupError, validateHandlers } from './handler-validation';
import { eventHandler, type BusHandler } from './on-event.decorator';

const noop = async (): Promise<void> => undefined;
const handler = (event: EventName, name = `H.${event}`): BusHandler => eventHandler(event, name, noop);

describe(validateHandlers.name, () => {
  /** One handler for every event the catalogue gives resettlement (CC-20's discharge among them). */
  const resettlementHandlers = (): BusHandler[] => eventsConsumedBy('resettlement').map((e) => handler(e));

  it('accepts exactly one handler per consumed event (resettlement consumes correction.subject.discharged, among others)', () => {
    const map = validateHandlers('resettlement', resettlementHandlers());
    expect([...map.keys()].sort()).toEqual([...eventsConsumedBy('resettlement')].sort());
    expect([...map.keys()]).toContain('correction.subject.discharged');
  });

  it('accepts no handlers for a service that consumes nothing', () => {
    expect(validateHandlers('identity', []).size).toBe(0);
  });

  it('issue 2 item 4: refuses a consumed event without a handler, naming it', () => {
    expect(() => validateHandlers('resettlement', [])).toThrow(/no handler for "correction.subject.discharged"/);
  });

  it('issue 2 item 4: refuses two handlers for one event, naming both', () => {
    expect(() =>
      validateHandlers('resettlement', [...resettlementHandlers().filter((h) => h.event !== 'correction.subject.discharged'), handler('correction.subject.discharged', 'A.x'), handler('correction.subject.discharged', 'B.y')]),
    ).toThrow(/2 handlers for "correction.subject.discharged": A.x, B.y/);
  });

  it('refuses a handler for an event the service does not consume', () => {
    expect(() =>
      validateHandlers('resettlement', [...resettlementHandlers(), handler('correction.subject.enrolled')]),
    ).toThrow(
      /does not list "resettlement" as consuming/,
    );
  });

  it('lists every problem at once in BusSetupError.problems', () => {
    let error: unknown;
    try {
      validateHandlers('alerts', [handler('correction.subject.enrolled', 'A'), handler('correction.subject.enrolled', 'B')]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BusSetupError);
    // every other event alerts consumes is missing, plus the one duplicate
    expect((error as BusSetupError).problems).toHaveLength(eventsConsumedBy('alerts').length - 1 + 1);
  });
});
