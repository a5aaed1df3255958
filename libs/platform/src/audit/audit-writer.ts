import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { createHmac, randomInt } from 'node:crypto';
import { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { Principal } from '../auth/principal';
import { Clock } from '../clock/clock';
import { currentClientIp, currentRequestId, markDeniedAudited } from '../context/request-context';
import { canonicalJson } from './canonical-json';

/** Injection token of the service name (audit rows, metrics labels). */
export const SERVICE_NAME = Symbol('SERVICE_NAME');

/** Injection token of the audit chain key (AUDIT_CHAIN_KEY): the apps hold it, the database does not. */
export const AUDIT_CHAIN_KEY = Symbol('AUDIT_CHAIN_KEY');

/** How many hash chains a service appends to (AUDIT_CHAIN_SHARDS; 1 when not provided). */
export const AUDIT_CHAIN_SHARDS = Symbol('AUDIT_CHAIN_SHARDS');

/**
 * Issue 13: a service's audit log is `shards` hash chains, so that many audited transactions of one
 * service can append at once (each chain is appended under its own lock). Chain 0 is named after the
 * service (the only chain before), chain k after it with `#k`; each is verified and anchored on its
 * own, and `audit.events.service` holds the chain's name.
 */
export function auditChainName(service: string, shard: number): string {
  return shard === 0 ? service : `${service}#${shard}`;
}

export function auditChainNames(service: string, shards: number): string[] {
  return Array.from({ length: Math.max(1, shards) }, (_, k) => auditChainName(service, k));
}

/** The service a chain belongs to (`community-correction#3` → `community-correction`). */
export function serviceOfChain(chain: string): string {
  return chain.replace(/#\d+$/, '');
}

export type AuditOutcome = 'SUCCESS' | 'DENIED' | 'FAILURE';

/** Who did it: a verified principal, a background process (`{ system: 'alerts' }`) or nobody known (`{ anonymous: true }`). */
export type AuditActor = Principal | { system: string } | { anonymous: true; hint?: string };

export interface AuditEntry {
  actor: AuditActor;
  /** `<service>.<entity>.<verb>`, e.g. `correction.subject.enrol`. */
  action: string;
  entityType?: string;
  entityId?: string;
  personKey?: string;
  towns?: string[];
  /** Default SUCCESS. */
  outcome?: AuditOutcome;
  /**
   * The persons a read returned (a list page, a Person field batch, a caseload, an export): stored
   * as `details.personKeys` (unique, sorted), so "who read this person" finds list reads too
   * (issue 6 item 11). A single `personKey` stays in its column.
   */
  personKeys?: readonly (string | null | undefined)[];
  /** Never PII: no clear ID numbers or names. */
  details?: Record<string, unknown>;
  /** Default: the request id of the current HTTP request. */
  requestId?: string;
  /** Default: the client IP of the current HTTP request (as the gateway saw it); stored as `details.clientIp`. */
  clientIp?: string;
}

/** One stored audit row, as hashed. */
export interface AuditRow {
  at: string;
  service: string;
  actor_id: string;
  actor_kind: 'STAFF' | 'PARTNER' | 'SYSTEM' | 'ANONYMOUS';
  actor_roles: string[];
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  person_key: string | null;
  towns: string[];
  outcome: AuditOutcome;
  request_id: string | null;
  details: Record<string, unknown>;
}

/**
 * HMAC-SHA256(key, prev_hash || canonical JSON of the row) in hex (issue 6 item 3): without the key
 * a rewritten row cannot be given a hash the verifier accepts, even by a database superuser.
 */
export function auditHash(key: string, prevHash: string | null, row: AuditRow): string {
  if (!key) throw new Error('auditHash: no AUDIT_CHAIN_KEY');
  return createHmac('sha256', key)
    .update(prevHash ?? '')
    .update(canonicalJson(row))
    .digest('hex');
}

function actorColumns(actor: AuditActor): Pick<AuditRow, 'actor_id' | 'actor_kind' | 'actor_roles'> {
  if ('system' in actor) return { actor_id: actor.system, actor_kind: 'SYSTEM', actor_roles: [] };
  if ('anonymous' in actor) return { actor_id: actor.hint ? `anonymous:${actor.hint}`.slice(0, 128) : 'anonymous', actor_kind: 'ANONYMOUS', actor_roles: [] };
  return { actor_id: actor.sub, actor_kind: actor.kind, actor_roles: [...actor.roles] };
}

/** Builds the row for an entry (pure; exported for tests). */
export function auditRowOf(service: string, at: Date, entry: AuditEntry): AuditRow {
  return {
    at: at.toISOString(),
    service,
    ...actorColumns(entry.actor),
    action: entry.action,
    entity_type: entry.entityType ?? null,
    entity_id: entry.entityId ?? null,
    person_key: entry.personKey ?? null,
    towns: entry.towns ? [...new Set(entry.towns)] : [],
    outcome: entry.outcome ?? 'SUCCESS',
    request_id: entry.requestId ?? currentRequestId() ?? null,
    details: withPersonKeys(withClientIp(entry.details ?? {}, entry.clientIp ?? currentClientIp()), entry.personKeys),
  };
}

/** Issue 6 item 11: the client IP goes into the hashed details (no schema change), unless details already name one. */
function withClientIp(details: Record<string, unknown>, clientIp: string | undefined): Record<string, unknown> {
  return clientIp && details.clientIp === undefined ? { ...details, clientIp } : details;
}

function withPersonKeys(details: Record<string, unknown>, keys: AuditEntry['personKeys']): Record<string, unknown> {
  if (!keys) return details;
  const unique = [...new Set(keys.filter((k): k is string => typeof k === 'string' && k.length > 0))].sort();
  return { ...details, personKeys: unique };
}

/** What a transaction has recorded and not yet written (on its QueryRunner, one list per writer). */
interface PendingRow {
  row: AuditRow;
  /** The transaction depth it was recorded at (a rolled-back savepoint drops its rows). */
  depth: number;
}

/** Rows per INSERT: column arrays, so no parameter limit; this only bounds one statement's size. */
const INSERT_CHUNK = 2000;

/** TypeORM keeps the savepoint depth on the runner (protected in its typings). */
function depthOf(runner: QueryRunner): number {
  return (runner as unknown as { transactionDepth: number }).transactionDepth;
}

/**
 * Issue 13: the rows a transaction records are written just before it commits. The chain's advisory
 * lock (one chain per service) is then held from the write to the COMMIT only, not through the rest
 * of the business transaction, so a service's transactions no longer queue behind each other for
 * their whole length. Still in the same transaction: rolled back with it, never written without it.
 */
class AuditFlushSubscriber implements EntitySubscriberInterface {
  constructor(private readonly writer: AuditWriter) {}

  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    await this.writer.flushBeforeCommit(event.queryRunner);
  }

  beforeTransactionRollback(event: TransactionRollbackEvent): void {
    this.writer.dropOnRollback(event.queryRunner);
  }

  async afterTransactionRollback(event: TransactionRollbackEvent): Promise<void> {
    await this.writer.writeOutside(event.queryRunner);
  }

  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    await this.writer.writeOutside(event.queryRunner);
    await this.writer.writeLeftovers(event.queryRunner);
  }
}

