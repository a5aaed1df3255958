import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { PUSH_DEPARTMENT_LABELS, PUSH_KIND_LABELS, Role, townName } from '@homeward/domain';
import { CurrentPrincipal, Principal, Roles, canSeeTown } from '@homeward/platform';
import { PushAttempt, PushDelivery, PushDeliveryStatus, PushSigningKey, PushSubscriber } from './push.entity';
import { PushService } from './push.service';
import { CreatePushSubscriberInput, IssuedPushKeyType, PushDeliveriesArgs, PushDeliveryType, PushSubscriberType } from './push.types';

const STATUS_LABELS: Record<PushDeliveryStatus, string> = { PENDING: '待投递', DELIVERED: '已送达', DEAD: '投递失败' };
/** Who manages subscriptions (the city office). */
const PUSH_MANAGERS = [Role.CITY_ADMIN];
/** Who sees and redelivers dead letters: the city office and the system administrators. */
const PUSH_OPERATORS = [Role.CITY_ADMIN, Role.SYSTEM_ADMIN];

function toSubscriber(s: PushSubscriber, keys: PushSigningKey[]): PushSubscriberType {
  return {
    id: s.id,
    department: s.department,
    departmentLabel: PUSH_DEPARTMENT_LABELS[s.department],
    label: s.label,
    endpointUrl: s.endpointUrl,
    kinds: s.kinds,
    kindLabels: s.kinds.map((k) => PUSH_KIND_LABELS[k]),
    paused: s.paused,
    keys: keys.map((k) => ({ keyId: k.keyId, current: k.retiresAt === null, validUntil: k.retiresAt, createdAt: k.createdAt })),
    createdAt: s.createdAt,
  };
}

function toDelivery(d: PushDelivery, log: PushAttempt[], redacted = false): PushDeliveryType {
  return {
    id: d.id,
    subscriberId: d.subscriberId,
    kind: d.kind,
    kindLabel: PUSH_KIND_LABELS[d.kind],
    status: d.status,
    statusLabel: STATUS_LABELS[d.status],
    town: d.town ? { code: d.town, name: townName(d.town) ?? d.town } : null,
    person: d.personKey && !redacted ? { key: d.personKey } : null,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    deliveredAt: d.deliveredAt,
    deadAt: d.deadAt,
    lastError: d.lastError,
    payload: redacted ? null : JSON.stringify(d.payload),
    log: log.map((a) => ({ attempt: a.attempt, statusCode: a.statusCode, durationMs: a.durationMs, error: a.error, keyIds: a.keyIds, attemptedAt: a.attemptedAt })),
    createdAt: d.createdAt,
  };
}

/** RS-13 information push: subscriptions, keys, deliveries and the dead-letter view. */
@Resolver(() => PushSubscriberType)
export class PushResolver {
  constructor(private readonly push: PushService) {}

  @Roles(...PUSH_MANAGERS)
  @Query(() => [PushSubscriberType], { description: 'RS-13 departments subscribed to information pushes / 信息推送订阅部门' })
  async pushSubscribers(@CurrentPrincipal() caller: Principal): Promise<PushSubscriberType[]> {
    return (await this.push.listSubscribers(caller)).map((s) => toSubscriber(s.subscriber, s.keys));
  }

  @Roles(...PUSH_MANAGERS)
  @Mutation(() => IssuedPushKeyType, { description: 'RS-13 subscribe a department; the signing secret is shown this once / 新增订阅部门' })
  async createPushSubscriber(@CurrentPrincipal() caller: Principal, @Args('input') input: CreatePushSubscriberInput): Promise<IssuedPushKeyType> {
    const { subscriber, key } = await this.push.createSubscriber(caller, input);
    return { subscriber: toSubscriber(subscriber, []), keyId: key.keyId, secret: key.secret, previousKeyValidUntil: null };
  }

  @Roles(...PUSH_MANAGERS)
  @Mutation(() => IssuedPushKeyType, { description: 'RS-13 a new signing key; the previous one stays valid for the grace period / 更换签名密钥' })
  async rotatePushKey(@CurrentPrincipal() caller: Principal, @Args('subscriberId', { type: () => ID }) subscriberId: string): Promise<IssuedPushKeyType> {
    const { subscriber, key, previousValidUntil } = await this.push.rotateKey(caller, subscriberId);
    return { subscriber: toSubscriber(subscriber, []), keyId: key.keyId, secret: key.secret, previousKeyValidUntil: previousValidUntil };
  }

  @Roles(...PUSH_MANAGERS)
  @Mutation(() => PushSubscriberType, { description: 'RS-13 pause (or resume) a subscription: no new deliveries while paused / 暂停或恢复订阅' })
  async setPushSubscriberPaused(
    @CurrentPrincipal() caller: Principal,
    @Args('subscriberId', { type: () => ID }) subscriberId: string,
    @Args('paused') paused: boolean,
  ): Promise<PushSubscriberType> {
    return toSubscriber(await this.push.setPaused(caller, subscriberId, paused), []);
  }

  @Roles(...PUSH_OPERATORS)
  @Query(() => [PushDeliveryType], { description: 'RS-13 deliveries with their log, newest first; status DEAD is the dead-letter view / 推送记录' })
  async pushDeliveries(@CurrentPrincipal() caller: Principal, @Args() args: PushDeliveriesArgs): Promise<PushDeliveryType[]> {
    const rows = await this.push.listDeliveries(caller, { subscriberId: args.subscriberId, status: args.status, limit: args.first });
    return rows.map((r) => toDelivery(r.delivery, r.attempts, r.redacted));
  }

  @Roles(...PUSH_OPERATORS)
  @Mutation(() => PushDeliveryType, { description: 'RS-13 send a dead-lettered delivery again / 重新投递' })
  async redeliverPush(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<PushDeliveryType> {
    const d = await this.push.redeliver(caller, id);
    return toDelivery(d, [], !canSeeTown(caller, d.town));
  }
}
