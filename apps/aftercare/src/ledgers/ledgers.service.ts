import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AFTERCARE_LEDGER_KIND_LABELS,
  AftercareLedgerKind,
  CLOSURE_REASON_LABELS,
  ClosureReason,
  DRUG_TEST_RESULT_LABELS,
  DomainError,
  DomainErrorCode,
  DrugTestResult,
  FOLLOW_UP_KIND_LABELS,
  FollowUpKind,
  RELAPSE_SOURCE_LABELS,
  RelapseSource,
  isBefore,
} from '@homeward/domain';
import { AuditWriter, Principal, RowPage, townFilter } from '@homeward/platform';

/** One line of a station's ledger (台账): a record of one case on one day, with its code and a Chinese description. */
export interface LedgerLine {
  id: string;
  kind: AftercareLedgerKind;
  caseId: string | null;
  town: string;
  personKey: string;
  maskedIdNumber: string | null;
  date: string;
  /** The record's own value: the notice's match, IN_TIME / LATE, the follow-up kind, the test result, the relapse source, the closure reason. */
  code: string;
  description: string;
}

export interface LedgerFilter {
  town?: string | null;
  from?: string | null;
  to?: string | null;
  first: number;
  after?: string | null;
}

/**
 * The rows of each ledger: id, case_id, town, person_key, on_date, code and two free columns a / b
 * the description is made of. One SELECT per kind over the feature tables (read-only).
 */
const SOURCES: Record<AftercareLedgerKind, string> = {
  [AftercareLedgerKind.NOTICES]: `SELECT n.id, c.id AS case_id, n.town, n.person_key, n.received_on AS on_date, n.matched_by AS code,
                                         n.release_date::text AS a, CASE WHEN n.late THEN 'late' ELSE '' END AS b
                                    FROM aftercare.release_notices n LEFT JOIN aftercare.cases c ON c.notice_id = n.id`,
  [AftercareLedgerKind.CONTACTS]: `SELECT c.id, c.id AS case_id, c.town, c.person_key, c.first_contact_on AS on_date,
                                          CASE WHEN c.first_contact_on <= c.contact_due THEN 'IN_TIME' ELSE 'LATE' END AS code,
                                          c.release_date::text AS a, CASE WHEN c.contact_card_issued_on IS NOT NULL THEN 'card' ELSE '' END AS b
                                     FROM aftercare.cases c WHERE c.first_contact_on IS NOT NULL`,
  [AftercareLedgerKind.FOLLOW_UPS]: `SELECT f.id, f.case_id, c.town, c.person_key, f.held_on AS on_date, f.kind AS code,
                                            f.period AS a, (CASE WHEN f.contact_made THEN 'Y' ELSE 'N' END) || f.drug_test AS b
                                       FROM aftercare.follow_ups f JOIN aftercare.cases c ON c.id = f.case_id`,
  [AftercareLedgerKind.DRUG_TESTS]: `SELECT t.id, t.case_id, c.town, t.person_key, t.tested_on AS on_date, t.result AS code, t.source AS a, '' AS b
                                       FROM aftercare.drug_tests t JOIN aftercare.cases c ON c.id = t.case_id`,
  [AftercareLedgerKind.RELAPSES]: `SELECT r.id, r.case_id, r.town, r.person_key, r.relapsed_on AS on_date, r.source AS code, '' AS a, '' AS b FROM aftercare.relapses r`,
  [AftercareLedgerKind.CLOSURES]: `SELECT c.id, c.id AS case_id, c.town, c.person_key, c.closed_on AS on_date, c.closure_reason AS code, '' AS a, '' AS b
                                     FROM aftercare.cases c WHERE c.closed_on IS NOT NULL`,
};

