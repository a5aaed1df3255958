import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock, returnedRows } from '@homeward/platform';
import { DeadlineScheduler } from './deadline-scheduler';

/** The record a watch waits on. */
export interface WatchRef {
  recordType: string;
  recordId: string;
  personKey: string | null;
  town: string | null;
}

export interface ArmInput extends WatchRef {
  rule: string;
  dueAt: Date;
  details?: Record<string, unknown>;
  /** When the arming happened: the event's `occurredAt` (or the clock for a periodic arming). */
  asOf: Date | string;
}

/** A watch as it is after `arm`. */
export interface ArmedWatch {
  id: string;
  dueAt: Date;
  satisfiedAt: Date | null;
  firedAt: Date | null;
  /**
   * Whether its due time is new (a new watch, or re-armed to another time): a pending one then got its
   * delayed check — now when due within ALERT_JOB_HORIZON_HOURS, else from the refill later (issue 13).
   */
  changed: boolean;
}

interface WatchRow {
  id: string;
  due_at: Date;
  satisfied_at: Date | null;
  fired_at: Date | null;
  changed: boolean;
}

/**
 * arm's conflict rule, for one watch and for many: a settled watch stays settled; an arming older than
 * the last (`armed_at`) changes nothing; a fired watch whose due date moved is pending again.
 */
const ARM_ON_CONFLICT = `ON CONFLICT (rule, record_type, record_id) DO UPDATE
           SET due_at = EXCLUDED.due_at, town = EXCLUDED.town, person_key = coalesce(EXCLUDED.person_key, w.person_key),
               details = EXCLUDED.details, armed_at = EXCLUDED.armed_at,
               fired_at = CASE WHEN EXCLUDED.due_at <> w.due_at THEN NULL ELSE w.fired_at END
           WHERE w.satisfied_at IS NULL AND coalesce(w.armed_at, '-infinity') <= EXCLUDED.armed_at`;

const asOfDate = (w: ArmInput): Date => (typeof w.asOf === 'string' ? new Date(w.asOf) : w.asOf);

/**
 * The one owner of `alerts.watches` (issue 8 item 4): every writer arms and settles watches here, under
 * one conflict rule per (rule, record):
 *
 * - arm: a new watch is written; an existing one takes the new due date, town, person and details
 *   unless it is settled (the event that settles it may arrive first) or it was armed by a later event
 *   (`armed_at` > `asOf`: an older event delivered late never moves a newer arming). A fired watch whose
 *   due date moved is pending again. A pending watch due within ALERT_JOB_HORIZON_HOURS gets its delayed
 *   check in the same transaction (relayed to BullMQ after commit); a later one gets it from
 *   DeadlineScheduler's refill when it comes within the horizon (issue 13).
 * - settle: pending watches of the record become satisfied; with `rules`, a watch not written yet is
 *   written settled, so the event that would arm it later (delivered out of order) finds it settled.
 */
@Injectable()
export class WatchesService {
  constructor(
    private readonly scheduler: DeadlineScheduler,
    private readonly clock: Clock,
  ) {}

  /** Arms one watch (see the class doc): one statement. */
  async arm(manager: EntityManager, w: ArmInput): Promise<ArmedWatch> {
    const rows: WatchRow[] = await manager.query(
      `WITH old AS (SELECT due_at FROM alerts.watches WHERE rule = $1 AND record_type = $2 AND record_id = $3),
       upsert AS (
         INSERT INTO alerts.watches AS w (rule, record_type, record_id, person_key, town, due_at, details, armed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ${ARM_ON_CONFLICT}
         RETURNING id, due_at, satisfied_at, fired_at
       )
       SELECT u.id, u.due_at, u.satisfied_at, u.fired_at, (o.due_at IS NULL OR o.due_at <> u.due_at) AS changed
         FROM upsert u LEFT JOIN old o ON true
       UNION ALL
       SELECT id, due_at, satisfied_at, fired_at, false FROM alerts.watches
        WHERE rule = $1 AND record_type = $2 AND record_id = $3 AND NOT EXISTS (SELECT 1 FROM upsert)`,
      [w.rule, w.recordType, w.recordId, w.personKey, w.town, w.dueAt, w.details ?? {}, asOfDate(w)],
    );
    return this.armed(manager, w, rows[0]);
  }

