import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, DomainErrorCode, monthOf } from '@homeward/domain';
import { AuditWriter, Clock, EMPTY_PAGE, FieldCipher, Page, Principal, canSeeTown, isKnownTownCode, isUuid, keysetPage, townFilter } from '@homeward/platform';
import { CorrectionSubject } from '../subjects/subject.entity';
import { actorName } from '../subjects/subject-access';
import { CaseReport } from './case-report.entity';

export interface CaseReportView {
  report: CaseReport;
  title: string;
  narrative: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** CC-28 case reports (案例报送): a justice office reports exemplary cases for a month; the city accepts them (录用). */
@Injectable()
export class CaseReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly cipher: FieldCipher,
  ) {}

  async report(caller: Principal, input: { town: string; month: string; title: string; narrative: string; subjectId?: string }): Promise<CaseReportView> {
    if (!isKnownTownCode(input.town)) throw new DomainError(DomainErrorCode.TOWN_UNKNOWN, `unknown town ${input.town} / 未知的镇（街道）代码`, { field: 'town' });
    if (!MONTH.test(input.month)) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'month must be YYYY-MM / 月份格式应为YYYY-MM', { field: 'month' });
    if (input.month > monthOf(this.clock.today())) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, 'CC-28: a case is reported for this month or an earlier one / 不能报送未来月份的案例', { field: 'month' });
    }
    if (!canSeeTown(caller, input.town)) {
      await this.audit.record({ actor: caller, action: 'correction.case-report.report', entityType: 'CaseReport', towns: [input.town], outcome: 'DENIED' });
      throw new DomainError(DomainErrorCode.NOT_FOUND, `town ${input.town} not found / 未找到该镇（街道）`, { field: 'town' });
    }
    return this.dataSource.transaction(async (manager) => {
      let personKey: string | undefined;
      if (input.subjectId) {
        const subject = isUuid(input.subjectId) ? await manager.getRepository(CorrectionSubject).findOneBy({ id: input.subjectId }) : null;
        if (!subject || subject.town !== input.town) {
          throw new DomainError(DomainErrorCode.NOT_FOUND, `subject ${input.subjectId} not found in town ${input.town} / 该镇未找到该社区矫正对象`, { field: 'subjectId' });
        }
        personKey = subject.personKey;
      }
      const report = manager.getRepository(CaseReport).create({
        town: input.town,
        month: input.month,
        titleCipher: this.cipher.encrypt(input.title),
        narrativeCipher: this.cipher.encrypt(input.narrative),
        subjectId: input.subjectId ?? null,
        status: 'REPORTED',
        reportedBy: actorName(caller),
        reportedOn: this.clock.today(),
        decidedBy: null,
        decidedOn: null,
        decisionNote: null,
      });
      await manager.save(report);
      await this.audit.record(
        { actor: caller, action: 'correction.case-report.report', entityType: 'CaseReport', entityId: report.id, personKey, towns: [report.town], details: { month: report.month } },
        manager,
      );
      return this.view(report);
    });
  }

  /** CC-28: the city accepts (录用) or declines a reported case, once. */
  async decide(caller: Principal, input: { id: string; accepted: boolean; note?: string }): Promise<CaseReportView> {
    return this.dataSource.transaction(async (manager) => {
      const report = isUuid(input.id) ? await manager.getRepository(CaseReport).findOne({ where: { id: input.id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!report || !canSeeTown(caller, report.town)) {
        await this.audit.recordOutsideTransaction({ actor: caller, action: 'correction.case-report.decide', entityType: 'CaseReport', entityId: input.id, outcome: 'DENIED' }, manager);
        throw new DomainError(DomainErrorCode.NOT_FOUND, `case report ${input.id} not found / 未找到该案例`, { field: 'id' });
      }
      if (report.status !== 'REPORTED') {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `CC-28: this case was already ${report.status} / 该案例已处理`, { field: 'id', details: { status: report.status } });
      }
      report.status = input.accepted ? 'ACCEPTED' : 'DECLINED';
      report.decidedBy = actorName(caller);
      report.decidedOn = this.clock.today();
      report.decisionNote = input.note ?? null;
      await manager.save(report);
      await this.audit.record(
        { actor: caller, action: 'correction.case-report.decide', entityType: 'CaseReport', entityId: report.id, towns: [report.town], details: { status: report.status } },
        manager,
      );
      return this.view(report);
    });
  }

  /** Newest first, in the caller's towns; titles and narratives decrypted for the caller (audited). */
  async list(caller: Principal, filter: { town?: string; month?: string; first: number; after?: string }): Promise<Page<CaseReportView>> {
    const towns = townFilter(caller, filter.town);
    if (towns.length === 0) return EMPTY_PAGE;
    const qb = this.dataSource.getRepository(CaseReport).createQueryBuilder('r').where('r.town IN (:...towns)', { towns });
    if (filter.month) qb.andWhere('r.month = :month', { month: filter.month });
    const page = await keysetPage(qb, 'r', { first: filter.first, after: filter.after });
    await this.audit.record({ actor: caller, action: 'correction.case-report.list', entityType: 'CaseReport', towns, details: { ids: page.items.map((r) => r.id) } });
    return { ...page, items: page.items.map((r) => this.view(r)) };
  }

  private view(report: CaseReport): CaseReportView {
    return { report, title: this.cipher.decrypt(report.titleCipher), narrative: this.cipher.decrypt(report.narrativeCipher) };
  }
}
