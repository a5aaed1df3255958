import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { CorrectionStatus, DomainError, DomainErrorCode, SupervisionLevel, type LocalDate } from '@homeward/domain';
import { AuditWriter, Clock, EMPTY_PAGE, isUuid, FieldCipher, PersonKeys, PersonScope, Principal, isEmptyScope, keysetPage, personScope, whereInScope } from '@homeward/platform';
import { CorrectionSubject } from '../subjects/subject.entity';
import { SupervisionPolicyProvider } from '../supervision/supervision-policy';
import { parseSearchQuery } from './search-query';
import { DueItemKind } from './caseload.types';

export interface CaseloadFilter {
  first: number;
  after?: string;
  status?: CorrectionStatus;
  level?: SupervisionLevel;
  keyPerson?: boolean;
  town?: string;
  /** Count the filter's rows for totalCount (default true; false when the query does not select it). */
  count?: boolean;
}

export interface SubjectPage {
  items: CorrectionSubject[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

/** Where a page of a due list continues: after this (dueOn, town, kind, recordId), the list's order. */
export interface DueCursor {
  dueOn: LocalDate;
  town: string;
  kind: DueItemKind;
  recordId: string;
}

export function encodeDueCursor(r: DueCursor): string {
  return Buffer.from(JSON.stringify([r.dueOn, r.town, r.kind, r.recordId])).toString('base64url');
}

export function decodeDueCursor(cursor: string): DueCursor {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 4 && /^\d{4}-\d{2}-\d{2}$/.test(String(v[0])) && typeof v[1] === 'string' && Object.values(DueItemKind).includes(v[2]) && isUuid(String(v[3]))) {
      return { dueOn: v[0], town: v[1], kind: v[2], recordId: v[3] };
    }
  } catch {
    /* reported below */
  }
  throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'invalid cursor / 分页游标无效', { field: 'after' });
}

export interface DuePage {
  first?: number;
  after?: string;
}

export interface DueRow {
  kind: DueItemKind;
  subjectId: string | null;
  recordId: string;
  name: string | null;
  town: string;
  dueOn: LocalDate;
  personKey: string;
}

export const CASELOAD_MAX_PAGE = 200;
const SEARCH_MAX_PAGE = 100;
const OPEN_STATUSES: CorrectionStatus[] = [CorrectionStatus.PENDING_REPORT, CorrectionStatus.ACTIVE];

/**
 * The statement of dueToday (`TODAY`) / overdue (`OVERDUE`); $1 towns, $2 today, $3..$5 the STRICT,
 * ORDINARY and LENIENT check-in intervals, $6 the person keys of a person scope (null: whole towns),
 * $7..$10 the cursor's (dueOn, town, kind, recordId) to continue after (nulls: from the start),
 * $11 the page size (null: all).
 * Exported for bench/scale.ts, which runs it bare with EXPLAIN ANALYZE beside the API.
 */
