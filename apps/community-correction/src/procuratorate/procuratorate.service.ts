import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, DomainErrorCode, addDays, compareLocalDate, parseLocalDate, procuratorateReplyDeadline } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, EMPTY_PAGE, Principal, keysetPage, agencyOwnerKey, personScope, whereInScope, townFilter, inTransaction, RecordAccess } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { CorrectionSubject } from '../subjects/subject.entity';
import { ProcuratorateNotice, ProcuratorateNoticeKind, ProcuratorateNoticeStatus } from './procuratorate-notice.entity';
import { ProcuratorateNoticeDto } from './dto/procuratorate-notice.dto';
import { ProcuratorateNoticesArgs, ReplyProcuratorateNoticeInput } from './procuratorate.types';

@Injectable()
export class ProcuratorateService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    @Inject(CorrectionConfig) private readonly config: CorrectionConfig,
  ) {
    this.notices = new RecordAccess(audit, { entity: ProcuratorateNotice, what: 'procuratorate notice' });
  }

  private readonly notices: RecordAccess<ProcuratorateNotice>;

  /** CC-16: a notice about a subject; the reply is due PROCURATORATE_REPLY_DAYS after issue (CC-23). Unknown subject → 422. */
  async receive(caller: Principal, dto: ProcuratorateNoticeDto): Promise<ProcuratorateNotice> {
    const issuedDate = parseLocalDate(dto.issuedDate, 'issuedDate');
    if (compareLocalDate(issuedDate, this.clock.today()) > 0) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, 'issuedDate is in the future / 发文日期晚于今天', { field: 'issuedDate' });
    }
    // CC-23: a reply period ending on a rest day or holiday ends on the next working day.
    const replyDue = procuratorateReplyDeadline(issuedDate, this.config.PROCURATORATE_REPLY_DAYS);
    return inTransaction(this.dataSource, async (manager) => {
      const subject = await manager.getRepository(CorrectionSubject).findOneBy({ id: dto.subjectId });
      if (!subject) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `unknown subject ${dto.subjectId} / 未找到该社区矫正对象`, { field: 'subjectId' });
      }
      const notice = manager.getRepository(ProcuratorateNotice).create({
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        agencyId: agencyOwnerKey(caller),
        kind: dto.kind as ProcuratorateNoticeKind,
        documentNo: dto.documentNo,
        issuedDate,
        content: dto.content,
        replyDue,
        status: ProcuratorateNoticeStatus.RECEIVED,
        reply: null,
        repliedOn: null,
        repliedBy: null,
      });
      await manager.save(notice);
      await this.events.publish(manager, 'correction.procuratorate-notice.received', {
        noticeId: notice.id,
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        replyDue,
        remindOn: addDays(replyDue, -this.config.PROCURATORATE_REPLY_REMINDER_DAYS),
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.procuratorate-notice.receive',
          entityType: 'ProcuratorateNotice',
          entityId: notice.id,
          personKey: subject.personKey,
          towns: [subject.town],
          details: { subjectId: subject.id, kind: notice.kind, documentNo: notice.documentNo, replyDue },
        },
        manager,
      );
      return notice;
    });
  }

  /** CC-16: staff reply; a second reply is an illegal transition. */
  async reply(caller: Principal, input: ReplyProcuratorateNoticeInput): Promise<ProcuratorateNotice> {
    const repliedOn = input.repliedOn ? parseLocalDate(input.repliedOn, 'repliedOn') : this.clock.today();
    return this.dataSource.transaction(async (manager) => {
      const notice = await this.notices.forChange(manager, caller, input.noticeId, 'correction.procuratorate-notice.reply');
      if (notice.status !== ProcuratorateNoticeStatus.RECEIVED) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the notice was already replied to / 该检察建议已回复', { details: { status: notice.status } });
      }
      if (compareLocalDate(repliedOn, notice.issuedDate) < 0) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'reply before the notice was issued / 回复日期早于发文日期', { field: 'repliedOn' });
      }
      notice.status = ProcuratorateNoticeStatus.REPLIED;
      notice.reply = input.reply;
      notice.repliedOn = repliedOn;
      notice.repliedBy = caller.username ?? caller.sub;
      await manager.save(notice);
      await this.events.publish(manager, 'correction.procuratorate-notice.replied', {
        noticeId: notice.id,
        subjectId: notice.subjectId,
        personKey: notice.personKey,
        town: notice.town,
        repliedOn,
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.procuratorate-notice.reply',
          entityType: 'ProcuratorateNotice',
          entityId: notice.id,
          personKey: notice.personKey,
          towns: [notice.town],
          details: { repliedOn, onTime: compareLocalDate(repliedOn, notice.replyDue) <= 0 },
        },
        manager,
      );
      return notice;
    });
  }

  async list(caller: Principal, filter: ProcuratorateNoticesArgs): Promise<{ items: ProcuratorateNotice[]; totalCount: number; endCursor: string | null; hasNextPage: boolean }> {
    const scope = personScope(caller, filter.town);
    const towns = scope.towns;
    const qb = this.dataSource.getRepository(ProcuratorateNotice).createQueryBuilder('n');
    if (!whereInScope(qb, 'n', scope)) return EMPTY_PAGE;
    if (filter.status) qb.andWhere('n.status = :status', { status: filter.status });
    const page = await keysetPage(qb, 'n', { first: filter.first, after: filter.after });
    await this.audit.record({ actor: caller, action: 'correction.procuratorate-notice.list', entityType: 'ProcuratorateNotice', towns, personKeys: page.items.map((n) => n.personKey), details: { ids: page.items.map((n) => n.id) } });
    return page;
  }
}