function describe(kind: AftercareLedgerKind, code: string, a: string, b: string): string {
  switch (kind) {
    case AftercareLedgerKind.NOTICES:
      return `解戒日期 ${a}${b === 'late' ? '（迟报）' : ''}${code === 'CITY_QUEUE' ? '，待市局指定服务站' : code === 'ASSIGNED' ? '，市局指定' : ''}`;
    case AftercareLedgerKind.CONTACTS:
      return `解戒日期 ${a}，${code === 'IN_TIME' ? '7日内对接' : '超期对接'}${b === 'card' ? '，已发放联系卡' : ''}`;
    case AftercareLedgerKind.FOLLOW_UPS:
      return `${FOLLOW_UP_KIND_LABELS[code as FollowUpKind] ?? code} ${a}，${b.startsWith('Y') ? '已联系' : '未联系上'}，尿检：${DRUG_TEST_RESULT_LABELS[b.slice(1) as DrugTestResult] ?? b.slice(1)}`;
    case AftercareLedgerKind.DRUG_TESTS:
      return `尿检${DRUG_TEST_RESULT_LABELS[code as DrugTestResult] ?? code}（${a === 'POLICE' ? '公安检测' : '回访检测'}）`;
    case AftercareLedgerKind.RELAPSES:
      return `复吸：${RELAPSE_SOURCE_LABELS[code as RelapseSource] ?? code}`;
    case AftercareLedgerKind.CLOSURES:
      return `解除后续照管：${CLOSURE_REASON_LABELS[code as ClosureReason] ?? code}`;
  }
}

const encode = (date: string, id: string) => Buffer.from(JSON.stringify([date, id])).toString('base64url');
function decode(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && /^\d{4}-\d{2}-\d{2}$/.test(String(v[0])) && /^[0-9a-f-]{36}$/i.test(String(v[1]))) return [String(v[0]), String(v[1])];
  } catch {
    /* falls through */
  }
  throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'after is not a cursor of this list / 分页游标无效', { field: 'after' });
}

/** AC-7 the ledgers (台账) of the caller's stations: notices, contacts, follow-ups, tests, relapses, closures, newest day first; audited. */
@Injectable()
export class LedgersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
  ) {}

  async ledger(caller: Principal, kind: AftercareLedgerKind, f: LedgerFilter): Promise<RowPage<LedgerLine> & { cursorOf: (l: LedgerLine) => string }> {
    const cursorOf = (l: LedgerLine) => encode(l.date, l.id);
    if (!SOURCES[kind]) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `kind must be one of ${Object.values(AftercareLedgerKind).join(', ')} / 台账类型无效`, { field: 'kind' });
    if (f.from && f.to && isBefore(f.to, f.from)) throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'to is before from / 结束日期早于开始日期', { field: 'to' });
    const towns = townFilter(caller, f.town);
    if (towns.length === 0) return { items: [], totalCount: 0, hasNextPage: false, cursorOf };
    const size = Math.min(Math.max(f.first, 1), 100);
    const after = f.after ? decode(f.after) : null;
    const where = `x.town = ANY($1) AND ($2::date IS NULL OR x.on_date >= $2) AND ($3::date IS NULL OR x.on_date <= $3)`;
    const params: unknown[] = [towns, f.from ?? null, f.to ?? null];
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM (${SOURCES[kind]}) x WHERE ${where}`, params);
    const rows = await this.dataSource.query<Array<{ id: string; case_id: string | null; town: string; person_key: string; on_date: string; code: string; a: string; b: string; masked_id_number: string | null }>>(
      `SELECT x.id, x.case_id, x.town, x.person_key, x.on_date::text AS on_date, x.code, x.a, x.b, rn.masked_id_number
         FROM (${SOURCES[kind]}) x
         LEFT JOIN aftercare.cases cc ON cc.id = x.case_id
         LEFT JOIN aftercare.release_notices rn ON rn.id = cc.notice_id
        WHERE ${where} AND ($4::date IS NULL OR (x.on_date, x.id) < ($4::date, $5::uuid))
        ORDER BY x.on_date DESC, x.id DESC LIMIT ${size + 1}`,
      [...params, after?.[0] ?? null, after?.[1] ?? null],
    );
    const items = rows.slice(0, size).map((r) => ({
      id: r.id,
      kind,
      caseId: r.case_id,
      town: r.town,
      personKey: r.person_key,
      maskedIdNumber: r.masked_id_number,
      date: r.on_date,
      code: r.code,
      description: describe(kind, r.code, r.a, r.b),
    }));
    await this.audit.record({
      actor: caller,
      action: 'aftercare.ledger.read',
      entityType: 'AftercareLedger',
      towns,
      personKeys: [...new Set(items.map((i) => i.personKey))],
      details: { kind, label: AFTERCARE_LEDGER_KIND_LABELS[kind], from: f.from ?? null, to: f.to ?? null, count: items.length },
    });
    return { items, totalCount: n, hasNextPage: rows.length > size, cursorOf };
  }
}
