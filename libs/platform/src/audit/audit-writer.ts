import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { Clock } from '../clock/clock';
import { currentRequestId, markDeniedAudited } from '../context/request-context';
import { canonicalJson } from './canonical-json';

/** Injection token of the service name (audit rows, metrics labels). */
export const SERVICE_NAME = Symbol('SERVICE_NAME');

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

/** sha256(prev_hash || canonical JSON of the row) in hex. */
export function auditHash(prevHash: string | null, row: AuditRow): string {
  return createHash('sha256')
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
    details: withPersonKeys(entry.details ?? {}, entry.personKeys),
  };
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
  ) {}

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
    const hash = auditHash(prevHash, row);
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
}

interface StoredRow extends Omit<AuditRow, 'at'> {
  id: string;
  at: Date;
  prev_hash: string | null;
  hash: string;
}

/** Recomputes the hash chain of `service` (in id order, in batches) and reports the first break. */
export async function verifyAuditChain(dataSource: DataSource, service: string, batchSize = 1000): Promise<AuditChainCheck> {
  let prev: string | null = null;
  let afterId = '0';
  let checked = 0;
  for (;;) {
    const rows: StoredRow[] = await dataSource.query(
      `SELECT id::text AS id, at, service, actor_id, actor_kind, actor_roles, action, entity_type, entity_id, person_key,
              towns, outcome, request_id, details, prev_hash, hash
         FROM audit.events WHERE service = $1 AND id > $2::bigint ORDER BY id LIMIT $3`,
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
      if ((r.prev_hash ?? null) !== prev || auditHash(prev, row) !== r.hash) return { ok: false, checked, brokenAt: r.id };
      prev = r.hash;
      checked += 1;
    }
    if (rows.length < batchSize) return { ok: true, checked };
    afterId = rows[rows.length - 1].id;
  }
}
