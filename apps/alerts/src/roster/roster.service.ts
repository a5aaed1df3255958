import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, DomainErrorCode, LocalDate, Role, compareLocalDate } from '@homeward/domain';
import { AuditWriter, Clock, Principal, canSeeTown, townsOf } from '@homeward/platform';
import { CITY_SCOPE, DutyRole, SetDutyInput } from './roster.types';

export interface DutyRosterEntry {
  scope: string;
  date: LocalDate;
  role: DutyRole;
  staff: string;
  setBy: string;
  setAt: Date;
}

interface RosterRow {
  scope: string;
  duty_date: string;
  duty_role: DutyRole;
  staff: string;
  set_by: string;
  set_at: Date;
}

const COLUMNS = `scope, to_char(duty_date, 'YYYY-MM-DD') AS duty_date, duty_role, staff, set_by, set_at`;

function entryOf(r: RosterRow): DutyRosterEntry {
  return { scope: r.scope, date: r.duty_date, role: r.duty_role, staff: r.staff, setBy: r.set_by, setAt: r.set_at };
}

/** Longest range one roster read may span (a quarter): keeps the answer small. */
const MAX_RANGE_DAYS = 92;

/**
 * AL-6 the duty roster (值班备勤): for each day, the city command centre's person on duty and bureau
 * head on duty, and each town's person on duty. CITY_ADMIN keeps every entry; a TOWN_OFFICER keeps its
 * towns' person on duty. Every change is audited.
 */
@Injectable()
export class RosterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  async set(caller: Principal, input: SetDutyInput): Promise<DutyRosterEntry> {
    const town = input.town ?? null;
    if (town === null || input.role === DutyRole.BUREAU_HEAD) {
      if (!caller.roles.includes(Role.CITY_ADMIN)) {
        throw new DomainError(DomainErrorCode.FORBIDDEN, 'only CITY_ADMIN keeps the city command centre roster / 仅市局管理员可排定市指挥中心值班', { field: 'town' });
      }
    } else if (!canSeeTown(caller, town)) {
      throw new DomainError(DomainErrorCode.NOT_FOUND, `town ${town} not found / 未找到该镇（街道）`, { field: 'town' });
    }
    if (input.role === DutyRole.BUREAU_HEAD && town !== null) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'a bureau head is on duty for the city command centre, not a town / 带班局领导仅排定于市指挥中心', {
        field: 'role',
      });
    }
    const scope = town ?? CITY_SCOPE;
    return this.dataSource.transaction(async (manager) => {
      const before: RosterRow[] = await manager.query(
        `SELECT ${COLUMNS} FROM alerts.duty_roster WHERE scope = $1 AND duty_date = $2 AND duty_role = $3 FOR UPDATE`,
        [scope, input.date, input.role],
      );
      const rows: RosterRow[] = await manager.query(
        `INSERT INTO alerts.duty_roster (scope, duty_date, duty_role, staff, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (scope, duty_date, duty_role) DO UPDATE SET staff = EXCLUDED.staff, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at
         RETURNING ${COLUMNS}`,
        [scope, input.date, input.role, input.staff, caller.username ?? caller.sub, this.clock.now()],
      );
      await this.audit.record(
        {
          actor: caller,
          action: 'alerts.roster.set',
          entityType: 'DutyRosterEntry',
          entityId: `${scope}:${input.date}:${input.role}`,
          towns: town ? [town] : [],
          details: { scope, date: input.date, role: input.role, staff: input.staff, previous: before[0]?.staff ?? null },
        },
        manager,
      );
      return entryOf(rows[0]);
    });
  }

  /** The roster from `from` to `to`: the city command centre's entries and those of the caller's towns. */
  async list(caller: Principal, from: LocalDate, to: LocalDate): Promise<DutyRosterEntry[]> {
    if (compareLocalDate(from, to) > 0) {
      throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'from is after to / 起始日期晚于结束日期', { field: 'from' });
    }
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
    if (days > MAX_RANGE_DAYS) {
      throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, `at most ${MAX_RANGE_DAYS} days at once / 一次最多查询${MAX_RANGE_DAYS}天`, { field: 'to' });
    }
    const towns = townsOf(caller);
    const rows: RosterRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM alerts.duty_roster
        WHERE duty_date BETWEEN $1 AND $2 AND (scope = 'CITY' OR $3::boolean OR scope = ANY($4))
        ORDER BY duty_date, scope, duty_role`,
      [from, to, towns === '*', towns === '*' ? [] : towns],
    );
    return rows.map(entryOf);
  }

  /** Who is on duty for `scope` (CITY or a town code) on `date` in `role`; null when nobody is on the roster. */
  async onDuty(manager: EntityManager, scope: string, date: LocalDate, role: DutyRole): Promise<string | null> {
    const rows: Array<{ staff: string }> = await manager.query(
      `SELECT staff FROM alerts.duty_roster WHERE scope = $1 AND duty_date = $2 AND duty_role = $3`,
      [scope, date, role],
    );
    return rows[0]?.staff ?? null;
  }
}
