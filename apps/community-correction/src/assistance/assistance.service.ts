import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import { DomainError, DomainErrorCode, compareLocalDate, parseLocalDate } from '@homeward/domain';
import { AuditWriter, Clock, EMPTY_PAGE, Principal, keysetPage, personScope, whereInScope, RecordAccess } from '@homeward/platform';
import { SubjectAccess } from '../subjects/subject-access';
import { AssistanceKind, AssistanceNeed, AssistanceNeedStatus, Dispute, DisputeStatus } from './assistance.entity';

export interface Page<T> {
  items: T[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface ListFilter {
  town?: string;
  subjectId?: string;
  status?: string;
  first: number;
  after?: string;
}

/** K-CC3 inputs: subjects in need during the period, and those of them given assistance in it. */
export interface AssistanceCounts {
  inNeed: number;
  assisted: number;
}

/** CC-18 assistance (帮扶救助) and disputes (矛盾纠纷). */
@Injectable()
export class AssistanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly subjects: SubjectAccess,
  ) {
    this.needs = new RecordAccess(audit, { entity: AssistanceNeed, what: 'assistance need' });
    this.disputes = new RecordAccess(audit, { entity: Dispute, what: 'dispute' });
  }

  private readonly needs: RecordAccess<AssistanceNeed>;
  private readonly disputes: RecordAccess<Dispute>;

