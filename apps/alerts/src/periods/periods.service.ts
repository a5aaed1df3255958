import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, DomainErrorCode, LocalDate, compareLocalDate, localDateInShanghai } from '@homeward/domain';
import { AuditWriter, Clock, Principal, townsOf } from '@homeward/platform';
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
      const rows: PeriodRow[] = await manager.query(`DELETE FROM alerts.sensitive_periods WHERE id::text = $1 RETURNING ${COLUMNS}`, [id]);
      if (rows.length === 0) throw new DomainError(DomainErrorCode.NOT_FOUND, `sensitive period ${id} not found / 未找到该重点时期`, { field: 'id' });
      await this.audit.record(
        { actor: caller, action: 'alerts.sensitive-period.delete', entityType: 'SensitivePeriod', entityId: id, towns: rows[0].towns ?? [], details: { name: rows[0].name } },
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

  /** AL-4: the key-person flag of a person, as the last event that carried it said. */
  async noteKeyPerson(manager: EntityManager, personKey: string, keyPerson: boolean): Promise<void> {
    await manager.query(
      `INSERT INTO alerts.person_flags (person_key, key_person, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (person_key) DO UPDATE SET key_person = EXCLUDED.key_person, updated_at = now()`,
      [personKey, keyPerson],
    );
  }

  async isKeyPerson(manager: EntityManager, personKey: string | null): Promise<boolean> {
    if (!personKey) return false;
    const rows: Array<{ key_person: boolean }> = await manager.query(`SELECT key_person FROM alerts.person_flags WHERE person_key = $1`, [personKey]);
    return rows[0]?.key_person === true;
  }
}
