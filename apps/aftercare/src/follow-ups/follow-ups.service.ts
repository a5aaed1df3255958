import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AftercareCaseStatus, DomainError, DomainErrorCode, DrugTestResult, FollowUpKind, followUpPeriods, isAfter, isBefore } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, Principal, inTransaction } from '@homeward/platform';
import { AftercareCasesService } from '../cases/aftercare-cases.service';
import { DrugTestsService } from '../drug-tests/drug-tests.service';
import { FollowUp } from './follow-up.entity';

export interface FollowUpCommand {
  caseId: string;
  kind: FollowUpKind;
  heldOn: string;
  contactMade: boolean;
  situation: string;
  hardship?: string | null;
  assistance?: string | null;
  drugTest: DrugTestResult;
}

/** AC-3: follow-ups (PHONE each calendar month, FACE_TO_FACE each calendar quarter), each with a drug test. */
@Injectable()
export class FollowUpsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly cases: AftercareCasesService,
    private readonly tests: DrugTestsService,
  ) {}

  async record(caller: Principal, cmd: FollowUpCommand): Promise<FollowUp> {
    if (!Object.values(FollowUpKind).includes(cmd.kind)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'kind must be PHONE or FACE_TO_FACE / 回访方式无效', { field: 'kind' });
    }
    if (!Object.values(DrugTestResult).includes(cmd.drugTest)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `drugTest must be one of ${Object.values(DrugTestResult).join(', ')} / 尿检结果无效`, { field: 'drugTest' });
    }
    if (!cmd.situation.trim()) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'situation is required / 须填写近况', { field: 'situation' });
    if (isAfter(cmd.heldOn, this.clock.today())) {
      throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'heldOn is in the future / 回访日期不能晚于今天', { field: 'heldOn' });
    }
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await this.cases.forChange(manager, caller, cmd.caseId, 'aftercare.follow-up.record');
      if (kase.status !== AftercareCaseStatus.ENROLLED) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `follow-ups need an enrolled case (this one is ${kase.status}) / 仅照管中的对象可登记回访`, { field: 'caseId' });
      }
      if (kase.enrolledOn && isBefore(cmd.heldOn, kase.enrolledOn)) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, `heldOn is before the enrolment (${kase.enrolledOn}) / 回访日期早于纳管日期`, { field: 'heldOn' });
      }
      const periods = followUpPeriods(cmd.heldOn);
      const period = cmd.kind === FollowUpKind.PHONE ? periods.month : periods.quarter;
      const followUp = await manager.save(
        manager.getRepository(FollowUp).create({
          caseId: kase.id,
          kind: cmd.kind,
          heldOn: cmd.heldOn,
          period,
          contactMade: cmd.contactMade,
          situation: cmd.situation,
          hardship: cmd.hardship ?? null,
          assistance: cmd.assistance ?? null,
          drugTest: cmd.drugTest,
          recordedBy: caller.sub,
        }),
      );
      const relapse = await this.tests.recordFromFollowUp(manager, kase, followUp.id, cmd.drugTest, cmd.heldOn, caller.sub);
      await this.events.publish(manager, 'aftercare.follow-up.recorded', {
        followUpId: followUp.id,
        caseId: kase.id,
        personKey: kase.personKey,
        town: kase.town as string,
        kind: cmd.kind,
        heldOn: cmd.heldOn,
        period,
        drugTest: cmd.drugTest,
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'aftercare.follow-up.record',
          entityType: 'FollowUp',
          entityId: followUp.id,
          personKey: kase.personKey,
          towns: [kase.town as string],
          details: { caseId: kase.id, kind: cmd.kind, period, drugTest: cmd.drugTest, relapse },
        },
        manager,
      );
      return followUp;
    });
  }

  /** The follow-ups of one case, oldest first (audited read). */
  async forCase(caller: Principal, caseId: string): Promise<FollowUp[]> {
    const kase = await this.cases.access.forRead(this.dataSource.manager, caller, caseId, 'aftercare.follow-up.list');
    const rows = await this.dataSource.getRepository(FollowUp).find({ where: { caseId }, order: { heldOn: 'ASC', createdAt: 'ASC' } });
    await this.audit.record({ actor: caller, action: 'aftercare.follow-up.list', entityType: 'FollowUp', personKey: kase.personKey, towns: [kase.town as string], details: { caseId, count: rows.length } });
    return rows;
  }
}
