import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { Clock } from '../clock/clock';
import { returnedRows } from '../database/data-source';
import { quoteIdent } from '../database/platform-migrations';

/** How long a key is remembered (docs/partner-api.md: at least 30 days). */
export const IDEMPOTENCY_TTL_DAYS = 30;

export const PARTNER_API_OPTIONS = Symbol('PARTNER_API_OPTIONS');
/** Expired keys are purged at most this often (by the clock), on the next idempotent request. */
export const PURGE_EVERY_MS = 10 * 60_000;
export interface PartnerApiOptions {
  /** The service schema holding `idempotency_keys`. */
  schema: string;
}

/** The `<schema>.idempotency_keys` table; call it from the service's first migration. */
export async function createIdempotencyTable(q: QueryRunner, schema: string): Promise<void> {
  const s = quoteIdent(schema);
  await q.query(`
    CREATE TABLE IF NOT EXISTS ${s}.idempotency_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      agency_id varchar(128) NOT NULL,
      key varchar(255) NOT NULL,
      request_hash char(64) NOT NULL,
      state varchar(16) NOT NULL CHECK (state IN ('IN_PROGRESS', 'COMPLETED')),
      status_code integer,
      response jsonb,
      location text,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      CONSTRAINT idempotency_keys_agency_key UNIQUE (agency_id, key)
    )`);
  await q.query(`CREATE INDEX IF NOT EXISTS idempotency_keys_expires_idx ON ${s}.idempotency_keys (expires_at)`);
}

export interface StoredIdempotentResponse {
  id: string;
  requestHash: string;
  state: 'IN_PROGRESS' | 'COMPLETED';
  statusCode: number | null;
  response: unknown;
  location: string | null;
}

/** A stored key as read by the claim. */
interface StoredRow {
  id: string;
  request_hash: string;
  state: 'IN_PROGRESS' | 'COMPLETED';
  status_code: number | null;
  response: unknown;
  location: string | null;
  expired: boolean;
}

export type ClaimResult =
  | { kind: 'claimed'; id: string }
  | { kind: 'existing'; row: StoredIdempotentResponse }
  /** Another request with this key is running right now (its transaction holds the key). */
  | { kind: 'busy' };

/**
 * PostgreSQL store of Idempotency-Keys (issue 14 items 1–2). A key is claimed, used and answered
 * inside ONE transaction (`withKey`): the claim row is inserted (and an advisory lock on the key
 * taken) in the transaction that then runs the business write, and the stored answer is written
 * before COMMIT. So a committed key always carries its answer: after a crash, a dropped connection
 * or a database outage at any step either nothing happened (the retry runs) or everything did (the
 * retry gets the first answer). A row left IN_PROGRESS by the earlier two-transaction code is
 * abandoned by definition and is taken over.
 */
@Injectable()
export class IdempotencyStore {
  private readonly table: string;
  private readonly schema: string;
  private lastPurge = Number.NEGATIVE_INFINITY;
  private readonly logger = new Logger(IdempotencyStore.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(PARTNER_API_OPTIONS) options: PartnerApiOptions,
  ) {
    this.schema = options.schema;
    this.table = `${quoteIdent(options.schema)}.idempotency_keys`;
  }

  /** Opens a transaction, claims the key in it and runs `fn(claim, manager)`; commits when `fn` resolves. */
  async withKey<T>(agencyId: string, key: string, requestHash: string, fn: (claim: ClaimResult, manager: EntityManager) => Promise<T>): Promise<T> {
    this.purgeNowAndThen();
    return this.dataSource.transaction(async (manager) => fn(await this.claim(manager, agencyId, key, requestHash), manager));
  }

