import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

/** How a dead letter is resolved (issue 14 item 6). */
export enum DeadLetterHow {
  REPLAYED = 'REPLAYED',
  DISCARDED = 'DISCARDED',
}
registerEnumType(DeadLetterHow, { name: 'DeadLetterResolution', description: 'REPLAYED 重放 / DISCARDED 丢弃' });

/**
 * The bus seen from the command centre (issue 14 item 5): one entity, `busStatus { id }` from alerts; every
 * subgraph with bus tables adds its own field (correction, resettlement, aftercare, alerts), read from its own
 * schema only (docs/decisions.md "busStatus: one entity, one field per service").
 */
@ObjectType({ description: 'Event bus status / 事件总线状态' })
@Directive('@key(fields: "id")')
export class BusStatus {
  @Field(() => ID)
  id: string;
}

@ObjectType({ description: 'Jobs of a consumer queue by state / 消费队列任务数' })
@Directive('@shareable')
export class BusQueueDepth {
  @Field({ description: 'BullMQ queue, e.g. events.alerts' })
  name: string;
  @Field(() => Int)
  waiting: number;
  @Field(() => Int)
  active: number;
  @Field(() => Int, { description: 'Includes retries waiting for their backoff / 含等待重试的任务' })
  delayed: number;
  @Field(() => Int)
  failed: number;
}

@ObjectType({ description: 'A delivery that failed every attempt / 死信' })
@Directive('@shareable')
export class DeadLetterType {
  @Field(() => ID)
  id: string;
  @Field(() => ID)
  eventId: string;
  @Field()
  eventName: string;
  @Field()
  handler: string;
  @Field({ description: 'First line of the last error / 最后一次错误' })
  error: string;
  @Field(() => Int)
  attempts: number;
  @Field()
  createdAt: Date;
  @Field(() => Date, { nullable: true })
  resolvedAt: Date | null;
  @Field(() => String, { nullable: true })
  resolvedBy: string | null;
  @Field(() => DeadLetterHow, { nullable: true })
  resolvedHow: DeadLetterHow | null;
}

@ObjectType({ description: "One service's bus, read from its own schema / 单个服务的事件总线" })
@Directive('@shareable')
export class ServiceBusStatus {
  @Field()
  service: string;
  @Field(() => Int, { description: 'Outbox events not yet relayed / 待转发事件' })
  outboxBacklog: number;
  @Field(() => Float, { nullable: true, description: 'Age in seconds of the oldest unrelayed event / 最早未转发事件的时长（秒）' })
  oldestUnrelayedAgeSeconds: number | null;
  @Field(() => Int, { description: 'Relayed, not yet confirmed handled by every consumer / 已转发未确认' })
  undelivered: number;
  @Field(() => Int, { description: 'Open dead letters / 未处理死信' })
  openDeadLetters: number;
  @Field(() => [DeadLetterType], { description: 'The oldest open dead letters (at most 20) / 最早的未处理死信' })
  deadLetters: DeadLetterType[];
  @Field(() => BusQueueDepth, { nullable: true, description: "The service's consumer queue; null when Redis does not answer / Redis 不可用时为空" })
  queue: BusQueueDepth | null;
}