  /** CC-18: a need recorded for a subject in correction (the subject is then "in need"). */
  async recordNeed(caller: Principal, input: { subjectId: string; kind: AssistanceKind; description: string; recordedOn?: string }): Promise<AssistanceNeed> {
    const recordedOn = this.dateOrToday(input.recordedOn, 'recordedOn');
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.forChange(manager, caller, input.subjectId, 'correction.assistance.record-need');
      const need = manager.getRepository(AssistanceNeed).create({
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        kind: input.kind,
        description: input.description,
        recordedOn,
        recordedBy: this.by(caller),
        status: AssistanceNeedStatus.OPEN,
        givenOn: null,
        givenBy: null,
        givenNote: null,
      });
      await manager.save(need);
      await this.record(manager, caller, 'correction.assistance.record-need', 'AssistanceNeed', need, { subjectId: subject.id, kind: need.kind, recordedOn });
      return need;
    });
  }

  /** CC-18: assistance given (date, by, note) — the need is met; a met need cannot be met again. */
  async give(caller: Principal, input: { needId: string; givenOn?: string; givenBy?: string; note: string }): Promise<AssistanceNeed> {
    const givenOn = this.dateOrToday(input.givenOn, 'givenOn');
    return this.dataSource.transaction(async (manager) => {
      const need = await this.needs.forChange(manager, caller, input.needId, 'correction.assistance.give');
      if (need.status !== AssistanceNeedStatus.OPEN) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'assistance was already given / 该需求已帮扶', { details: { status: need.status } });
      }
      if (compareLocalDate(givenOn, need.recordedOn) < 0) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'given before the need was recorded / 帮扶日期早于登记日期', { field: 'givenOn' });
      }
      need.status = AssistanceNeedStatus.MET;
      need.givenOn = givenOn;
      need.givenBy = input.givenBy ?? this.by(caller);
      need.givenNote = input.note;
      await manager.save(need);
      await this.record(manager, caller, 'correction.assistance.give', 'AssistanceNeed', need, { givenOn, givenBy: need.givenBy });
      return need;
    });
  }

  /** CC-18: a dispute (矛盾纠纷) found. */
  async recordDispute(caller: Principal, input: { subjectId: string; description: string; foundOn?: string }): Promise<Dispute> {
    const foundOn = this.dateOrToday(input.foundOn, 'foundOn');
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.forChange(manager, caller, input.subjectId, 'correction.dispute.record');
      const dispute = manager.getRepository(Dispute).create({
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        description: input.description,
        foundOn,
        foundBy: this.by(caller),
        status: DisputeStatus.OPEN,
        resolvedOn: null,
        resolution: null,
        resolvedBy: null,
      });
      await manager.save(dispute);
      await this.record(manager, caller, 'correction.dispute.record', 'Dispute', dispute, { subjectId: subject.id, foundOn });
      return dispute;
    });
  }

  /** CC-18: the dispute resolved (化解); once only. */
  async resolveDispute(caller: Principal, input: { disputeId: string; resolution: string; resolvedOn?: string }): Promise<Dispute> {
    const resolvedOn = this.dateOrToday(input.resolvedOn, 'resolvedOn');
    return this.dataSource.transaction(async (manager) => {
      const dispute = await this.disputes.forChange(manager, caller, input.disputeId, 'correction.dispute.resolve');
      if (dispute.status !== DisputeStatus.OPEN) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the dispute was already resolved / 该纠纷已化解', { details: { status: dispute.status } });
      }
      if (compareLocalDate(resolvedOn, dispute.foundOn) < 0) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'resolved before it was found / 化解日期早于发现日期', { field: 'resolvedOn' });
      }
      dispute.status = DisputeStatus.RESOLVED;
      dispute.resolvedOn = resolvedOn;
      dispute.resolution = input.resolution;
      dispute.resolvedBy = this.by(caller);
      await manager.save(dispute);
      await this.record(manager, caller, 'correction.dispute.resolve', 'Dispute', dispute, { resolvedOn });
      return dispute;
    });
  }

  listNeeds(caller: Principal, filter: ListFilter & { kind?: AssistanceKind }): Promise<Page<AssistanceNeed>> {
    return this.page(caller, AssistanceNeed, filter, 'correction.assistance.list', filter.kind ? { kind: filter.kind } : {});
  }

  listDisputes(caller: Principal, filter: ListFilter): Promise<Page<Dispute>> {
    return this.page(caller, Dispute, filter, 'correction.dispute.list', {});
  }

  /**
   * K-CC3 (for the indicators): over the period [from, to], a subject is "in need" when a need was
   * recorded by `to` and was still open on `from` or later (not met before the period); "assisted"
   * when such a need of theirs was met within the period. Distinct subjects; one query.
   */
  async assistanceCounts(towns: readonly string[], from: string, to: string): Promise<AssistanceCounts> {
    if (towns.length === 0) return { inNeed: 0, assisted: 0 };
    const [row] = await this.dataSource.query(
      `SELECT count(DISTINCT subject_id)::int AS in_need,
              count(DISTINCT subject_id) FILTER (WHERE given_on BETWEEN $2 AND $3)::int AS assisted
         FROM correction.assistance_needs
        WHERE town = ANY($1) AND recorded_on <= $3 AND (given_on IS NULL OR given_on >= $2)`,
      [[...towns], from, to],
    );
    return { inNeed: row.in_need, assisted: row.assisted };
  }

  private async page<T extends ObjectLiteral & { id: string; createdAt: Date }>(
    caller: Principal,
    entity: new () => T,
    filter: ListFilter,
    action: string,
    extra: Record<string, string>,
  ): Promise<Page<T>> {
    const scope = personScope(caller, filter.town);
    const towns = scope.towns;
    const qb = this.dataSource.getRepository(entity).createQueryBuilder('r');
    if (!whereInScope(qb, 'r', scope)) return EMPTY_PAGE;
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    if (filter.subjectId) qb.andWhere('r.subjectId = :subjectId', { subjectId: filter.subjectId });
    for (const [k, v] of Object.entries(extra)) qb.andWhere(`r.${k} = :${k}`, { [k]: v });
    const page = await keysetPage(qb, 'r', { first: filter.first, after: filter.after });
    await this.audit.record({ actor: caller, action, entityType: entity.name, towns, personKeys: page.items.map((r) => r.personKey), details: { ids: page.items.map((r) => r.id) } });
    return page;
  }

  private dateOrToday(value: string | undefined, field: string): string {
    if (!value) return this.clock.today();
    const date = parseLocalDate(value, field);
    if (compareLocalDate(date, this.clock.today()) > 0) throw new DomainError(DomainErrorCode.DATE_INVALID, `${field} is in the future / 日期晚于今天`, { field });
    return date;
  }

  private by(caller: Principal): string {
    return caller.username ?? caller.sub;
  }

  private record(manager: EntityManager, caller: Principal, action: string, entityType: string, row: { id: string; personKey: string; town: string }, details: Record<string, unknown>): Promise<void> {
    return this.audit.record({ actor: caller, action, entityType, entityId: row.id, personKey: row.personKey, towns: [row.town], details }, manager);
  }
}
