import { createHash, randomInt } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { appDatabaseRole, ensureLoginRoleSql } from '../audit/audit-sql';

/**
 * Issue 12 item 1: the hand-off between community-correction, which decides who gets an account of
 * the subject's app (在矫通) or the team's app (协矫通) and issues its one-time activation code, and
 * identity, which turns a code into a login. Owned by community-correction (its migration calls
 * this; identity's tests call it too); identity may only SELECT here, and keeps which codes were
 * used in its own schema. Nothing in it identifies a person: ids, a role and a hash of the code.
 */
export const APP_ACCESS_SCHEMA = 'app_access';

export async function createAppAccessSchema(q: QueryRunner): Promise<void> {
  const owner = appDatabaseRole('correction');
  const reader = appDatabaseRole('identity');
  for (const role of [owner, reader]) await q.query(ensureLoginRoleSql(role));
  await q.query(`CREATE SCHEMA IF NOT EXISTS app_access`);
  await q.query(`
    CREATE TABLE app_access.accounts (
      account_id uuid PRIMARY KEY,
      role varchar(20) NOT NULL CHECK (role IN ('SUBJECT', 'TEAM_MEMBER')),
      subject_id uuid,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      CHECK ((role = 'SUBJECT') = (subject_id IS NOT NULL))
    )`);
  await q.query(`CREATE UNIQUE INDEX accounts_one_per_subject ON app_access.accounts (subject_id) WHERE role = 'SUBJECT'`);
  await q.query(`
    CREATE TABLE app_access.activations (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES app_access.accounts (account_id),
      code_hash char(64) NOT NULL UNIQUE,
      issued_at timestamptz(3) NOT NULL,
      expires_at timestamptz(3) NOT NULL,
      issued_by varchar(120) NOT NULL,
      superseded_at timestamptz(3),
      CHECK (issued_at < expires_at)
    )`);
  await q.query(`CREATE INDEX activations_account_idx ON app_access.activations (account_id) WHERE superseded_at IS NULL`);
  await q.query(`REVOKE ALL ON SCHEMA app_access FROM PUBLIC`);
  await q.query(`GRANT USAGE ON SCHEMA app_access TO ${owner}, ${reader}`);
  await q.query(`GRANT SELECT, INSERT, UPDATE ON app_access.accounts, app_access.activations TO ${owner}`);
  await q.query(`GRANT SELECT ON app_access.accounts, app_access.activations TO ${reader}`);
}

/** Crockford-like alphabet without 0/O, 1/I/L, U: what a person can read off paper and type. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;

/** A one-time activation code, 12 characters (~59 bits) in groups of four: `K7QM-2XRT-9HBD`. */
export function newActivationCode(): string {
  let raw = '';
  for (let i = 0; i < CODE_LENGTH; i += 1) raw += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** What is stored of a code: SHA-256 of its normal form (upper case, no separators or spaces). */
export function activationCodeHash(code: string): string {
  const normal = code.toUpperCase().replace(/[\s-]/g, '');
  return createHash('sha256').update(normal, 'utf8').digest('hex');
}
