import type { QueryRunner } from 'typeorm';
import { assertSchemaName } from './bus.options';

/**
 * Creates the bus tables in a service's schema (the schema must exist). Call it from the service's
 * first migration; idempotent (IF NOT EXISTS).
 *
 * - `bus_outbox`: events written in the producer's transaction, moved to BullMQ by the relay.
 * - `bus_inbox`: (event id, handler) pairs already processed by this service's consumer.
 * - `bus_dead_letters`: deliveries that failed every attempt.
 */
export async function createBusTables(queryRunner: QueryRunner, schema: string): Promise<void> {
  assertSchemaName(schema);
  const s = `"${schema}"`;
  await queryRunner.query(`
    CREATE TABLE IF NOT EXISTS ${s}.bus_outbox (
      id uuid PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      name text NOT NULL,
      version integer NOT NULL,
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      relayed_at timestamptz NULL,
      pending_consumers text[] NULL,
      checked_at timestamptz NULL,
      delivered_at timestamptz NULL,
      attempts integer NOT NULL DEFAULT 0
    )`);
  await queryRunner.query(`CREATE INDEX IF NOT EXISTS bus_outbox_unrelayed_idx ON ${s}.bus_outbox (seq) WHERE relayed_at IS NULL`);
  await queryRunner.query(
    `CREATE INDEX IF NOT EXISTS bus_outbox_undelivered_idx ON ${s}.bus_outbox (seq) WHERE relayed_at IS NOT NULL AND delivered_at IS NULL`,
  );
  await queryRunner.query(`
    CREATE TABLE IF NOT EXISTS ${s}.bus_inbox (
      event_id uuid NOT NULL,
      handler text NOT NULL,
      event_name text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (event_id, handler)
    )`);
  await queryRunner.query(`
    CREATE TABLE IF NOT EXISTS ${s}.bus_dead_letters (
      id uuid PRIMARY KEY,
      event_id uuid NOT NULL,
      event_name text NOT NULL,
      handler text NOT NULL,
      payload jsonb NOT NULL,
      error text NOT NULL,
      attempts integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT bus_dead_letters_event_handler_uq UNIQUE (event_id, handler)
    )`);
}

/** Drops the bus tables (the `down` of the migration that created them). */
export async function dropBusTables(queryRunner: QueryRunner, schema: string): Promise<void> {
  assertSchemaName(schema);
  const s = `"${schema}"`;
  await queryRunner.query(`DROP TABLE IF EXISTS ${s}.bus_dead_letters`);
  await queryRunner.query(`DROP TABLE IF EXISTS ${s}.bus_inbox`);
  await queryRunner.query(`DROP TABLE IF EXISTS ${s}.bus_outbox`);
}