  /**
   * Arms several watches in ONE statement (issue 13 S2: an enrolment arms three, an aftercare enrolment
   * up to 48, the outreach run 42), each under `arm`'s rule; the answers are in the order of `inputs`.
   * One watch goes to `arm`, whose statement plans in about a third of the time. The same (rule, record)
   * twice in one call would be one row updated twice by one statement, which PostgreSQL refuses: such a
   * call arms one watch after another instead.
   */
  async armMany(manager: EntityManager, inputs: readonly ArmInput[]): Promise<ArmedWatch[]> {
    if (inputs.length === 0) return [];
    const keys = new Set(inputs.map((w) => `${w.rule}\u0000${w.recordType}\u0000${w.recordId}`));
    if (inputs.length === 1 || keys.size < inputs.length) {
      const out: ArmedWatch[] = [];
      for (const w of inputs) out.push(await this.arm(manager, w));
      return out;
    }
    const rows: Array<WatchRow & { ord: string }> = await manager.query(
      // Every read of alerts.watches is a correlated lookup by the unique key (one index probe per input
      // row): joined as sets, the planner read the whole table once per input row.
      `WITH input AS (
         SELECT i.*,
                (SELECT w.due_at FROM alerts.watches w
                  WHERE w.rule = i.rule AND w.record_type = i.record_type AND w.record_id = i.record_id) AS old_due_at
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::jsonb[], $8::timestamptz[])
                WITH ORDINALITY AS i(rule, record_type, record_id, person_key, town, due_at, details, armed_at, ord)
       ), upsert AS (
         INSERT INTO alerts.watches AS w (rule, record_type, record_id, person_key, town, due_at, details, armed_at)
         SELECT rule, record_type, record_id, person_key, town, due_at, details, armed_at FROM input ORDER BY ord
         ${ARM_ON_CONFLICT}
         RETURNING id, rule, record_type, record_id, due_at, satisfied_at, fired_at
       )
       SELECT i.ord, u.id, u.due_at, u.satisfied_at, u.fired_at, (i.old_due_at IS NULL OR i.old_due_at <> u.due_at) AS changed
         FROM input i
         JOIN upsert u ON u.rule = i.rule AND u.record_type = i.record_type AND u.record_id = i.record_id
       UNION ALL
       SELECT i.ord, w.id, w.due_at, w.satisfied_at, w.fired_at, false
         FROM input i
        CROSS JOIN LATERAL (
          SELECT id, due_at, satisfied_at, fired_at FROM alerts.watches w
           WHERE w.rule = i.rule AND w.record_type = i.record_type AND w.record_id = i.record_id LIMIT 1
        ) w
        WHERE NOT EXISTS (SELECT 1 FROM upsert u WHERE u.rule = i.rule AND u.record_type = i.record_type AND u.record_id = i.record_id)`,
      [
        inputs.map((w) => w.rule),
        inputs.map((w) => w.recordType),
        inputs.map((w) => w.recordId),
        inputs.map((w) => w.personKey),
        inputs.map((w) => w.town),
        inputs.map((w) => w.dueAt),
        inputs.map((w) => JSON.stringify(w.details ?? {})),
        inputs.map(asOfDate),
      ],
    );
    const byOrd = new Map(rows.map((r) => [Number(r.ord), r]));
    const out: ArmedWatch[] = [];
    for (const [i, w] of inputs.entries()) out.push(await this.armed(manager, w, byOrd.get(i + 1)));
    return out;
  }

  /** The watch as armed; its delayed check when it is new or moved and pending. */
  private async armed(manager: EntityManager, w: ArmInput, written: WatchRow | undefined): Promise<ArmedWatch> {
    let row = written;
    if (!row) {
      // A concurrent arming of the same watch committed while this statement ran: ON CONFLICT saw its
      // row (and the WHERE kept it), but this statement's snapshot does not. Read it with a new one.
      const again: WatchRow[] = await manager.query(
        `SELECT id, due_at, satisfied_at, fired_at, false AS changed FROM alerts.watches WHERE rule = $1 AND record_type = $2 AND record_id = $3`,
        [w.rule, w.recordType, w.recordId],
      );
      row = again[0];
      if (!row) throw new Error(`watch ${w.rule} ${w.recordType}/${w.recordId} neither written nor found`);
    }
    const watch: ArmedWatch = {
      id: row.id,
      dueAt: new Date(row.due_at),
      satisfiedAt: row.satisfied_at,
      firedAt: row.fired_at,
      changed: row.changed,
    };
    if (watch.changed && !watch.satisfiedAt && !watch.firedAt) await this.scheduler.schedule(manager, watch.id, watch.dueAt);
    return watch;
  }

