import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { DomainError, DomainErrorCode, PushDepartment, PushKind, WelfareKind, type EventEnvelope } from '@homeward/domain';
import { BusJobs, EventPublisher, OnEvent } from '@homeward/bus';
import { AuditWriter, Clock, Principal, canSeeTown, inTransaction, isUuid } from '@homeward/platform';
import { ResettlementConfig } from '../config';
import { PushAttempt, PushDelivery, PushDeliveryStatus, PushSigningKey, PushSubscriber } from './push.entity';
import { afterFailedAttempt } from './push-retry';
import { PushRepository } from './push.repository';
import { PUSH_HEADERS, newPushSecret, signatureHeader } from './signing';

export const PUSH_QUEUE = 'resettlement.push';
const SWEEP_JOB = 'sweep';
const SWEEP_EVERY_MS = 60_000;
/** A pending delivery whose attempt is this much overdue lost its job (Redis lost it): the sweep queues it again. */
const OVERDUE_MS = 5 * 60_000;

/** RS-13: which welfare referrals are also hardship or health information. */
const HARDSHIP_WELFARE: readonly WelfareKind[] = [WelfareKind.MINIMUM_LIVING_ALLOWANCE, WelfareKind.EXTREME_POVERTY_SUPPORT, WelfareKind.TEMPORARY_RELIEF, WelfareKind.HOUSING];
const HEALTH_WELFARE: readonly WelfareKind[] = [WelfareKind.MEDICAL];

export interface NewSubscriber {
  department: PushDepartment;
  label: string;
  endpointUrl: string;
  kinds: PushKind[];
}

/** A key as shown once: at creation or rotation. */
export interface IssuedKey {
  keyId: string;
  secret: string;
}

/**
 * RS-13 information push (信息推送): departments subscribe to kinds of information; the resettlement
 * events that carry it become deliveries, each a signed webhook POST sent by the `resettlement.push`
 * job queue (jobs written through the outbox in the transaction that creates or retries the delivery),
 * retried with exponential backoff, dead-lettered after the last attempt.
 */
@Injectable()
export class PushService {
  private readonly logger = new Logger(PushService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    @Inject(ResettlementConfig) private readonly config: ResettlementConfig,
    private readonly repo: PushRepository,
    jobs: BusJobs,
  ) {
    jobs.process(PUSH_QUEUE, (job) => (job.name === SWEEP_JOB ? this.sweep() : this.attempt(String((job.data as { deliveryId: string }).deliveryId))), { concurrency: 4 });
    jobs.every({ queue: PUSH_QUEUE, schedulerId: 'push-sweep', jobName: SWEEP_JOB, everyMs: SWEEP_EVERY_MS, verifyEveryMs: SWEEP_EVERY_MS });
  }

  // ---- staff operations (CITY_ADMIN; the resolver guards the roles) ----

  async createSubscriber(caller: Principal, cmd: NewSubscriber): Promise<{ subscriber: PushSubscriber; key: IssuedKey }> {
    validateSubscriber(cmd, this.config.NODE_ENV !== 'production');
    return inTransaction(this.dataSource, async (manager) => {
      const subscriber = await manager.save(
        manager.getRepository(PushSubscriber).create({ department: cmd.department, label: cmd.label.trim(), endpointUrl: cmd.endpointUrl, kinds: [...new Set(cmd.kinds)], paused: false, createdBy: caller.sub }),
      );
      const key = await this.issueKey(manager, subscriber.id, 1);
      await this.audit.record(
        { actor: caller, action: 'resettlement.push.subscriber.create', entityType: 'PushSubscriber', entityId: subscriber.id, details: { department: cmd.department, kinds: subscriber.kinds, keyId: key.keyId } },
        manager,
      );
      return { subscriber, key };
    });
  }

  /**
   * A new key becomes current; the previous current one stays valid (and keeps signing beside the new one)
   * for PUSH_KEY_GRACE_HOURS, so the department can switch its receiver without a gap.
   */
  async rotateKey(caller: Principal, subscriberId: string): Promise<{ subscriber: PushSubscriber; key: IssuedKey; previousValidUntil: Date }> {
    return inTransaction(this.dataSource, async (manager) => {
      const subscriber = await this.subscriberOf(manager, subscriberId, true);
      const keys = manager.getRepository(PushSigningKey);
      const current = await keys.findOneOrFail({ where: { subscriberId: subscriber.id, retiresAt: IsNull() } });
      const previousValidUntil = new Date(this.clock.now().getTime() + this.config.PUSH_KEY_GRACE_HOURS * 3_600_000);
      current.retiresAt = previousValidUntil;
      await keys.save(current);
      const count = await keys.count({ where: { subscriberId: subscriber.id } });
      const key = await this.issueKey(manager, subscriber.id, count + 1);
      await this.audit.record(
        { actor: caller, action: 'resettlement.push.key.rotate', entityType: 'PushSubscriber', entityId: subscriber.id, details: { newKeyId: key.keyId, previousKeyId: current.keyId, previousValidUntil: previousValidUntil.toISOString() } },
        manager,
      );
      return { subscriber, key, previousValidUntil };
    });
  }

