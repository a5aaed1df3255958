import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  CommunityRehabEndReason,
  AftercareCaseStatus,
  ClosureReason,
  DomainError,
  DomainErrorCode,
  addYears,
  assertClosureAllowed,
  contactedInTime,
  isAfter,
  isBefore,
} from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, Principal, RecordAccess, inTransaction, returnedRows, rowsByPersonKeyInTowns } from '@homeward/platform';
import { AftercareConfig, aftercareSettings } from '../config';
import { AftercareCase } from './aftercare-case.entity';

export interface FirstContactCommand {
  caseId: string;
  /** The day contact was made (AC-2); not in the future, not before the notice's release. */
  contactedOn: string;
  /** The contact card (联系卡) was handed over that day. */
  contactCardIssued: boolean;
}

/**
 * The aftercare case (AC-2 enrolment on first contact, AC-5 closure) and its reads by person. A case
 * in the city queue (town null) belongs to no station until the city office assigns it.
 */
/** The end reason of a community rehabilitation still open when its case closes (AC-5). */
const COMMUNITY_REHAB_END_ON_CLOSURE: Record<ClosureReason, CommunityRehabEndReason> = {
  [ClosureReason.ABSTINENT_THREE_YEARS]: CommunityRehabEndReason.COMPLETED,
  [ClosureReason.MOVED]: CommunityRehabEndReason.MOVED,
  [ClosureReason.DIED]: CommunityRehabEndReason.DIED,
  [ClosureReason.REDETAINED]: CommunityRehabEndReason.DETAINED,
};

