import { Global, Injectable, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventEnvelope, ServiceName } from '@homeward/domain';
import { AlertsTestHandlers, BusTestWorld, enrolledPayload, noopHandlersFor, waitFor } from '../test/bus-harness';
import { BusModule } from './bus.module';
import { EventPublisher } from './event-publisher';
import { OnEvent } from './on-event.decorator';

jest.setTimeout(60_000);

/** Handles every alerts event but `correction.subject.reported`. */
@Injectable()
class IncompleteAlertsHandlers {
  @OnEvent('correction.subject.enrolled') async a(_e: EventEnvelope<'correction.subject.enrolled'>, _m: EntityManager): Promise<void> {}
  @OnEvent('correction.subject.activated') async b(_e: EventEnvelope<'correction.subject.activated'>, _m: EntityManager): Promise<void> {}
  @OnEvent('correction.subject.discharged') async c(_e: EventEnvelope<'correction.subject.discharged'>, _m: EntityManager): Promise<void> {}
  @OnEvent('correction.subject.terminated') async d(_e: EventEnvelope<'correction.subject.terminated'>, _m: EntityManager): Promise<void> {}
  @OnEvent('bus.event.dead-lettered') async e(_e: EventEnvelope<'bus.event.dead-lettered'>, _m: EntityManager): Promise<void> {}
}

@Injectable()
class SecondEnrolledHandler {
  @OnEvent('correction.subject.enrolled')
  async again(_e: EventEnvelope<'correction.subject.enrolled'>, _m: EntityManager): Promise<void> {}
}

@Injectable()
class AlertsHandlers extends AlertsTestHandlers {}

/** Whatever the producer service consumes itself (the catalogue decides). */
const ProducerHandlers = noopHandlersFor('community-correction');

describe(BusModule.name, () => {
  const world = new BusTestWorld();
  const opened: TestingModule[] = [];

  beforeAll(() => world.setUp());
  afterEach(async () => {
    for (const app of opened.splice(0)) await app.close();
    await world.stopAll();
  });
  afterAll(() => world.tearDown());

  /** Stands in for TypeOrmModule, which makes `DataSource` injectable app-wide (global). */
  function database(): DynamicModule {
    @Global()
    @Module({})
    class TestDatabaseModule {}
    return { module: TestDatabaseModule, providers: [{ provide: DataSource, useValue: world.dataSource }], exports: [DataSource] };
  }

  async function boot(service: ServiceName, schema: string, providers: Provider[]): Promise<TestingModule> {
    @Module({ providers })
    class FeatureModule {}
    const app = await Test.createTestingModule({
      imports: [
        database(),
        BusModule.forService({
          service,
          schema,
          redisUrl: world.redisUrl,
          prefix: world.prefix,
          maxAttempts: 3,
          backoffDelayMs: 20,
          relayIntervalMs: 100,
          reconcileAfterMs: 300,
          completedRetentionSeconds: 3600,
        }),
        FeatureModule,
      ],
    }).compile();
    await app.init(); // on failure nothing was started (the check runs before any worker or relay)
    opened.push(app);
    return app;
  }

  it('issue 2 item 4: start-up fails when an event the service consumes has no handler', async () => {
    await expect(boot('alerts', 'alerts', [IncompleteAlertsHandlers])).rejects.toThrow(
      /Event bus start-up failed for service "alerts":[\s\S]*no handler for "correction.subject.reported"/,
    );
  });

  it('issue 2 item 4: start-up fails when an event has two handlers', async () => {
    await expect(boot('alerts', 'alerts', [AlertsHandlers, SecondEnrolledHandler])).rejects.toThrow(
      /2 handlers for "correction.subject.enrolled": AlertsHandlers.onEnrolled, SecondEnrolledHandler.again/,
    );
  });

  it('start-up fails when a handler is declared for an event the service does not consume', async () => {
    await expect(boot('resettlement', 'resettlement', [AlertsHandlers])).rejects.toThrow(
      /handler AlertsHandlers.onEnrolled for "correction.subject.enrolled", which the catalogue does not list "resettlement" as consuming/,
    );
  });

  it('a producer app and a consumer app wired by BusModule deliver an event end to end and shut down gracefully', async () => {
    const consumerApp = await boot('alerts', 'alerts', [AlertsHandlers]);
    const producerApp = await boot('community-correction', 'correction', [ProducerHandlers]);
    const handlers = consumerApp.get(AlertsHandlers);
    const publisher = producerApp.get(EventPublisher);
    const envelope = await world.dataSource.transaction((m) =>
      publisher.publish(m, 'correction.subject.enrolled', enrolledPayload('00000000-0000-4000-8000-000000000031')),
    );
    expect(envelope).toMatchObject({ name: 'correction.subject.enrolled', version: 1, producer: 'community-correction' });
    await waitFor('delivered through the modules', async () => (await world.effects(envelope.id)).length === 1);
    expect(handlers.calls.get(envelope.id)).toBe(1);
    await producerApp.close();
    await consumerApp.close();
    opened.splice(0);
  });

  it('graceful shutdown: closing the app waits for the running handler, whose transaction commits', async () => {
    const consumerApp = await boot('alerts', 'alerts', [AlertsHandlers]);
    const producerApp = await boot('community-correction', 'correction', [ProducerHandlers]);
    const handlers = consumerApp.get(AlertsHandlers);
    handlers.delayMs = 700;
    const envelope = await world.dataSource.transaction((m) =>
      producerApp.get(EventPublisher).publish(m, 'correction.subject.enrolled', enrolledPayload('00000000-0000-4000-8000-000000000032')),
    );
    await waitFor('handler running', async () => handlers.calls.has(envelope.id));
    expect(await world.effects(envelope.id)).toEqual([]); // not committed yet
    await consumerApp.close();
    expect(await world.effects(envelope.id)).toHaveLength(1);
    const [inbox] = await world.dataSource.query('SELECT handler FROM alerts.bus_inbox WHERE event_id = $1', [envelope.id]);
    expect(inbox).toEqual({ handler: 'AlertsHandlers.onEnrolled' });
    await producerApp.close();
    opened.splice(0);
  });
});
