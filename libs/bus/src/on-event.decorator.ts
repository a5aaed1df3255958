import 'reflect-metadata';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, EventName } from '@homeward/domain';

/** The signature of an event handler: runs inside the consumer's transaction (`manager`). */
export type EventHandlerFn<N extends EventName = EventName> = (envelope: EventEnvelope<N>, manager: EntityManager) => Promise<void>;

/** A handler the consumer can run: the event it handles, a stable name (inbox key), and the function. */
export interface BusHandler<N extends EventName = EventName> {
  event: N;
  /** Stable name recorded in the inbox, e.g. `EnrolmentAlerts.onEnrolled`. Renaming it re-runs old events. */
  name: string;
  handle(envelope: EventEnvelope<N>, manager: EntityManager): Promise<void>;
}

const ON_EVENT = Symbol('homeward:bus:on-event');

interface OnEventMetadata {
  event: EventName;
  method: string | symbol;
}

/**
 * Marks a provider method as the handler of one catalogue event:
 * `@OnEvent('correction.subject.enrolled') async onEnrolled(envelope, manager) { ... }`.
 * `BusModule.forService` finds it at start-up. The method must take `(EventEnvelope<N>, EntityManager)`.
 */
export function OnEvent<N extends EventName>(event: N) {
  return function <T extends EventHandlerFn<N>>(target: object, method: string | symbol, _descriptor: TypedPropertyDescriptor<T>): void {
    const ctor = target.constructor;
    const own: OnEventMetadata[] = Reflect.getOwnMetadata(ON_EVENT, ctor) ?? [...((Reflect.getMetadata(ON_EVENT, ctor) as OnEventMetadata[]) ?? [])];
    Reflect.defineMetadata(ON_EVENT, [...own, { event, method }], ctor);
  };
}

/** The `@OnEvent` handlers declared on an object's class (and its base classes), bound to the object. */
export function handlersOf(instance: object): BusHandler[] {
  const ctor = (instance as { constructor: Function }).constructor;
  const metadata = (Reflect.getMetadata(ON_EVENT, ctor) as OnEventMetadata[] | undefined) ?? [];
  return metadata.map(({ event, method }) => {
    const fn = (instance as Record<string | symbol, unknown>)[method];
    if (typeof fn !== 'function') throw new Error(`Bus: @OnEvent('${event}') on ${ctor.name}.${String(method)} is not a method`);
    return {
      event,
      name: `${ctor.name}.${String(method)}`,
      handle: (envelope: EventEnvelope, manager: EntityManager) => (fn as EventHandlerFn).call(instance, envelope, manager),
    };
  });
}

/** Builds a handler from a plain function (no decorator), e.g. for scripts and tests. */
export function eventHandler<N extends EventName>(event: N, name: string, handle: EventHandlerFn<N>): BusHandler<N> {
  return { event, name, handle };
}
