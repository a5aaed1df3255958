import { Inject, Injectable } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { Clock } from '../clock/clock';
import { quoteIdent } from '../database/platform-migrations';

/** How long a key is remembered (PARTNER-API.md: at least 30 days). */
export const IDEMPOTENCY_TTL_DAYS = 30;

export const PARTNER_API_OPTIONS = Symbol('PARTNER_API_OPTIONS');
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

export type ClaimResult = { kind: 'claimed'; id: string } | { kind: 'existing'; row: StoredIdempotentResponse };

/** PostgreSQL store of Idempotency-Keys: claim (IN_PROGRESS), complete with the response, or release on failure. */
@Injectable()
export class IdempotencyStore {
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(PARTNER_API_OPTIONS) options: PartnerApiOptions,
  ) {
    this.table = `${quoteIdent(options.schema)}.idempotency_keys`;
  }

  async claim(agencyId: string, key: string, requestHash: string): Promise<ClaimResult> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const now = this.clock.now();
      const expires = new Date(now.getTime() + IDEMPOTENCY_TTL_DAYS * 86_400_000);
      const inserted: Array<{ id: string }> = await this.dataSource.query(
        `INSERT INTO ${this.table} (agency_id, key, request_hash, state, created_at, expires_at)
         VALUES ($1, $2, $3, 'IN_PROGRESS', $4, $5)
         ON CONFLICT (agency_id, key) DO NOTHING RETURNING id`,
        [agencyId, key, requestHash, now, expires],
      );
      if (inserted.length === 1) return { kind: 'claimed', id: inserted[0].id };
      const rows: Array<{
        id: string;
        request_hash: string;
        state: 'IN_PROGRESS' | 'COMPLETED';
        status_code: number | null;
        response: unknown;
        location: string | null;
        expired: boolean;
      }> = await this.dataSource.query(
        `SELECT id, request_hash, state, status_code, response, location, expires_at <= $3 AS expired
           FROM ${this.table} WHERE agency_id = $1 AND key = $2`,
        [agencyId, key, now],
      );
      const row = rows[0];
      if (!row) continue; // released meanwhile: try again
      if (row.expired) {
        await this.dataSource.query(`DELETE FROM ${this.table} WHERE id = $1 AND expires_at <= $2`, [row.id, now]);
        continue;
      }
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
    throw new Error('idempotency key could not be claimed');
  }

  async complete(id: string, statusCode: number, response: unknown, location: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.table} SET state = 'COMPLETED', status_code = $2, response = $3, location = $4 WHERE id = $1`,
      [id, statusCode, JSON.stringify(response ?? null), location],
    );
  }

  /** Forgets a claim whose request failed, so the client may retry with a fixed body. */
  async release(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${this.table} WHERE id = $1 AND state = 'IN_PROGRESS'`, [id]);
  }

  /** Deletes keys past their expiry; returns how many. */
  async purgeExpired(): Promise<number> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `DELETE FROM ${this.table} WHERE expires_at <= $1 RETURNING id`,
      [this.clock.now()],
    );
    return rows.length;
  }
}