/**
 * Appends to `audit.events`, extending this service's hash chain. With `manager` in a transaction
 * the row is written just before that transaction commits (rolled back with it); without, at once,
 * in its own transaction.
 */
@Injectable()
export class AuditWriter {
  private readonly pendingKey = Symbol('homeward.audit.pending');
  private readonly subscriber = new AuditFlushSubscriber(this);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(AUDIT_CHAIN_KEY) private readonly chainKey: string,
    @Optional() @Inject(AUDIT_CHAIN_SHARDS) shards?: number,
  ) {
    if (!chainKey) throw new Error('AuditWriter: no AUDIT_CHAIN_KEY');
    this.shards = Number.isInteger(shards) && (shards as number) > 0 ? (shards as number) : 1;
  }

  private readonly shards: number;
  private readonly outsideKey = Symbol('audit rows written after the transaction');
  private readonly logger = new Logger('AuditWriter');

  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const row = auditRowOf(this.service, this.clock.now(), entry);
    const runner = manager?.queryRunner;
    if (runner?.isTransactionActive) {
      // Subscribed on the transaction's own DataSource (a test may hand in another one's manager).
      this.subscribeTo(runner.connection);
      this.pending(runner).push({ row, depth: depthOf(runner) });
    } else {
      await (manager ?? this.dataSource.manager).transaction((m) => this.insert(m, [row]));
    }
    if (row.outcome === 'DENIED') markDeniedAudited();
  }

  /**
   * A row that must be written whatever `manager`'s transaction does — a denial, which a rollback must not take
   * with it. Inside an open transaction it is kept on the transaction's query runner and written, in a
   * transaction of its own on the SAME connection, as soon as that transaction has ended (committed or rolled
   * back; a savepoint does not count) — before the caller's `transaction(...)` returns or throws. It used to be
   * written at once on a second pooled connection while the caller held its first: as many denials at once as
   * the pool has connections each held one and waited for another, and the service hung (session 14). Without
   * an open transaction, as `record`: at once.
   */
  async recordOutsideTransaction(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const runner = manager?.queryRunner;
    if (!runner?.isTransactionActive) {
      await this.record(entry);
      return;
    }
    const row = auditRowOf(this.service, this.clock.now(), entry);
    this.subscribeTo(runner.connection);
    const data = runner.data as Record<symbol, AuditRow[] | undefined>;
    (data[this.outsideKey] ??= []).push(row);
    if (row.outcome === 'DENIED') markDeniedAudited();
  }

  /** @internal `runner`'s transaction has ended: write its rows of recordOutsideTransaction on its own connection. */
  async writeOutside(runner: QueryRunner): Promise<void> {
    if (runner.isTransactionActive) return; // a savepoint ended, not the transaction
    const data = runner.data as Record<symbol, AuditRow[] | undefined> | undefined;
    const rows = data?.[this.outsideKey];
    if (!data || !rows || rows.length === 0) return;
    data[this.outsideKey] = [];
    try {
      await runner.startTransaction();
      await this.insert(runner.manager, rows);
      await runner.commitTransaction();
    } catch (err) {
      this.logger.error(`cannot write ${rows.length} audit row(s) after a transaction: ${(err as Error).message}`);
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    }
  }

  /** @internal The outermost COMMIT of `runner` is next: write what it recorded, under the chain's lock. */
  async flushBeforeCommit(runner: QueryRunner): Promise<void> {
    const list = this.pendingOf(runner);
    if (!list || list.length === 0) return;
    const depth = depthOf(runner);
    if (depth > 1) {
      // A savepoint is released: its rows now belong to the enclosing level.
      for (const p of list) if (p.depth >= depth) p.depth = depth - 1;
      return;
    }
    const rows = list.map((p) => p.row);
    list.length = 0;
    await this.insert(runner.manager, rows);
  }

  /** @internal A rollback of `runner`'s transaction (or of its innermost savepoint) drops the rows recorded in it. */
  dropOnRollback(runner: QueryRunner): void {
    const list = this.pendingOf(runner);
    if (!list || list.length === 0) return;
    const depth = depthOf(runner);
    const kept = depth <= 1 ? [] : list.filter((p) => p.depth < depth);
    list.length = 0;
    list.push(...kept);
  }

  /** @internal Never expected: rows left after a commit (a commit that bypassed the hook) are written on their own rather than lost. */
  async writeLeftovers(runner: QueryRunner): Promise<void> {
    const list = this.pendingOf(runner);
    if (!list || list.length === 0 || runner.isTransactionActive) return;
    const rows = list.map((p) => p.row);
    list.length = 0;
    await this.dataSource.manager.transaction((m) => this.insert(m, rows));
  }

  private subscribeTo(dataSource: DataSource): void {
    // TypeORM rebuilds its subscriber list when it initialises: check on every use, not once.
    if (!dataSource.subscribers.includes(this.subscriber)) dataSource.subscribers.push(this.subscriber);
  }

  private pending(runner: QueryRunner): PendingRow[] {
    const data = runner.data as Record<symbol, PendingRow[] | undefined>;
    return (data[this.pendingKey] ??= []);
  }

  private pendingOf(runner: QueryRunner): PendingRow[] | undefined {
    return (runner.data as Record<symbol, PendingRow[] | undefined> | undefined)?.[this.pendingKey];
  }

  /** Appends `rows` (in order) to one of the service's chains, picked at random, under that chain's lock. */
  private async insert(m: EntityManager, rows: AuditRow[]): Promise<void> {
    const chain = auditChainName(this.service, this.shards === 1 ? 0 : randomInt(this.shards));
    for (const row of rows) row.service = chain;
    // The chain's advisory lock, then its last hash read under it: one statement (issue 13 S2).
    const last: Array<{ hash: string | null }> = await m.query(`SELECT audit.lock_chain($1) AS hash`, [chain]);
    let prevHash = last[0]?.hash ?? null;
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK);
      // The chain is sequential: each row's hash covers the one before, computed here in order; the
      // chunk then goes in as one INSERT of column arrays (15 parameters whatever its length), in order.
      const prevs: Array<string | null> = [];
      const hashes: string[] = [];
      for (const row of chunk) {
        const hash = auditHash(this.chainKey, prevHash, row);
        prevs.push(prevHash);
        hashes.push(hash);
        prevHash = hash;
      }
      await m.query(
        `INSERT INTO audit.events (at, service, actor_id, actor_kind, actor_roles, action, entity_type, entity_id, person_key,
                                   towns, outcome, request_id, details, prev_hash, hash)
         SELECT u.at, u.service, u.actor_id, u.actor_kind, ARRAY(SELECT jsonb_array_elements_text(u.roles)), u.action, u.entity_type,
                u.entity_id, u.person_key, ARRAY(SELECT jsonb_array_elements_text(u.town_list)), u.outcome, u.request_id, u.details,
                u.prev_hash, u.hash
           FROM unnest($1::timestamptz[], $2::varchar[], $3::varchar[], $4::varchar[], $5::jsonb[], $6::varchar[], $7::varchar[],
                       $8::varchar[], $9::char(64)[], $10::jsonb[], $11::varchar[], $12::varchar[], $13::jsonb[], $14::char(64)[], $15::char(64)[])
                WITH ORDINALITY AS u(at, service, actor_id, actor_kind, roles, action, entity_type, entity_id, person_key,
                                     town_list, outcome, request_id, details, prev_hash, hash, n)
          ORDER BY u.n`,
        [
          chunk.map((r) => r.at),
          chunk.map((r) => r.service),
          chunk.map((r) => r.actor_id),
          chunk.map((r) => r.actor_kind),
          chunk.map((r) => JSON.stringify(r.actor_roles)),
          chunk.map((r) => r.action),
          chunk.map((r) => r.entity_type),
          chunk.map((r) => r.entity_id),
          chunk.map((r) => r.person_key),
          chunk.map((r) => JSON.stringify(r.towns)),
          chunk.map((r) => r.outcome),
          chunk.map((r) => r.request_id),
          chunk.map((r) => JSON.stringify(r.details)),
          prevs,
          hashes,
        ],
      );
    }
  }
}

