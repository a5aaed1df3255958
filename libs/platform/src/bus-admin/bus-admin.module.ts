import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { Args, ID, Mutation, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { Role, eventsConsumedBy, type ServiceName } from '@homeward/domain';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { BusAdminService } from './bus-admin.service';
import { DeadLetterRetryHandler } from './dead-letter-retry.handler';
import { BusStatus, DeadLetterHow, DeadLetterType, ServiceBusStatus } from './bus-admin.types';

/** Who reads busStatus (the command centre) and who resolves dead letters. */
export const BUS_STATUS_READERS = [Role.CITY_ADMIN, Role.SYSTEM_ADMIN];
export const DEAD_LETTER_RESOLVERS = [Role.SYSTEM_ADMIN];

/** The singleton's id: there is one bus view. */
export const BUS_STATUS_ID = 'bus';

export interface BusAdminOptions {
  /** This subgraph's field on BusStatus, e.g. `correction`; the mutation is `resolve<Field>DeadLetter`. */
  field: string;
  /** Defines `Query.busStatus` (exactly one subgraph: alerts). */
  root?: boolean;
  /** The bus service name: a service that consumes events also answers AL-7 retry requests for its dead letters. */
  service: ServiceName;
}

function resolversFor(options: BusAdminOptions): Type[] {
  const mutation = `resolve${options.field[0].toUpperCase()}${options.field.slice(1)}DeadLetter`;

  @Resolver(() => BusStatus)
  class BusStatusFieldResolver {
    constructor(private readonly bus: BusAdminService) {}

    @ResolveReference()
    resolveReference(ref: { id: string }): BusStatus {
      return { id: ref.id };
    }

    @Roles(...BUS_STATUS_READERS)
    @ResolveField(options.field, () => ServiceBusStatus, { description: `The ${options.field} service's bus / ${options.field} 服务的事件总线` })
    status(): Promise<ServiceBusStatus> {
      return this.bus.status();
    }

    @Roles(...DEAD_LETTER_RESOLVERS)
    @Mutation(() => DeadLetterType, { name: mutation, description: `SYSTEM_ADMIN: replay or discard one of ${options.field}'s dead letters (audited) / 重放或丢弃死信` })
    resolveDeadLetter(
      @CurrentPrincipal() caller: Principal,
      @Args('id', { type: () => ID }) id: string,
      @Args('how', { type: () => DeadLetterHow }) how: DeadLetterHow,
    ): Promise<DeadLetterType> {
      return this.bus.resolve(caller, id, how);
    }
  }
  Object.defineProperty(BusStatusFieldResolver, 'name', { value: `BusStatus_${options.field}_Resolver` });

  if (!options.root) return [BusStatusFieldResolver];

  @Resolver(() => BusStatus)
  class BusStatusRootResolver {
    @Roles(...BUS_STATUS_READERS)
    @Query(() => BusStatus, { description: 'Command centre: the event bus of every service (CITY_ADMIN, SYSTEM_ADMIN) / 事件总线状态' })
    busStatus(): BusStatus {
      return { id: BUS_STATUS_ID };
    }
  }
  return [BusStatusFieldResolver, BusStatusRootResolver];
}

/**
 * The bus operator view of one subgraph (issue 14 items 5 and 6): its field on the `BusStatus` entity and its
 * dead-letter mutation. Needs `BusModule.forService` (DeadLetters, BUS_OPTIONS) and the platform (AuditWriter).
 */
@Module({})
export class BusAdminModule {
  static forService(options: BusAdminOptions): DynamicModule {
    const retries = eventsConsumedBy(options.service).includes('bus.dead-letter.retry-requested') ? [DeadLetterRetryHandler] : [];
    return { module: BusAdminModule, providers: [BusAdminService, ...retries, ...resolversFor(options)] };
  }
}