@Injectable()
export class AftercareCasesService {
  readonly access: RecordAccess<AftercareCase>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    @Inject(AftercareConfig) private readonly config: AftercareConfig,
  ) {
    this.access = new RecordAccess(audit, {
      entity: AftercareCase,
      what: 'aftercare case',
      notFound: (id) => new DomainError(DomainErrorCode.NOT_FOUND, `aftercare case ${id} not found / 未找到该后续照管对象`, { field: 'caseId' }),
    });
  }

  async findByPersonKeys(caller: Principal, keys: readonly string[]): Promise<Map<string, AftercareCase[]>> {
    const { byKey, rows, towns } = await rowsByPersonKeyInTowns(this.dataSource.getRepository(AftercareCase), caller, keys);
    if (rows.length > 0) {
      await this.audit.record({ actor: caller, action: 'aftercare.case.read', entityType: 'AftercareCase', towns, personKeys: rows.map((r) => r.personKey), details: { ids: rows.map((r) => r.id) } });
    }
    return byKey;
  }

  /** One case for the caller (NOT_FOUND, audited, outside its towns); audited read. */
  async findOne(caller: Principal, id: string): Promise<AftercareCase> {
    const kase = await this.access.forRead(this.dataSource.manager, caller, id, 'aftercare.case.read');
    await this.audit.record({ actor: caller, action: 'aftercare.case.read', entityType: 'AftercareCase', entityId: id, personKey: kase.personKey, towns: [kase.town as string] });
    return kase;
  }

  /** AC-2: the first contact enrols the subject; within 7 days (cfg) of release it counts for K-AC1. */
  async recordFirstContact(caller: Principal, cmd: FirstContactCommand): Promise<AftercareCase> {
    const today = this.clock.today();
    if (isAfter(cmd.contactedOn, today)) {
      throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'contactedOn is in the future / 对接日期不能晚于今天', { field: 'contactedOn' });
    }
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await this.access.forChange(manager, caller, cmd.caseId, 'aftercare.case.enrol');
      if (kase.status !== AftercareCaseStatus.AWAITING_CONTACT) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `the case is ${kase.status}, not awaiting first contact / 该对象已对接`, { field: 'caseId' });
      }
      if (isBefore(cmd.contactedOn, kase.releaseDate)) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, `contactedOn is before the release (${kase.releaseDate}) / 对接日期早于解戒日期`, { field: 'contactedOn' });
      }
      kase.status = AftercareCaseStatus.ENROLLED;
      kase.firstContactOn = cmd.contactedOn;
      kase.enrolledOn = cmd.contactedOn;
      if (cmd.contactCardIssued) kase.contactCardIssuedOn = cmd.contactedOn;
      await manager.save(kase);
      const inTime = contactedInTime(kase.releaseDate, cmd.contactedOn, aftercareSettings(this.config));
      await this.events.publish(manager, 'aftercare.subject.enrolled', {
        caseId: kase.id,
        personKey: kase.personKey,
        town: kase.town as string,
        contactedOn: cmd.contactedOn,
        inTime,
        followUpsUntil: addYears(kase.releaseDate, this.config.AFTERCARE_ABSTINENCE_YEARS),
      });
      await this.audit.record(
        { actor: caller, action: 'aftercare.case.enrol', entityType: 'AftercareCase', entityId: kase.id, personKey: kase.personKey, towns: [kase.town as string], details: { inTime, contactCardIssued: cmd.contactCardIssued } },
        manager,
      );
      return kase;
    });
  }

  /** AC-2: the contact card (联系卡) handed over after a first contact made without it. */
  async issueContactCard(caller: Principal, caseId: string, issuedOn: string): Promise<AftercareCase> {
    if (isAfter(issuedOn, this.clock.today())) {
      throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'issuedOn is in the future / 发放日期不能晚于今天', { field: 'issuedOn' });
    }
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await this.access.forChange(manager, caller, caseId, 'aftercare.case.issue-card');
      if (kase.status !== AftercareCaseStatus.ENROLLED) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `the card follows the first contact (the case is ${kase.status}) / 首次对接后方可发放联系卡`, { field: 'caseId' });
      }
      if (kase.contactCardIssuedOn) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `the card was issued on ${kase.contactCardIssuedOn} / 联系卡已发放`, { field: 'caseId' });
      }
      if (kase.firstContactOn && isBefore(issuedOn, kase.firstContactOn)) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, `issuedOn is before the first contact (${kase.firstContactOn}) / 发放日期早于首次对接日期`, { field: 'issuedOn' });
      }
      kase.contactCardIssuedOn = issuedOn;
      await manager.save(kase);
      await this.audit.record(
        { actor: caller, action: 'aftercare.case.issue-card', entityType: 'AftercareCase', entityId: kase.id, personKey: kase.personKey, towns: [kase.town as string], details: { issuedOn } },
        manager,
      );
      return kase;
    });
  }

  /** AC-5: closed after 3 years (cfg) without relapse, or on move, death or renewed detention. */
  async close(caller: Principal, caseId: string, reason: ClosureReason, closedOn: string): Promise<AftercareCase> {
    if (!Object.values(ClosureReason).includes(reason)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `reason must be one of ${Object.values(ClosureReason).join(', ')} / 解除原因无效`, { field: 'reason' });
    }
    if (isAfter(closedOn, this.clock.today())) {
      throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'closedOn is in the future / 解除日期不能晚于今天', { field: 'closedOn' });
    }
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await this.access.forChange(manager, caller, caseId, 'aftercare.case.close');
      if (kase.status === AftercareCaseStatus.CLOSED) throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the case is already closed / 该对象已解除后续照管', { field: 'caseId' });
      assertClosureAllowed(reason, closedOn, kase.releaseDate, kase.lastRelapseOn, aftercareSettings(this.config));
      kase.status = AftercareCaseStatus.CLOSED;
      kase.closedOn = closedOn;
      kase.closureReason = reason;
      await manager.save(kase);
      // A community rehabilitation still open ends with the case (never a period running on a closed case,
      // nor one on the station's "ending soon" list): on the closing day, for the closing reason.
      const ended = returnedRows<{ id: string }>(
        await manager.query(
          `UPDATE aftercare.community_rehabilitations SET ended_on = GREATEST(start_date, $2::date), end_reason = $3
            WHERE case_id = $1 AND ended_on IS NULL RETURNING id`,
          [kase.id, closedOn, COMMUNITY_REHAB_END_ON_CLOSURE[reason]],
        ),
      );
      await this.events.publish(manager, 'aftercare.case.closed', { caseId: kase.id, personKey: kase.personKey, town: kase.town as string, closedOn, reason });
      await this.audit.record(
        {
          actor: caller,
          action: 'aftercare.case.close',
          entityType: 'AftercareCase',
          entityId: kase.id,
          personKey: kase.personKey,
          towns: [kase.town as string],
          details: { reason, closedOn, ...(ended.length ? { communityRehabEnded: ended.map((e) => e.id) } : {}) },
        },
        manager,
      );
      return kase;
    });
  }

  /** A case for a change inside `manager`'s transaction (used by follow-ups and drug tests). */
  forChange(manager: EntityManager, caller: Principal, id: string, action: string): Promise<AftercareCase> {
    return this.access.forChange(manager, caller, id, action);
  }
}