  /**
   * Claims `key` inside the transaction of `manager` (see `withKey`). Issue 13 S2: the usual cases —
   * a new key (claimed), a key being used right now (busy) or one already answered (existing) — take
   * ONE statement: the advisory lock, the row's read FOR UPDATE and the insert of the claim. The rare
   * cases (an expired key, a row left IN_PROGRESS by the earlier code, a first request that committed
   * between this statement's snapshot and its lock) take a second look in statements of their own.
   */
  async claim(manager: EntityManager, agencyId: string, key: string, requestHash: string): Promise<ClaimResult> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('IdempotencyStore.claim needs the EntityManager of an open transaction');
    const now = this.clock.now();
    const expires = new Date(now.getTime() + IDEMPOTENCY_TTL_DAYS * 86_400_000);
    // One holder per key at a time, without waiting: a second request while the first runs is "in progress".
    // The lock CTE is read first by both others, so the row is read (and the claim inserted) only under it.
    const [first]: Array<StoredRow & { ok: boolean; inserted_id: string | null }> = await manager.query(
      `WITH lock AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok),
            found AS MATERIALIZED (
              SELECT k.id, k.request_hash, k.state, k.status_code, k.response, k.location, k.expires_at <= $4 AS expired
                FROM ${this.table} k, lock WHERE lock.ok AND k.agency_id = $2 AND k.key = $3 FOR UPDATE OF k),
            inserted AS (
              INSERT INTO ${this.table} (agency_id, key, request_hash, state, created_at, expires_at)
              SELECT $2, $3, $5, 'IN_PROGRESS', $4, $6 FROM lock WHERE lock.ok AND NOT EXISTS (SELECT 1 FROM found)
              ON CONFLICT (agency_id, key) DO NOTHING RETURNING id)
       SELECT lock.ok, (SELECT id FROM inserted) AS inserted_id, found.*
         FROM lock LEFT JOIN found ON true`,
      [`idempotency:${this.schema}:${agencyId}:${key}`, agencyId, key, now, requestHash, expires],
    );
    if (!first.ok) return { kind: 'busy' };
    if (first.inserted_id) return { kind: 'claimed', id: first.inserted_id };
    let row: StoredRow | undefined = first.id ? first : undefined;
    if (!row) {
      // Neither found nor inserted: a row committed after this statement's snapshot (the first request
      // finished just now). Read it again with a fresh snapshot.
      [row] = await manager.query(
        `SELECT id, request_hash, state, status_code, response, location, expires_at <= $3 AS expired
           FROM ${this.table} WHERE agency_id = $1 AND key = $2 FOR UPDATE`,
        [agencyId, key, now],
      );
    }
    if (row && !row.expired && row.state === 'COMPLETED') {
      return {
        kind: 'existing',
        row: {
          id: row.id,
          requestHash: row.request_hash,
          state: row.state,
          statusCode: row.status_code,
          response: row.response,
          location: row.location,
        },
      };
    }
    // Expired, or IN_PROGRESS committed by the earlier code (nobody holds it: we have the lock).
    if (row) await manager.query(`DELETE FROM ${this.table} WHERE id = $1`, [row.id]);
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO ${this.table} (agency_id, key, request_hash, state, created_at, expires_at)
       VALUES ($1, $2, $3, 'IN_PROGRESS', $4, $5) ON CONFLICT (agency_id, key) DO NOTHING RETURNING id`,
      [agencyId, key, requestHash, now, expires],
    );
    // Nothing inserted: a writer that does not take the lock (the earlier code, during a rolling update) holds it.
    return inserted.length === 1 ? { kind: 'claimed', id: inserted[0].id } : { kind: 'busy' };
  }

  /** Stores the answer of a claimed key, in the claim's transaction (before its COMMIT). */
  async complete(manager: EntityManager, id: string, statusCode: number, response: unknown, location: string | null): Promise<void> {
    await manager.query(
      `UPDATE ${this.table} SET state = 'COMPLETED', status_code = $2, response = $3, location = $4 WHERE id = $1`,
      [id, statusCode, JSON.stringify(response ?? null), location],
    );
  }

  /**
   * Retention (issue 14 item 6): at most every PURGE_EVERY_MS of the clock, keys past their 30 days
   * are deleted, in the background (own connection, outside the request's transaction).
   */
  private purgeNowAndThen(): void {
    const now = this.clock.now().getTime();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    this.purgeExpired().catch((e: unknown) => this.logger.warn(`idempotency key purge failed: ${(e as Error).message}`));
  }

  /** Deletes keys past their expiry; returns how many. */
  async purgeExpired(): Promise<number> {
    const rows = returnedRows(await this.dataSource.query(
      `DELETE FROM ${this.table} WHERE expires_at <= $1 RETURNING id`,
      [this.clock.now()],
    ));
    return rows.length;
  }
}
