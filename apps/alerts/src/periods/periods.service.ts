import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, DomainErrorCode, LocalDate, compareLocalDate, localDateInShanghai } from '@homeward/domain';
import { AuditWriter, Clock, Principal, returnedRows, townsOf } from '@homeward/platform';
import { settleUncoveredCheckIns } from './daily-checkin-watches';
import { CreateSensitivePeriodInput } from './period.types';

export interface SensitivePeriod {
  id: string;
  name: string;
  startsOn: LocalDate;
  endsOn: LocalDate;
  towns: string[] | null;
  createdBy: string;
}

interface PeriodRow {
  id: string;
  name: string;
  starts_on: string;
  ends_on: string;
  towns: string[] | null;
  created_by: string;
}

const COLUMNS = `id, name, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on, towns, created_by`;

function periodOf(r: PeriodRow): SensitivePeriod {
  return { id: r.id, name: r.name, startsOn: r.starts_on, endsOn: r.ends_on, towns: r.towns, createdBy: r.created_by };
}

/**
 * AL-4 sensitive periods (重点时期): a calendar kept by CITY_ADMIN (the resolver's role), each for every
 * town or some; during one (by the Shanghai day of the injected clock) every alert about a key person
 * in a covered town is raised one colour higher (AlertsService.raise asks `inForce`). The key-person
 * flag is kept from the events that carry `keyPerson` (`noteKeyPerson`).
 */
/** Who said a person is (or is not) a key person: correction (determinations, location breaches) or resettlement (notices, releases). */
export type KeyPersonSource = 'correction' | 'resettlement';