  async setPaused(caller: Principal, subscriberId: string, paused: boolean): Promise<PushSubscriber> {
    return inTransaction(this.dataSource, async (manager) => {
      const subscriber = await this.subscriberOf(manager, subscriberId, true);
      subscriber.paused = paused;
      await manager.save(subscriber);
      await this.audit.record({ actor: caller, action: paused ? 'resettlement.push.subscriber.pause' : 'resettlement.push.subscriber.resume', entityType: 'PushSubscriber', entityId: subscriber.id }, manager);
      return subscriber;
    });
  }

  async listSubscribers(caller: Principal): Promise<{ subscriber: PushSubscriber; keys: PushSigningKey[] }[]> {
    return inTransaction(this.dataSource, async (manager) => {
      const subscribers = await manager.getRepository(PushSubscriber).find({ order: { createdAt: 'ASC' } });
      const keys = subscribers.length ? await manager.getRepository(PushSigningKey).find({ where: { subscriberId: In(subscribers.map((s) => s.id)) }, order: { createdAt: 'ASC' } }) : [];
      await this.audit.record({ actor: caller, action: 'resettlement.push.subscriber.list', entityType: 'PushSubscriber', details: { count: subscribers.length } }, manager);
      return subscribers.map((subscriber) => ({ subscriber, keys: keys.filter((k) => k.subscriberId === subscriber.id) }));
    });
  }

  /**
   * Deliveries, newest first; `status: DEAD` is the dead-letter view. A delivery of a town outside the
   * caller's (a SYSTEM_ADMIN has none) is shown without its person and payload (`redacted`): enough to
   * operate the queue, nothing about the person. The persons shown are named in the audit.
   */
  async listDeliveries(caller: Principal, filter: { subscriberId?: string | null; status?: PushDeliveryStatus | null; limit?: number | null }): Promise<{ delivery: PushDelivery; attempts: PushAttempt[]; redacted: boolean }[]> {
    if (filter.subscriberId && !isUuid(filter.subscriberId)) throw notFound('subscriber / 订阅部门');
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
    return inTransaction(this.dataSource, async (manager) => {
      const deliveries = await manager.getRepository(PushDelivery).find({
        where: { ...(filter.subscriberId ? { subscriberId: filter.subscriberId } : {}), ...(filter.status ? { status: filter.status } : {}) },
        order: { createdAt: 'DESC', id: 'DESC' },
        take: limit,
      });
      const attempts = deliveries.length ? await manager.getRepository(PushAttempt).find({ where: { deliveryId: In(deliveries.map((d) => d.id)) }, order: { attempt: 'ASC' } }) : [];
      const shown = deliveries.filter((d) => canSeeTown(caller, d.town));
      await this.audit.record(
        { actor: caller, action: 'resettlement.push.delivery.list', entityType: 'PushDelivery', personKeys: shown.map((d) => d.personKey), details: { status: filter.status ?? null, count: deliveries.length, redacted: deliveries.length - shown.length } },
        manager,
      );
      return deliveries.map((delivery) => ({ delivery, attempts: attempts.filter((a) => a.deliveryId === delivery.id), redacted: !shown.includes(delivery) }));
    });
  }

