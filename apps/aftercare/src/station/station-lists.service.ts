import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AftercareCaseStatus, DomainError, DomainErrorCode, FollowUpKind, followUpPeriods } from '@homeward/domain';
import { AuditWriter, Clock, EMPTY_PAGE, Page, Principal, isUuid, townFilter } from '@homeward/platform';
import { AftercareCase } from '../cases/aftercare-case.entity';
import { DrugTest } from '../drug-tests/drug-test.entity';
import { FollowUp } from '../follow-ups/follow-up.entity';
import { ReleaseNotice } from '../notices/release-notice.entity';

/** A station list's paging and town filter, as the GraphQL args give them. */
export interface StationListRequest {
  town?: string | null;
  first: number;
  after?: string | null;
}

/** A page of a station list, with the cursor of each row (its sort key and id). */
export type StationPage = Page<AftercareCase> & { cursorOf: (row: AftercareCase) => string };

type SortKey = 'releaseDate' | 'lastRelapseOn';
const COLUMN: Record<SortKey, string> = { releaseDate: 'release_date', lastRelapseOn: 'last_relapse_on' };

const encode = (value: unknown, id: string) => Buffer.from(JSON.stringify({ v: String(value), id })).toString('base64url');

function decode(cursor: string): { v: string; id: string } {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v: string; id: string };
    if (typeof c.v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(c.v) && isUuid(c.id)) return c;
  } catch {
    /* reported below */
  }
  throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'invalid cursor / 分页游标无效', { field: 'after' });
}

/**
 * The town service station's lists (issue 10 item 9): to contact (AC-2), phone follow-ups due this
 * month and visits due this quarter (AC-3), relapses (AC-4). Cases of the caller's towns only
 * (whole-town staff; a case in the city queue has no town and is in none), keyset-paged over
 * (sort key, id), each page audited as one list read naming the persons it showed.
 */
@Injectable()
export class StationListsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  /** AC-2: notified, not contacted yet; the longest since release first. */
  toContact(caller: Principal, p: StationListRequest): Promise<StationPage> {
    return this.list(caller, p, 'to-contact', 'releaseDate', 'ASC', (qb) => qb.andWhere('r.status = :st', { st: AftercareCaseStatus.AWAITING_CONTACT }));
  }

  /** AC-3: enrolled cases without a PHONE follow-up in the current calendar month. */
  followUpsDue(caller: Principal, p: StationListRequest): Promise<StationPage> {
    const { month } = followUpPeriods(this.clock.today());
    return this.list(caller, p, 'follow-ups-due', 'releaseDate', 'ASC', (qb) => this.owing(qb, FollowUpKind.PHONE, month), { period: month });
  }

  /** AC-3: enrolled cases without a FACE_TO_FACE visit in the current calendar quarter. */
  visitsDue(caller: Principal, p: StationListRequest): Promise<StationPage> {
    const { quarter } = followUpPeriods(this.clock.today());
    return this.list(caller, p, 'visits-due', 'releaseDate', 'ASC', (qb) => this.owing(qb, FollowUpKind.FACE_TO_FACE, quarter), { period: quarter });
  }

  /** AC-4: open cases with a relapse, the latest relapse first. */
  relapses(caller: Principal, p: StationListRequest): Promise<StationPage> {
    return this.list(caller, p, 'relapses', 'lastRelapseOn', 'DESC', (qb) => qb.andWhere('r.relapseCount > 0').andWhere('r.lastRelapseOn IS NOT NULL').andWhere('r.status <> :closed', { closed: AftercareCaseStatus.CLOSED }));
  }

  /** The case page: the notice of each case (a DataLoader batch; the case read is the audited one). */
  noticesByIds(ids: readonly string[]): Promise<Map<string, ReleaseNotice[]>> {
    return this.rowsBy(ReleaseNotice, 'id', ids);
  }

  followUpsByCaseIds(ids: readonly string[]): Promise<Map<string, FollowUp[]>> {
    return this.rowsBy(FollowUp, 'caseId', ids, 'heldOn');
  }

  drugTestsByCaseIds(ids: readonly string[]): Promise<Map<string, DrugTest[]>> {
    return this.rowsBy(DrugTest, 'caseId', ids, 'testedOn');
  }

  private owing(qb: SelectQueryBuilder<AftercareCase>, kind: FollowUpKind, period: string): void {
    qb.andWhere('r.status = :st', { st: AftercareCaseStatus.ENROLLED }).andWhere(
      `NOT EXISTS (SELECT 1 FROM aftercare.follow_ups f WHERE f.case_id = r.id AND f.kind = :kind AND f.period = :period)`,
      { kind, period },
    );
  }

  private async list(
    caller: Principal,
    p: StationListRequest,
    name: string,
    orderBy: SortKey,
    direction: 'ASC' | 'DESC',
    where: (qb: SelectQueryBuilder<AftercareCase>) => void,
    details: Record<string, unknown> = {},
  ): Promise<StationPage> {
    const cursorOf = (row: AftercareCase) => encode(row[orderBy], row.id);
    const towns = townFilter(caller, p.town ?? null);
    if (towns.length === 0) return { ...(EMPTY_PAGE as Page<AftercareCase>), cursorOf };
    const qb = this.dataSource.getRepository(AftercareCase).createQueryBuilder('r').where('r.town IN (:...towns)', { towns });
    where(qb);
    const totalCount = await qb.clone().getCount();
    if (p.after) {
      const c = decode(p.after);
      qb.andWhere(`(r.${COLUMN[orderBy]}, r.id) ${direction === 'ASC' ? '>' : '<'} (:cv, :cid)`, { cv: c.v, cid: c.id });
    }
    const size = Math.min(Math.max(p.first, 1), 100);
    const rows = await qb.orderBy(`r.${orderBy}`, direction).addOrderBy('r.id', direction).take(size + 1).getMany();
    const items = rows.slice(0, size);
    await this.audit.record({
      actor: caller,
      action: 'aftercare.case.list',
      entityType: 'AftercareCase',
      towns: [...new Set(items.map((r) => r.town).filter((t): t is string => !!t))],
      personKeys: items.map((r) => r.personKey),
      details: { list: name, count: items.length, ...details },
    });
    const last = items[items.length - 1];
    return { items, totalCount, endCursor: last ? cursorOf(last) : null, hasNextPage: rows.length > size, cursorOf };
  }

  private async rowsBy<T extends ObjectLiteral>(entity: new () => T, column: keyof T & string, ids: readonly string[], orderBy: keyof T & string = 'createdAt' as keyof T & string): Promise<Map<string, T[]>> {
    const out = new Map<string, T[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(entity).find({ where: { [column]: In([...ids]) } as never, order: { [orderBy]: 'ASC', ...(orderBy === 'createdAt' ? {} : { createdAt: 'ASC' }) } as never });
    for (const r of rows) out.get(r[column] as string)?.push(r);
    return out;
  }
}