export function dueRowsSql(which: 'TODAY' | 'OVERDUE'): string {
  const compare = which === 'TODAY' ? '=' : '<';
  return `SELECT d.kind, d.subject_id, d.record_id, d.name, d.town, d.due_on::text AS due_on, d.person_key FROM (
           SELECT 'REPORT_IN' AS kind, s.id AS subject_id, s.id AS record_id, s.name_cipher AS name, s.town, s.report_deadline AS due_on, s.person_key
             FROM correction.subjects s WHERE s.status = 'PENDING_REPORT' AND s.town = ANY($1) AND s.report_deadline ${compare} $2::date
           UNION ALL
           SELECT 'CHECK_IN', s.id, s.id, s.name_cipher, s.town, s.check_in_base + $3::int, s.person_key
             FROM correction.subjects s
            WHERE s.status = 'ACTIVE' AND s.town = ANY($1) AND s.level_now = 'STRICT' AND s.check_in_base ${compare} $2::date - $3::int
           UNION ALL
           SELECT 'CHECK_IN', s.id, s.id, s.name_cipher, s.town, s.check_in_base + $4::int, s.person_key
             FROM correction.subjects s
            WHERE s.status = 'ACTIVE' AND s.town = ANY($1) AND s.level_now = 'ORDINARY' AND s.check_in_base ${compare} $2::date - $4::int
           UNION ALL
           SELECT 'CHECK_IN', s.id, s.id, s.name_cipher, s.town, s.check_in_base + $5::int, s.person_key
             FROM correction.subjects s
            WHERE s.status = 'ACTIVE' AND s.town = ANY($1) AND s.level_now = 'LENIENT' AND s.check_in_base ${compare} $2::date - $5::int
           UNION ALL
           SELECT 'MONITORING_END', m.subject_id, m.id, s.name_cipher, s.town, m.end_date, s.person_key
             FROM correction.monitorings m JOIN correction.subjects s ON s.id = m.subject_id
            WHERE m.status = 'ACTIVE' AND m.town = ANY($1) AND m.end_date ${compare} $2::date AND s.town = ANY($1)
           UNION ALL
           SELECT 'LEAVE_END', v.subject_id, v.id, s.name_cipher, s.town, v.end_date, s.person_key
             FROM correction.leaves v JOIN correction.subjects s ON s.id = v.subject_id
            WHERE v.status = 'APPROVED' AND v.town = ANY($1) AND v.end_date ${compare} $2::date AND s.town = ANY($1)
           UNION ALL
           SELECT 'ASSESSMENT', NULL::uuid, i.id, i.name_cipher, i.town, i.due_date, i.person_key
             FROM correction.investigations i WHERE i.status = 'PENDING' AND i.due_date ${compare} $2::date AND i.town = ANY($1)
           UNION ALL
           SELECT 'PROCURATORATE_REPLY', p.subject_id, p.id, s.name_cipher, s.town, p.reply_due, s.person_key
             FROM correction.procuratorate_notices p JOIN correction.subjects s ON s.id = p.subject_id
            WHERE p.status = 'RECEIVED' AND p.town = ANY($1) AND p.reply_due ${compare} $2::date AND s.town = ANY($1)
         ) d
         WHERE d.due_on ${compare} $2::date AND ($6::text[] IS NULL OR d.person_key = ANY($6::text[]))
           AND ($7::date IS NULL OR (d.due_on, d.town, d.kind, d.record_id::text) > ($7::date, $8::text, $9::text, $10::text))
         ORDER BY d.due_on, d.town, d.kind, d.record_id::text
         LIMIT $11`;
}

/**
 * Staff daily queries (issue 3 item 15): the caseload, what is due today or overdue, and search.
 *
 * Whose caseload: a town officer's is every case of its towns; a SOCIAL_WORKER's is the subjects
 * it is actively assigned to (issue 6 item 7, `personScope`). Each query writes one audit row
 * naming the persons it returned.
 */