  /** A dead delivery is tried again from attempt 1 of a new round (its log keeps the old attempts). */
  async redeliver(caller: Principal, deliveryId: string): Promise<PushDelivery> {
    return inTransaction(this.dataSource, async (manager) => {
      const d = isUuid(deliveryId) ? await manager.getRepository(PushDelivery).findOne({ where: { id: deliveryId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!d) throw notFound('delivery / 推送记录');
      if (d.status !== 'DEAD') {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `only a dead-lettered delivery can be redelivered (this one is ${d.status}) / 只有投递失败的推送可以重新投递`, { field: 'id', details: { status: d.status } });
      }
      d.status = 'PENDING';
      d.deadAt = null;
      d.nextAttemptAt = this.clock.now();
      await manager.save(d);
      await this.schedule(manager, d, d.attempts + 1, this.clock.now());
      await this.audit.record({ actor: caller, action: 'resettlement.push.delivery.redeliver', entityType: 'PushDelivery', entityId: d.id, personKey: d.personKey ?? undefined, towns: d.town ? [d.town] : [] }, manager);
      return d;
    });
  }

  // ---- triggers: the resettlement events that carry pushable information ----

  /** KEY_PERSON_RELEASE: a key person's release (police take over within 7 days, RS-6). */
  @OnEvent('resettlement.person.released')
  async onPersonReleased(event: EventEnvelope<'resettlement.person.released'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    if (!p.keyPerson || !p.town) return;
    await this.enqueue(manager, event, [PushKind.KEY_PERSON_RELEASE], p.town, p.personKey, {
      releaseId: p.releaseId,
      caseId: p.caseId,
      releaseDate: p.releaseDate,
      policeHandOverDue: p.policeHandOverDue,
    });
  }

  /** WELFARE_REFERRAL (every referral); HARDSHIP (subsistence, extreme poverty, temporary relief, housing); HEALTH (medical). */
  @OnEvent('resettlement.welfare.referred')
  async onWelfareReferred(event: EventEnvelope<'resettlement.welfare.referred'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    const kinds = [PushKind.WELFARE_REFERRAL];
    if (HARDSHIP_WELFARE.includes(p.welfareKind as WelfareKind)) kinds.push(PushKind.HARDSHIP);
    if (HEALTH_WELFARE.includes(p.welfareKind as WelfareKind)) kinds.push(PushKind.HEALTH);
    await this.enqueue(manager, event, kinds, p.town, p.personKey, { referralId: p.referralId, caseId: p.caseId, welfareKind: p.welfareKind, referredOn: p.referredOn });
  }

  /**
   * DISPUTE: a dispute recorded on an assistance case (矛盾纠纷). The payload names the case, the category
   * and the day; the summary stays here (it may name people, and the event does not carry it).
   */
  @OnEvent('resettlement.dispute.recorded')
  async onDisputeRecorded(event: EventEnvelope<'resettlement.dispute.recorded'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.enqueue(manager, event, [PushKind.DISPUTE], p.town, p.personKey, { caseId: p.caseId, category: p.category, disputeDate: p.occurredOn });
  }

  /** One delivery per subscriber (not paused) per kind it subscribed to; the first job in the same transaction. */
  private async enqueue(manager: EntityManager, event: EventEnvelope, kinds: readonly PushKind[], town: string, personKey: string, facts: Record<string, unknown>): Promise<void> {
    const subscribers = await manager.getRepository(PushSubscriber).find({ where: { paused: false } });
    for (const s of subscribers) {
      for (const kind of kinds.filter((k) => s.kinds.includes(k))) {
        const payload = { kind, eventId: event.id, occurredAt: event.occurredAt, town, personKey, ...facts };
        const id = await this.repo.insertDelivery(manager, { subscriberId: s.id, kind, eventId: event.id, town, personKey, payload, nextAttemptAt: this.clock.now() });
        if (id) await this.schedule(manager, { id }, 1, this.clock.now());
      }
    }
  }

  private async schedule(manager: EntityManager, d: Pick<PushDelivery, 'id'>, attempt: number, runAt: Date): Promise<void> {
    await this.publisher.scheduleJob(manager, { queue: PUSH_QUEUE, name: 'deliver', data: { deliveryId: d.id }, jobId: `push-${d.id}-${attempt}`, runAt });
  }

  // ---- the worker ----

  /**
   * Makes good jobs that Redis lost (scheduled jobs are not reconciled by the relay): every PENDING delivery
   * whose next attempt is more than 5 minutes overdue gets a new job. Returns how many were queued.
   */
  async sweep(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const overdue = await this.repo.lockOverdue(manager, new Date(now.getTime() - OVERDUE_MS));
      for (const d of overdue) {
        await this.repo.setNextAttempt(manager, d.id, now);
        await this.publisher.scheduleJob(manager, { queue: PUSH_QUEUE, name: 'deliver', data: { deliveryId: d.id }, jobId: `push-${d.id}-${d.attempts + 1}-swept-${now.getTime()}`, runAt: now });
      }
      return overdue.length;
    });
  }

  /** One HTTP attempt of a delivery: the log row, then DELIVERED, the next attempt (backoff) or DEAD. */
  async attempt(deliveryId: string): Promise<void> {
    const d = await this.dataSource.getRepository(PushDelivery).findOne({ where: { id: deliveryId } });
    if (!d || d.status !== 'PENDING') return;
    const subscriber = await this.dataSource.getRepository(PushSubscriber).findOneOrFail({ where: { id: d.subscriberId } });
    const now = this.clock.now();
    const keys = (await this.dataSource.getRepository(PushSigningKey).find({ where: { subscriberId: subscriber.id }, order: { createdAt: 'DESC' } }))
      .filter((k) => k.retiresAt === null || k.retiresAt.getTime() > now.getTime())
      .sort((a, b) => Number(a.retiresAt !== null) - Number(b.retiresAt !== null));
    const body = JSON.stringify({ deliveryId: d.id, ...d.payload });
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const started = process.hrtime.bigint();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(subscriber.endpointUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [PUSH_HEADERS.timestamp]: timestamp,
          [PUSH_HEADERS.keyId]: keys[0]?.keyId ?? '',
          [PUSH_HEADERS.signature]: signatureHeader(keys, timestamp, body),
          [PUSH_HEADERS.deliveryId]: d.id,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.PUSH_TIMEOUT_MS),
      });
      statusCode = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (e) {
      error = ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message;
    }
    const durationMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
    await this.dataSource.transaction(async (manager) => {
      const row = await manager.getRepository(PushDelivery).findOne({ where: { id: d.id }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.status !== 'PENDING') return;
      row.attempts += 1;
      await manager.save(
        manager.getRepository(PushAttempt).create({ deliveryId: row.id, attempt: row.attempts, statusCode, durationMs, error: error?.slice(0, 2000) ?? null, keyIds: keys.map((k) => k.keyId).join(',').slice(0, 40), attemptedAt: now }),
      );
      if (!error) {
        row.status = 'DELIVERED';
        row.deliveredAt = now;
        row.nextAttemptAt = null;
        row.lastError = null;
      } else {
        const next = afterFailedAttempt(row.attempts, this.config.PUSH_MAX_ATTEMPTS, this.config.PUSH_BACKOFF_BASE_MS);
        row.lastError = error;
        if (next.dead) {
          row.status = 'DEAD';
          row.deadAt = now;
          row.nextAttemptAt = null;
          await this.audit.record(
            { actor: { system: 'resettlement.push' }, action: 'resettlement.push.delivery.dead-lettered', entityType: 'PushDelivery', entityId: row.id, personKey: row.personKey ?? undefined, towns: row.town ? [row.town] : [], outcome: 'FAILURE', details: { attempts: row.attempts, error } },
            manager,
          );
          // AL-7: operations see the failing webhook (no person data in the event)
          await this.publisher.publish(manager, 'integration.delivery.failed', {
            service: 'resettlement',
            integration: 'RS-13',
            subscriberId: subscriber.id,
            subscriber: `${subscriber.department} ${subscriber.label}`,
            deliveryId: row.id,
            kind: row.kind,
            attempts: row.attempts,
            error: error.slice(0, 500),
          });
        } else {
          row.nextAttemptAt = new Date(now.getTime() + next.delayMs);
          await this.schedule(manager, row, row.attempts + 1, row.nextAttemptAt);
        }
      }
      await manager.save(row);
    });
    if (error) this.logger.warn(`push ${d.id} attempt failed: ${error}`);
  }

  private async issueKey(manager: EntityManager, subscriberId: string, n: number): Promise<IssuedKey> {
    const key = { keyId: `k${n}`, secret: newPushSecret() };
    await manager.save(manager.getRepository(PushSigningKey).create({ subscriberId, keyId: key.keyId, secret: key.secret, retiresAt: null }));
    return key;
  }

  private async subscriberOf(manager: EntityManager, id: string, lock = false): Promise<PushSubscriber> {
    const s = isUuid(id) ? await manager.getRepository(PushSubscriber).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) }) : null;
    if (!s) throw notFound('subscriber / 订阅部门');
    return s;
  }
}