  /** Settles the watches `rules` of a record (all its pending watches when `rules` is omitted). Returns how many it settled. */
  async settle(manager: EntityManager, ref: WatchRef, rules?: readonly string[]): Promise<number> {
    const now = this.clock.now();
    if (!rules) {
      const rows = returnedRows(await manager.query(
        `UPDATE alerts.watches SET satisfied_at = $3
         WHERE record_type = $1 AND record_id = $2 AND satisfied_at IS NULL AND fired_at IS NULL RETURNING id`,
        [ref.recordType, ref.recordId, now],
      ));
      return rows.length;
    }
    const rows: unknown[] = await manager.query(
      `INSERT INTO alerts.watches AS w (rule, record_type, record_id, person_key, town, due_at, satisfied_at)
       SELECT rule, $2, $3, $4, $5, $6, $6 FROM unnest($1::text[]) AS rule
       ON CONFLICT (rule, record_type, record_id) DO UPDATE SET satisfied_at = EXCLUDED.satisfied_at
       WHERE w.satisfied_at IS NULL AND w.fired_at IS NULL
       RETURNING id`,
      [rules, ref.recordType, ref.recordId, ref.personKey, ref.town, now],
    );
    return rows.length;
  }

  /**
   * CC-13: the pending watches of a person's correction records in `fromTown` follow the case to
   * `toTown` (the new office answers them). Returns how many moved.
   */
  async moveTown(manager: EntityManager, personKey: string, fromTown: string, toTown: string): Promise<number> {
    const rows = returnedRows(await manager.query(
      `UPDATE alerts.watches SET town = $3
        WHERE person_key = $1 AND town = $2 AND record_type LIKE 'correction.%' AND satisfied_at IS NULL AND fired_at IS NULL
        RETURNING id`,
      [personKey, fromTown, toTown],
    ));
    return rows.length;
  }

  /** CC-13 out of Jiangyin: the pending watches of a person's correction records in `town` are settled. */
  async settleForPerson(manager: EntityManager, personKey: string, town: string): Promise<number> {
    const rows = returnedRows(await manager.query(
      `UPDATE alerts.watches SET satisfied_at = $3
        WHERE person_key = $1 AND town = $2 AND record_type LIKE 'correction.%' AND satisfied_at IS NULL AND fired_at IS NULL
        RETURNING id`,
      [personKey, town, this.clock.now()],
    ));
    return rows.length;
  }

  /**
   * Issue 7 item 10 (CC-23): a holiday table changed and the record's deadline moved. The pending watch
   * moves to the new due time — earlier or later, unlike `arm` — and gets a check at it (within the horizon, else by the refill); a settled or
   * fired watch stays; a watch not written yet is written. `revision` (the calendar's) keeps an older
   * change, delivered late, from undoing a newer one. Returns whether a watch moved.
   */
  async moveDue(manager: EntityManager, w: Omit<ArmInput, 'asOf'> & { revision: number }): Promise<boolean> {
    const rows: Array<{ id: string; due_at: Date }> = await manager.query(
      `INSERT INTO alerts.watches (rule, record_type, record_id, person_key, town, due_at, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (rule, record_type, record_id) DO UPDATE
         SET due_at = EXCLUDED.due_at, details = alerts.watches.details || EXCLUDED.details
         WHERE alerts.watches.satisfied_at IS NULL AND alerts.watches.fired_at IS NULL
           AND coalesce((alerts.watches.details->>'calendarRevision')::bigint, 0) < $8
       RETURNING id, due_at`,
      [w.rule, w.recordType, w.recordId, w.personKey, w.town, w.dueAt, { ...(w.details ?? {}), calendarRevision: w.revision }, w.revision],
    );
    if (!rows[0]) return false;
    await this.scheduler.reschedule(manager, rows[0].id, new Date(rows[0].due_at));
    return true;
  }
}
