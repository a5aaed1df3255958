import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@homeward/domain';
import { OnEvent, handlersOf } from './on-event.decorator';

class Base {
  seen: string[] = [];
  @OnEvent('correction.subject.discharged')
  async onDischarged(e: EventEnvelope<'correction.subject.discharged'>, _m: EntityManager): Promise<void> {
    this.seen.push(`base:${e.id}`);
  }
}

class Derived extends Base {
  @OnEvent('correction.subject.enrolled')
  async onEnrolled(e: EventEnvelope<'correction.subject.enrolled'>, _m: EntityManager): Promise<void> {
    this.seen.push(`derived:${e.id}`);
  }
}

class Plain {}

describe(handlersOf.name, () => {
  it('finds @OnEvent methods, names them Class.method and binds them to the instance', async () => {
    const base = new Base();
    const [h] = handlersOf(base);
    expect(h).toMatchObject({ event: 'correction.subject.discharged', name: 'Base.onDischarged' });
    await h.handle({ id: 'e1' } as EventEnvelope, {} as EntityManager);
    expect(base.seen).toEqual(['base:e1']);
  });

  it('includes inherited handlers without adding the subclass ones to the base class', () => {
    expect(handlersOf(new Derived()).map((h) => h.name).sort()).toEqual(['Derived.onDischarged', 'Derived.onEnrolled']);
    expect(handlersOf(new Base()).map((h) => h.name)).toEqual(['Base.onDischarged']);
  });

  it('returns nothing for a class without handlers', () => {
    expect(handlersOf(new Plain())).toEqual([]);
  });
});