function validateSubscriber(cmd: NewSubscriber, allowHttp: boolean): void {
  if (!Object.values(PushDepartment).includes(cmd.department)) throw invalid('department', 'unknown department / 未知的部门');
  if (!cmd.label?.trim() || cmd.label.length > 200) throw invalid('label', 'a label of 1 to 200 characters is required / 名称须为1至200个字符');
  let url: URL | null = null;
  try {
    url = new URL(cmd.endpointUrl);
  } catch {
    url = null;
  }
  if (!url || !(url.protocol === 'https:' || (allowHttp && url.protocol === 'http:')) || cmd.endpointUrl.length > 2000 || url.username || url.password) {
    throw invalid('endpointUrl', 'the endpoint must be an https (or http, for tests) URL without credentials / 接收地址须为不含凭据的 https（测试时可为 http）地址');
  }
  if (!cmd.kinds?.length || cmd.kinds.some((k) => !Object.values(PushKind).includes(k))) throw invalid('kinds', 'at least one known kind of information is required / 至少选择一种推送信息类型');
}

function invalid(field: string, message: string): DomainError {
  return new DomainError(DomainErrorCode.VALIDATION_FAILED, message, { field });
}

function notFound(what: string): DomainError {
  return new DomainError(DomainErrorCode.NOT_FOUND, `${what} not found / 未找到`);
}