@Injectable()
export class PeriodsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  async create(caller: Principal, input: CreateSensitivePeriodInput): Promise<SensitivePeriod> {
    if (compareLocalDate(input.startsOn, input.endsOn) > 0) {
      throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'the period ends before it starts / 重点时期的结束日期早于开始日期', { field: 'endsOn' });
    }
    const towns = input.towns && input.towns.length > 0 ? [...new Set(input.towns)].sort() : null;
    return this.dataSource.transaction(async (manager) => {
      const rows: PeriodRow[] = await manager.query(
        `INSERT INTO alerts.sensitive_periods (name, starts_on, ends_on, towns, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [input.name, input.startsOn, input.endsOn, towns, caller.username ?? caller.sub, this.clock.now()],
      );
      await this.audit.record(
        {
          actor: caller,
          action: 'alerts.sensitive-period.create',
          entityType: 'SensitivePeriod',
          entityId: rows[0].id,
          towns: towns ?? [],
          details: { name: input.name, startsOn: input.startsOn, endsOn: input.endsOn, towns },
        },
        manager,
      );
      return periodOf(rows[0]);
    });
  }

  async remove(caller: Principal, id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const rows = returnedRows<PeriodRow>(await manager.query(`DELETE FROM alerts.sensitive_periods WHERE id::text = $1 RETURNING ${COLUMNS}`, [id]));
      if (rows.length === 0) throw new DomainError(DomainErrorCode.NOT_FOUND, `sensitive period ${id} not found / 未找到该重点时期`, { field: 'id' });
      const checkInsSettled = await settleUncoveredCheckIns(manager, this.clock.now(), { startsOn: rows[0].starts_on, endsOn: rows[0].ends_on, towns: rows[0].towns });
      await this.audit.record(
        { actor: caller, action: 'alerts.sensitive-period.delete', entityType: 'SensitivePeriod', entityId: id, towns: rows[0].towns ?? [], details: { name: rows[0].name, checkInsSettled } },
        manager,
      );
      return true;
    });
  }

  /** Periods overlapping [from, to] that cover every town or one of the caller's. */
  async list(caller: Principal, from: LocalDate, to: LocalDate): Promise<SensitivePeriod[]> {
    const towns = townsOf(caller);
    const rows: PeriodRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM alerts.sensitive_periods
        WHERE ends_on >= $1 AND starts_on <= $2 AND (towns IS NULL OR $3::boolean OR towns && $4::varchar[])
        ORDER BY starts_on, name`,
      [from, to, towns === '*', towns === '*' ? [] : towns],
    );
    return rows.map(periodOf);
  }

  /** The period in force on `day` (default today, Shanghai) for this town, if any (the first by start day). */
  async inForce(manager: EntityManager, town: string | null, day?: LocalDate): Promise<{ id: string; name: string } | null> {
    if (!town) return null;
    const today = day ?? localDateInShanghai(this.clock.now());
    const rows: Array<{ id: string; name: string }> = await manager.query(
      `SELECT id, name FROM alerts.sensitive_periods WHERE starts_on <= $1 AND ends_on >= $1 AND (towns IS NULL OR $2 = ANY(towns)) ORDER BY starts_on, id LIMIT 1`,
      [today, town],
    );
    return rows[0] ?? null;
  }

  /**
   * `inForce` for many (town, day) at once (issue 13: the set-based due-date sweep), in one statement:
   * the answer for each ask, in order, chosen exactly as `inForce` chooses (first by start day, then id).
   */
  async inForceMany(
    manager: EntityManager,
    asks: ReadonlyArray<{ town: string | null; day?: LocalDate }>,
  ): Promise<Array<{ id: string; name: string } | null>> {
    const today = localDateInShanghai(this.clock.now());
    const keyOf = (town: string, day: LocalDate) => `${town}\u0000${day}`;
    const wanted = new Map<string, { town: string; day: LocalDate }>();
    for (const a of asks) if (a.town) wanted.set(keyOf(a.town, a.day ?? today), { town: a.town, day: a.day ?? today });
    const found = new Map<string, { id: string; name: string }>();
    if (wanted.size > 0) {
      const keys = [...wanted.keys()];
      const list = [...wanted.values()];
      const rows: Array<{ n: string; id: string; name: string }> = await manager.query(
        `SELECT DISTINCT ON (q.n) q.n, p.id, p.name
           FROM unnest($1::varchar[], $2::date[]) WITH ORDINALITY AS q(town, day, n)
           JOIN alerts.sensitive_periods p ON p.starts_on <= q.day AND p.ends_on >= q.day AND (p.towns IS NULL OR q.town = ANY(p.towns))
          ORDER BY q.n, p.starts_on, p.id`,
        [list.map((a) => a.town), list.map((a) => a.day)],
      );
      for (const r of rows) found.set(keys[Number(r.n) - 1], { id: r.id, name: r.name });
    }
    return asks.map((a) => (a.town ? found.get(keyOf(a.town, a.day ?? today)) ?? null : null));
  }

  /** AL-4: the key-person flag of a person, as the last event that carried it said. */
  /**
   * AL-4: what `source` now says of the person (with the town it said it for); the read model
   * `person_flags.key_person` is true while any source says so.
   */
  async noteKeyPerson(manager: EntityManager, personKey: string, keyPerson: boolean, source: KeyPersonSource, town: string | null = null): Promise<void> {
    await manager.query(
      `INSERT INTO alerts.key_person_sources (person_key, source, town, key_person, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (person_key, source) DO UPDATE SET key_person = EXCLUDED.key_person, town = coalesce(EXCLUDED.town, key_person_sources.town), updated_at = now()`,
      [personKey, source, town, keyPerson],
    );
    // The source has spoken of this person: what alerts held before without a source gives way.
    await manager.query(`DELETE FROM alerts.key_person_sources WHERE person_key = $1 AND source = 'earlier'`, [personKey]);
    await this.refreshFlag(manager, [personKey]);
  }

  /**
   * AL-4 / CC-10: correction's determination of `town` for the month is the town's whole list (一月一认定):
   * everyone it lists is what it says; anyone correction had called a key person of that town whom it
   * no longer lists is no longer one (for correction — what resettlement says of them stands).
   * Returns the person keys it stopped treating as key persons.
   */
  async settleDetermination(manager: EntityManager, town: string, listed: ReadonlyArray<{ personKey: string; keyPerson: boolean }>): Promise<string[]> {
    // In person-key order, not the payload's (the officer's): two determinations of one town settled at the same
    // moment lock the same people, and two orders could deadlock (a lock-order review, session 14).
    const byKey = [...listed].sort((a, b) => (a.personKey < b.personKey ? -1 : a.personKey > b.personKey ? 1 : 0));
    for (const s of byKey) await this.noteKeyPerson(manager, s.personKey, s.keyPerson, 'correction', town);
    const keep = listed.map((s) => s.personKey);
    const dropped = returnedRows<{ person_key: string }>(await manager.query(
      `UPDATE alerts.key_person_sources SET key_person = false, updated_at = now()
        WHERE source = 'correction' AND town = $1 AND key_person AND NOT (person_key = ANY($2::char(64)[]))
        RETURNING person_key`,
      [town, keep],
    ));
    const keys = dropped.map((d) => d.person_key).sort();
    await this.refreshFlag(manager, keys);
    return keys;
  }

  private async refreshFlag(manager: EntityManager, personKeys: readonly string[]): Promise<void> {
    if (personKeys.length === 0) return;
    await manager.query(
      `INSERT INTO alerts.person_flags (person_key, key_person, updated_at)
       SELECT k, coalesce((SELECT bool_or(key_person) FROM alerts.key_person_sources s WHERE s.person_key = k), false), now()
         FROM unnest($1::char(64)[]) AS k
       ON CONFLICT (person_key) DO UPDATE SET key_person = EXCLUDED.key_person, updated_at = now()`,
      [personKeys],
    );
  }

  /** `isKeyPerson` for many persons in one statement: the keys of those who are key persons. */
  async keyPersonsOf(manager: EntityManager, personKeys: readonly string[]): Promise<Set<string>> {
    if (personKeys.length === 0) return new Set();
    const rows: Array<{ person_key: string }> = await manager.query(
      `SELECT person_key FROM alerts.person_flags WHERE person_key = ANY($1::char(64)[]) AND key_person`,
      [[...new Set(personKeys)]],
    );
    return new Set(rows.map((r) => r.person_key));
  }

  async isKeyPerson(manager: EntityManager, personKey: string | null): Promise<boolean> {
    if (!personKey) return false;
    const rows: Array<{ key_person: boolean }> = await manager.query(`SELECT key_person FROM alerts.person_flags WHERE person_key = $1`, [personKey]);
    return rows[0]?.key_person === true;
  }
}