/** Result of checking a service's chain: `brokenAt` is the id of the first row that does not fit. */
export interface AuditChainCheck {
  ok: boolean;
  checked: number;
  brokenAt?: string;
  /** Why it is broken (first problem found). */
  reason?: string;
  /** Anchors of this service that were checked against the chain. */
  anchors?: number;
}

interface StoredRow extends Omit<AuditRow, 'at'> {
  id: string;
  at: Date;
  prev_hash: string | null;
  hash: string;
}

type Queryable = Pick<DataSource, 'query'>;

/**
 * Recomputes the keyed hash chain of `service` in numeric id order (issue 6 item 4: `ORDER BY`
 * names the bigint column, never the text alias), in batches, and reports the first break.
 */
export async function verifyAuditChain(dataSource: Queryable, service: string, key: string, batchSize = 1000): Promise<AuditChainCheck> {
  let prev: string | null = null;
  let afterId = '0';
  let checked = 0;
  for (;;) {
    const rows: StoredRow[] = await dataSource.query(
      `SELECT e.id::text AS id, e.at, e.service, e.actor_id, e.actor_kind, e.actor_roles, e.action, e.entity_type, e.entity_id,
              e.person_key, e.towns, e.outcome, e.request_id, e.details, e.prev_hash, e.hash
         FROM audit.events e WHERE e.service = $1 AND e.id > $2::bigint ORDER BY e.id LIMIT $3`,
      [service, afterId, batchSize],
    );
    for (const r of rows) {
      const row: AuditRow = {
        at: new Date(r.at).toISOString(),
        service: r.service,
        actor_id: r.actor_id,
        actor_kind: r.actor_kind,
        actor_roles: r.actor_roles,
        action: r.action,
        entity_type: r.entity_type,
        entity_id: r.entity_id,
        person_key: r.person_key,
        towns: r.towns,
        outcome: r.outcome,
        request_id: r.request_id,
        details: r.details,
      };
      if ((r.prev_hash ?? null) !== prev) return { ok: false, checked, brokenAt: r.id, reason: 'prev_hash does not match the row before' };
      if (auditHash(key, prev, row) !== r.hash) return { ok: false, checked, brokenAt: r.id, reason: 'hash does not match the row (changed, or not made with this key)' };
      prev = r.hash;
      checked += 1;
    }
    if (rows.length < batchSize) return { ok: true, checked };
    afterId = rows[rows.length - 1].id;
  }
}

