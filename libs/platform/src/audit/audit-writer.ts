import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { Clock } from '../clock/clock';
import { currentClientIp, currentRequestId, markDeniedAudited } from '../context/request-context';
import { canonicalJson } from './canonical-json';

/** Injection token of the service name (audit rows, metrics labels). */
export const SERVICE_NAME = Symbol('SERVICE_NAME');

/** Injection token of the audit chain key (AUDIT_CHAIN_KEY): the apps hold it, the database does not. */
export const AUDIT_CHAIN_KEY = Symbol('AUDIT_CHAIN_KEY');

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

/**
 * Appends to `audit.events`, extending this service's hash chain. With `manager` the row is
 * written in the caller's transaction (rolled back with it); without, in its own.
 */
@Injectable()
export class AuditWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(AUDIT_CHAIN_KEY) private readonly chainKey: string,
  ) {
    if (!chainKey) throw new Error('AuditWriter: no AUDIT_CHAIN_KEY');
  }

  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const row = auditRowOf(this.service, this.clock.now(), entry);
    if (manager?.queryRunner?.isTransactionActive) {
      await this.insert(manager, row);
    } else {
      await (manager ?? this.dataSource.manager).transaction((m) => this.insert(m, row));
    }
    if (row.outcome === 'DENIED') markDeniedAudited();
  }

  private async insert(m: EntityManager, row: AuditRow): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('audit:' || $1))`, [row.service]);
    const last: Array<{ hash: string | null }> = await m.query(`SELECT audit.last_hash($1) AS hash`, [row.service]);
    const prevHash = last[0]?.hash ?? null;
    const hash = auditHash(this.chainKey, prevHash, row);
    await m.query(
      `INSERT INTO audit.events (at, service, actor_id, actor_kind, actor_roles, action, entity_type, entity_id, person_key,
                                 towns, outcome, request_id, details, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        row.at,
        row.service,
        row.actor_id,
        row.actor_kind,
        row.actor_roles,
        row.action,
        row.entity_type,
        row.entity_id,
        row.person_key,
        row.towns,
        row.outcome,
        row.request_id,
        JSON.stringify(row.details),
        prevHash,
        hash,
      ],
    );
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
