import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Not } from 'typeorm';
import {
  AftercareCaseStatus,
  addDays,
  DomainError,
  DomainErrorCode,
  DrugTestResult,
  IdNumber,
  RelapseSource,
  isAfter,
  isRelapse,
  isSeriousBreach,
} from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, FieldCipher, PersonKeys, Principal, agencyOwnerKey, inTransaction } from '@homeward/platform';
import { AftercareCase } from '../cases/aftercare-case.entity';
import { AftercareCasesService } from '../cases/aftercare-cases.service';
import { AftercareConfig, aftercareSettings } from '../config';
import { Relapse } from './relapse.entity';
import { DrugTestResultDto } from './dto/drug-test-result.dto';
import { DrugTest, DrugTestSource } from './drug-test.entity';

/**
 * AC-4: drug tests (from a follow-up or from police) and what they mark on the case: a positive
 * test is a relapse; the third refused test (cfg) is a serious breach, reported to police.
 */
@Injectable()
export class DrugTestsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly personKeys: PersonKeys,
    private readonly cipher: FieldCipher,
    private readonly clock: Clock,
    private readonly cases: AftercareCasesService,
    @Inject(AftercareConfig) private readonly config: AftercareConfig,
  ) {}

  /**
   * AC-4 "a record the police partner can read": the serious breaches since `since` (default 30 days back),
   * newest first, at most 500, with the person's ID number and name (the police act on them; nothing is
   * stored in clear: they are decrypted for this answer). The read is audited with the persons' keys.
   */
  async seriousBreachesForPolice(caller: Principal, since?: string): Promise<Array<{ caseId: string; idNumber: string; name: string; town: string | null; refusedTests: number; breachOn: string }>> {
    const from = since ?? addDays(this.clock.today(), -30);
    const rows = await this.dataSource.query<Array<{ case_id: string; person_key: string; town: string | null; refused_tests: number; breach_on: string; id_number_cipher: string; name_cipher: string }>>(
      `SELECT c.id AS case_id, c.person_key, c.town, c.refused_tests, to_char(c.serious_breach_on, 'YYYY-MM-DD') AS breach_on, n.id_number_cipher, n.name_cipher
         FROM aftercare.cases c JOIN aftercare.release_notices n ON n.id = c.notice_id
        WHERE c.serious_breach_on IS NOT NULL AND c.serious_breach_on >= $1
        ORDER BY c.serious_breach_on DESC, c.id DESC LIMIT 500`,
      [from],
    );
    await this.audit.record({
      actor: caller,
      action: 'aftercare.serious-breach.list',
      entityType: 'AftercareCase',
      towns: [...new Set(rows.map((r) => r.town).filter((t): t is string => t !== null))],
      personKeys: rows.map((r) => r.person_key),
      details: { since: from, count: rows.length },
    });
    return rows.map((r) => ({ caseId: r.case_id, idNumber: this.cipher.decrypt(r.id_number_cipher), name: this.cipher.decrypt(r.name_cipher), town: r.town, refusedTests: r.refused_tests, breachOn: r.breach_on }));
  }

  /** AC-4: police report a test; it is kept even when no open case here matches (`matched: false`). */
  async receiveFromPolice(caller: Principal, dto: DrugTestResultDto): Promise<{ test: DrugTest; matched: boolean; relapse: boolean }> {
    const today = this.clock.today();
    const idNumber = IdNumber.parse(dto.person.idNumber, { today, field: 'person.idNumber' });
    if (isAfter(dto.testedAt, today)) throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'testedAt is in the future / 检测日期不能晚于今天', { field: 'testedAt' });
    const personKey = this.personKeys.of(idNumber);
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await manager.getRepository(AftercareCase).findOne({
        where: { personKey, status: Not(AftercareCaseStatus.CLOSED) },
        order: { releaseDate: 'DESC' },
        lock: { mode: 'pessimistic_write' },
      });
      const test = await this.save(manager, { personKey, caseId: kase?.id ?? null, followUpId: null, testedOn: dto.testedAt, result: dto.result, source: 'POLICE', reportedBy: agencyOwnerKey(caller) });
      const relapse = kase ? await this.applyToCase(manager, kase, dto.result, dto.testedAt, RelapseSource.POLICE_TEST) : false;
      await this.audit.record(
        {
          actor: caller,
          action: 'aftercare.drug-test.receive',
          entityType: 'DrugTest',
          entityId: test.id,
          personKey,
          towns: kase?.town ? [kase.town] : [],
          details: { result: dto.result, matched: kase !== null, caseId: kase?.id ?? null },
        },
        manager,
      );
      return { test, matched: kase !== null, relapse };
    });
  }

  /** AC-4: the station records a relapse police reported without a test here (公安通报). */
  async markRelapseByPoliceReport(caller: Principal, caseId: string, relapsedOn: string): Promise<AftercareCase> {
    if (isAfter(relapsedOn, this.clock.today())) throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'relapsedOn is in the future / 复吸日期不能晚于今天', { field: 'relapsedOn' });
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await this.cases.forChange(manager, caller, caseId, 'aftercare.case.mark-relapse');
      assertOpen(kase);
      await this.relapse(manager, kase, relapsedOn, RelapseSource.POLICE_REPORT);
      await this.audit.record(
        { actor: caller, action: 'aftercare.case.mark-relapse', entityType: 'AftercareCase', entityId: kase.id, personKey: kase.personKey, towns: [kase.town as string], details: { relapsedOn } },
        manager,
      );
      return kase;
    });
  }

  /** A test made at a follow-up (AC-3): stored, then applied to the case. NOT_TESTED stores nothing. */
  async recordFromFollowUp(manager: EntityManager, kase: AftercareCase, followUpId: string, result: DrugTestResult, testedOn: string, recordedBy: string): Promise<boolean> {
    if (result === DrugTestResult.NOT_TESTED) return false;
    await this.save(manager, { personKey: kase.personKey, caseId: kase.id, followUpId, testedOn, result, source: 'FOLLOW_UP', reportedBy: recordedBy });
    return this.applyToCase(manager, kase, result, testedOn, RelapseSource.FOLLOW_UP_TEST);
  }

  /** AC-4: a positive test → relapse; the refused test reaching the threshold → serious breach. Returns whether a relapse was marked. */
  private async applyToCase(manager: EntityManager, kase: AftercareCase, result: DrugTestResult, on: string, source: RelapseSource): Promise<boolean> {
    if (isRelapse(result)) {
      await this.relapse(manager, kase, on, source);
      return true;
    }
    if (result === DrugTestResult.REFUSED) {
      kase.refusedTests += 1;
      const breach = isSeriousBreach(kase.refusedTests, aftercareSettings(this.config));
      if (breach) kase.seriousBreachOn = on;
      await manager.save(kase);
      if (breach && kase.town) {
        await this.events.publish(manager, 'aftercare.serious-breach', { caseId: kase.id, personKey: kase.personKey, town: kase.town, refusedTests: kase.refusedTests, onDay: on });
      }
    }
    return false;
  }

  private async relapse(manager: EntityManager, kase: AftercareCase, on: string, source: RelapseSource): Promise<void> {
    kase.relapseCount += 1;
    if (!kase.lastRelapseOn || isAfter(on, kase.lastRelapseOn)) kase.lastRelapseOn = on;
    await manager.save(kase);
    if (kase.town) {
      await manager.save(manager.getRepository(Relapse).create({ caseId: kase.id, personKey: kase.personKey, town: kase.town, relapsedOn: on, source }));
      await this.events.publish(manager, 'aftercare.relapse.marked', { caseId: kase.id, personKey: kase.personKey, town: kase.town, relapsedOn: on, source });
    }
  }

  private async save(manager: EntityManager, row: Omit<DrugTest, 'id' | 'createdAt' | 'source'> & { source: DrugTestSource }): Promise<DrugTest> {
    return manager.save(manager.getRepository(DrugTest).create(row));
  }
}

export function assertOpen(kase: AftercareCase): void {
  if (kase.status === AftercareCaseStatus.CLOSED) {
    throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the case is closed / 该对象已解除后续照管', { field: 'caseId' });
  }
}
