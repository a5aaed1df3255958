import {
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { BUS_CLOCK, BUS_DATA_SOURCE, BUS_OPTIONS, resolveBusOptions, systemBusClock, type BusModuleOptions, type BusOptions } from './bus.options';
import { busStatus } from './bus-status';
import { DeadLetterRetention, DeadLetters, deadLetterRetentionDays } from './dead-letters';
import { registerBusStatusSource } from './bus.metrics';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { handlersOf, type BusHandler } from './on-event.decorator';
import { OutboxRelay } from './outbox-relay';

const BUS_RUN = Symbol('BUS_RUN');

interface BusRun {
  relay: boolean;
  worker: boolean;
}

/**
 * Finds the `@OnEvent` handlers among the app's providers, validates them against the catalogue
 * (start-up fails on a missing, duplicate or unexpected handler), starts the worker and the relay, and
 * drains both on shutdown (before TypeORM closes the DataSource).
 */
@Injectable()
export class BusRuntime implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('Bus');
  private consumer?: EventConsumer;
  private unregisterStatus?: () => void;
  private retention?: DeadLetterRetention;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(BUS_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
    @Inject(BUS_RUN) private readonly run: BusRun,
    private readonly publisher: EventPublisher,
    private readonly relay: OutboxRelay,
    private readonly deadLetters: DeadLetters,
  ) {}

  /** All `@OnEvent` handlers on singleton providers of the app. */
  discoverHandlers(): BusHandler[] {
    const handlers: BusHandler[] = [];
    const seen = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || seen.has(instance) || !wrapper.isDependencyTreeStatic()) continue;
      seen.add(instance);
      handlers.push(...handlersOf(instance));
    }
    return handlers;
  }

  onModuleInit(): void {
    this.consumer = new EventConsumer(this.dataSource, this.options, this.discoverHandlers(), this.publisher);
  }

  onApplicationBootstrap(): void {
    this.unregisterStatus = registerBusStatusSource(this.options.service, () => busStatus(this.dataSource, this.options.schema));
    if (this.run.worker) this.consumer?.start();
    if (this.run.relay) this.relay.start();
    if (this.run.relay) {
      // issue 14 item 6: resolved dead letters are purged like the outbox's delivered rows
      this.retention = new DeadLetterRetention(this.deadLetters, deadLetterRetentionDays());
      this.retention.start();
    }
    this.logger.log(
      `Bus ready for ${this.options.service}: worker ${this.run.worker && this.consumer?.hasWork ? 'on' : 'off'}, relay ${this.run.relay ? 'on' : 'off'}`,
    );
  }

  /** First step of a stop (before any module closes a connection): no new event, the running handlers finish. */
  async onModuleDestroy(): Promise<void> {
    await this.consumer?.drain();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unregisterStatus?.();
    await this.retention?.stop();
    await this.deadLetters.close();
    await this.relay.stop();
    await this.consumer?.close();
  }
}

/**
 * The event bus of one service: `BusModule.forService({ service: 'alerts', schema: 'alerts' })`.
 * Global: `EventPublisher` can be injected anywhere in the app. Needs a TypeORM `DataSource` provider
 * (or `dataSource` token) and, optionally, a clock token (`clock: Clock` from platform).
 */
@Module({})
export class BusModule {
  static forService(options: BusModuleOptions): DynamicModule {
    const { relay = true, worker = true, clock, dataSource, ...input } = options;
    const providers: Provider[] = [
      { provide: BUS_OPTIONS, useFactory: () => resolveBusOptions(input) },
      { provide: BUS_RUN, useValue: { relay, worker } satisfies BusRun },
      clock ? { provide: BUS_CLOCK, useExisting: clock } : { provide: BUS_CLOCK, useValue: systemBusClock },
      { provide: BUS_DATA_SOURCE, useExisting: dataSource ?? DataSource },
      EventPublisher,
      OutboxRelay,
      { provide: DeadLetters, useFactory: (ds: DataSource, o: BusOptions) => new DeadLetters(ds, o), inject: [BUS_DATA_SOURCE, BUS_OPTIONS] },
      BusRuntime,
    ];
    return {
      module: BusModule,
      global: true,
      imports: [DiscoveryModule],
      providers,
      exports: [EventPublisher, OutboxRelay, DeadLetters, BUS_OPTIONS],
    };
  }
}