/** One service's result in {@link verifyAuditChains}. */
export interface ServiceChainCheck extends AuditChainCheck {
  service: string;
}

/**
 * Verifies every service's chain with `key`, then every anchor in `audit.anchors` (needs the auditor
 * role or the owner): the anchored row must still exist with the anchored hash, so a chain cut
 * short or rebuilt after an anchor was taken is reported even when it is internally consistent.
 */
export async function verifyAuditChains(dataSource: Queryable, key: string): Promise<ServiceChainCheck[]> {
  const services: Array<{ service: string }> = await dataSource.query(
    `SELECT DISTINCT service FROM (SELECT service FROM audit.events UNION SELECT service FROM audit.anchors) s ORDER BY service`,
  );
  const results: ServiceChainCheck[] = [];
  for (const { service } of services) {
    const check: ServiceChainCheck = { service, ...(await verifyAuditChain(dataSource, service, key)) };
    const anchors: Array<{ id: string; head_id: string; head_hash: string; hash: string | null }> = await dataSource.query(
      `SELECT a.id::text AS id, a.head_id::text AS head_id, a.head_hash, e.hash
         FROM audit.anchors a LEFT JOIN audit.events e ON e.id = a.head_id AND e.service = a.service
        WHERE a.service = $1 ORDER BY a.id`,
      [service],
    );
    check.anchors = anchors.length;
    if (check.ok) {
      const bad = anchors.find((a) => a.hash !== a.head_hash);
      if (bad) {
        check.ok = false;
        check.brokenAt = bad.head_id;
        check.reason = bad.hash === null ? `anchor ${bad.id} names row ${bad.head_id}, which is gone` : `anchor ${bad.id}: row ${bad.head_id} no longer has the anchored hash`;
      }
    }
    results.push(check);
  }
  return results;
}