@Injectable()
export class CaseloadService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly personKeys: PersonKeys,
    private readonly cipher: FieldCipher,
    private readonly clock: Clock,
    private readonly policy: SupervisionPolicyProvider,
  ) {}

  /** The caseload page: three statements (count when asked for, page, audit) whatever the page size. */
  async caseload(caller: Principal, filter: CaseloadFilter): Promise<SubjectPage> {
    const scope = personScope(caller, filter.town);
    const towns = scope.towns;
    const statuses = filter.status ? [filter.status] : OPEN_STATUSES;
    let page: SubjectPage = EMPTY_PAGE;
    const qb = this.subjects();
    if (whereInScope(qb, 's', scope)) {
      qb.andWhere('s.status IN (:...statuses)', { statuses });
      if (filter.level) {
        // CC-8: the level in force is the latest decision, STRICT before any.
        qb.andWhere(
          // `level_now` is kept by a trigger on supervision_levels (migration 1797600000500).
          `s.level_now = :level`,
          { level: filter.level },
        );
      }
      if (filter.keyPerson !== undefined && filter.keyPerson !== null) {
        // CC-10: the latest determination of the town up to this month (the function CC-12 uses too).
        qb.andWhere(`correction.is_key_person(s.id, CAST(:today AS date)) = :keyPerson`, { today: this.clock.today(), keyPerson: filter.keyPerson });
      }
      page = await keysetPage(qb, 's', { first: filter.first, after: filter.after, max: CASELOAD_MAX_PAGE, count: filter.count });
    }
    await this.audit.record({
      actor: caller,
      action: 'correction.caseload.list',
      entityType: 'CorrectionSubject',
      towns,
      personKeys: page.items.map((s) => s.personKey),
      details: { ids: page.items.map((s) => s.id), status: filter.status ?? null, level: filter.level ?? null, keyPerson: filter.keyPerson ?? null },
    });
    return page;
  }

  /**
   * Search by ID number (normalised, matched by personKey) or by the full name (matched by its keyed
   * blind index `name_index`; names are encrypted at rest, issue 6 item 2) — rows are never decrypted
   * to search. Audited with the kind of query, never the query.
   */
  async search(caller: Principal, query: string, first: number, after?: string, count = true): Promise<SubjectPage> {
    const parsed = parseSearchQuery(query, this.clock.today());
    const scope = personScope(caller);
    const towns = scope.towns;
    let page: SubjectPage = EMPTY_PAGE;
    const qb = this.subjects();
    if (whereInScope(qb, 's', scope)) {
      if (parsed.kind === 'ID_NUMBER') qb.andWhere('s.personKey = :personKey', { personKey: this.personKeys.of(parsed.idNumber) });
      else qb.andWhere('s.nameIndex = :nameIndex', { nameIndex: this.personKeys.nameIndex(parsed.name) });
      page = await keysetPage(qb, 's', { first, after, max: SEARCH_MAX_PAGE, count });
    }
    await this.audit.record({
      actor: caller,
      action: 'correction.subject.search',
      entityType: 'CorrectionSubject',
      towns,
      personKeys: page.items.map((s) => s.personKey),
      details: { queryKind: parsed.kind, ids: page.items.map((s) => s.id) },
    });
    return page;
  }

  /** Items due on the clock's today (`which` = TODAY) or before it (OVERDUE), in the caller's towns; audited. */
  async due(caller: Principal, which: 'TODAY' | 'OVERDUE', town?: string, page: DuePage = {}): Promise<DueRow[]> {
    const scope = personScope(caller, town);
    const towns = scope.towns;
    const today = this.clock.today();
    const after = page.after ? decodeDueCursor(page.after) : null;
    const rows = isEmptyScope(scope) ? [] : await this.dueRows(scope, today, which, after, page.first ?? null);
    await this.audit.record({
      actor: caller,
      action: which === 'TODAY' ? 'correction.due-today.list' : 'correction.overdue.list',
      entityType: 'DueItem',
      towns,
      personKeys: rows.map((r) => r.personKey),
      details: { today, count: rows.length, recordIds: rows.map((r) => r.recordId) },
    });
    return rows;
  }

  /** CC-10 flag of many subjects on the clock's today, in one statement. */
  async keyPersonFlags(subjectIds: readonly string[]): Promise<Map<string, boolean>> {
    const out = new Map<string, boolean>(subjectIds.map((id) => [id, false]));
    if (subjectIds.length === 0) return out;
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT x.id FROM unnest($1::uuid[]) AS x(id) WHERE correction.is_key_person(x.id, $2::date)`,
      [[...subjectIds], this.clock.today()],
    );
    for (const r of rows) out.set(r.id, true);
    return out;
  }

  private subjects(): SelectQueryBuilder<CorrectionSubject> {
    return this.dataSource.getRepository(CorrectionSubject).createQueryBuilder('s');
  }

  /**
   * One UNION ALL over correction's own tables, each branch filtered by its date (issue 13 S5: an
   * index range, not every open record of the towns). CHECK_IN: the next check-in of an ACTIVE
   * subject is the later of the last check-in and the supervision start (`check_in_base`, kept by
   * triggers), plus the interval of the level in force (`level_now`; CC-8/CC-9, intervals from the
   * config), as nextCheckInDue computes it; one branch per level asks `check_in_base <op> today -
   * interval`, an index-only range of `subjects_check_in_due_idx` (migration 1797600000500).
   */
  private async dueRows(scope: PersonScope, today: LocalDate, which: 'TODAY' | 'OVERDUE', after: DueCursor | null, first: number | null): Promise<DueRow[]> {
    const interval = (level: SupervisionLevel) => this.policy.obligations(level).checkInIntervalDays;
    const rows: Array<{ kind: DueItemKind; subject_id: string | null; record_id: string; name: string | null; town: string; due_on: string; person_key: string }> =
      await this.dataSource.query(
        dueRowsSql(which),
        [
          scope.towns,
          today,
          interval(SupervisionLevel.STRICT),
          interval(SupervisionLevel.ORDINARY),
          interval(SupervisionLevel.LENIENT),
          scope.personKeys === null ? null : [...scope.personKeys],
          after?.dueOn ?? null,
          after?.town ?? null,
          after?.kind ?? null,
          after?.recordId ?? null,
          first,
        ],
      );
    return rows.map((r) => ({ kind: r.kind, subjectId: r.subject_id, recordId: r.record_id, name: r.name === null ? null : this.cipher.decrypt(r.name), town: r.town, dueOn: r.due_on, personKey: r.person_key }));
  }
}
