import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DisputeCategory, DomainError, DomainErrorCode, compareLocalDate } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, Principal, RecordAccess, inTransaction } from '@homeward/platform';
import { AssistanceCase } from '../cases/assistance-case.entity';
import { rowsBy } from '../cases/rows-by';
import { CaseDispute } from './dispute.entity';

export interface RecordDispute {
  caseId: string;
  category: DisputeCategory;
  occurredOn: string;
  summary: string;
}

/** The longest summary kept (a short account, not a file). */
export const DISPUTE_SUMMARY_MAX = 500;

/**
 * RS-13 disputes (矛盾纠纷) on an assistance case: recorded by the town office or the person's social
 * worker (the person scope: towns and, for a social worker, its caseload), audited, and published as
 * `resettlement.dispute.recorded` (category and day only), which the push turns into DISPUTE deliveries.
 */
@Injectable()
export class DisputesService {
  private readonly cases: RecordAccess<AssistanceCase>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {
    this.cases = new RecordAccess(audit, {
      entity: AssistanceCase,
      notFound: () => new DomainError(DomainErrorCode.NOT_FOUND, 'assistance case not found / 未找到该帮教对象'),
    });
  }

  async record(caller: Principal, cmd: RecordDispute): Promise<CaseDispute> {
    if (!Object.values(DisputeCategory).includes(cmd.category)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'unknown dispute category / 未知的纠纷类别', { field: 'category' });
    }
    const summary = cmd.summary?.trim() ?? '';
    if (summary.length < 1 || summary.length > DISPUTE_SUMMARY_MAX) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `a summary of 1 to ${DISPUTE_SUMMARY_MAX} characters is required / 纠纷简况须为1至${DISPUTE_SUMMARY_MAX}个字符`, { field: 'summary' });
    }
    if (compareLocalDate(cmd.occurredOn, this.clock.today()) > 0) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, 'occurredOn cannot be in the future / 纠纷发生日期不能晚于今天', { field: 'occurredOn' });
    }
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await this.cases.forChange(manager, caller, cmd.caseId, 'resettlement.dispute.record');
      if (kase.status !== 'ACTIVE') {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `the assistance case is ${kase.status}, not ACTIVE / 帮教已结束，不能登记矛盾纠纷`, { field: 'caseId', details: { status: kase.status } });
      }
      const d = await manager.save(
        manager.getRepository(CaseDispute).create({ caseId: kase.id, personKey: kase.personKey, town: kase.town, category: cmd.category, occurredOn: cmd.occurredOn, summary, recordedBy: caller.sub }),
      );
      await this.audit.record(
        { actor: caller, action: 'resettlement.dispute.record', entityType: 'CaseDispute', entityId: d.id, personKey: d.personKey, towns: [d.town], details: { caseId: d.caseId, category: d.category, occurredOn: d.occurredOn } },
        manager,
      );
      await this.events.publish(manager, 'resettlement.dispute.recorded', { disputeId: d.id, caseId: d.caseId, personKey: d.personKey, town: d.town, category: d.category, occurredOn: d.occurredOn });
      return d;
    });
  }

  /** The case page: the disputes of each case (a DataLoader batch), oldest first. */
  byCaseIds(caseIds: readonly string[]): Promise<Map<string, CaseDispute[]>> {
    return rowsBy(this.dataSource, CaseDispute, 'caseId', caseIds);
  }
}
