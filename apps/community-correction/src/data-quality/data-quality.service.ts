import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  DataRecordAssessment,
  DataRecordType,
  DomainError,
  DomainErrorCode,
  PeriodRange,
  assessDataRecord,
  compareLocalDate,
  dataEntryDeadline,
} from '@homeward/domain';
import { AuditWriter, Clock, FieldCipher, Principal, canSeePerson, inTransaction, isUuid, personScope } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { DataQualityRepository, DataRecordRow } from './data-quality.repository';

export type AssessedRecord = DataRecordRow & DataRecordAssessment;

/** K-DQ1 counts of one town. */
export interface DataQualityCounts {
  records: number;
  onTime: number;
  complete: number;
  uncorrected: number;
}

export interface DataCorrectionInput {
  recordType: DataRecordType;
  recordId: string;
  correctedOn: string;
  fields: string[];
  reason: string;
}

/**
 * CC-29 data quality (信息数据采集录入的及时性、完整性、准确性): every measured record of a town whose event
 * fell in a period, judged on time (entered within DATA_ENTRY_WORKING_DAYS working days of its event, the
 * enrolment within CC-3's notice deadline), complete (its required fields filled at entry) and accurate
 * (never corrected after entry). Officers list the findings and record corrections; K-DQ1 counts them.
 */
@Injectable()
export class DataQualityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: DataQualityRepository,
    private readonly audit: AuditWriter,
    private readonly cipher: FieldCipher,
    private readonly clock: Clock,
    private readonly config: CorrectionConfig,
  ) {}

  private assess(r: DataRecordRow): AssessedRecord {
    return { ...r, ...assessDataRecord(r, this.config.DATA_ENTRY_WORKING_DAYS) };
  }

  /** K-DQ1 counts per town (every given town present). No audit: the indicator reader audits. */
  async countsByTown(towns: readonly string[], period: PeriodRange): Promise<Map<string, DataQualityCounts>> {
    const out = new Map<string, DataQualityCounts>(towns.map((t) => [t, { records: 0, onTime: 0, complete: 0, uncorrected: 0 }]));
    for (const g of await this.records.groupedInPeriod(towns, period.start, period.end)) {
      const c = out.get(g.town);
      if (!c) continue;
      const dueOn = g.dueOn ?? dataEntryDeadline(g.eventDate, this.config.DATA_ENTRY_WORKING_DAYS);
      c.records += g.count;
      if (compareLocalDate(g.enteredOn, dueOn) <= 0) c.onTime += g.count;
      if (g.complete) c.complete += g.count;
      if (!g.corrected) c.uncorrected += g.count;
    }
    return out;
  }

  /** The records of the caller's towns (and caseload) in a period that are late, incomplete or corrected; audited. */
  async findings(caller: Principal, period: PeriodRange, town?: string | null): Promise<AssessedRecord[]> {
    const scope = personScope(caller, town);
    const rows = (await this.records.inPeriod(scope.towns, period.start, period.end))
      .filter((r) => scope.personKeys === null || scope.personKeys.includes(r.personKey))
      .map((r) => this.assess(r))
      .filter((r) => !r.onTime || !r.complete || !r.accurate);
    await this.audit.record({
      actor: caller,
      action: 'correction.data-quality.list',
      entityType: 'DataQualityFinding',
      towns: scope.towns,
      personKeys: [...new Set(rows.map((r) => r.personKey))],
      details: { period: period.label, records: rows.map((r) => `${r.recordType}:${r.recordId}`) },
    });
    return rows;
  }

  /** An officer records that an entered record was found wrong and corrected (K-DQ1 准确率). */
  async recordCorrection(caller: Principal, input: DataCorrectionInput): Promise<AssessedRecord> {
    return inTransaction(this.dataSource, async (manager) => {
      const record = isUuid(input.recordId) ? await this.records.find(manager, input.recordType, input.recordId) : null;
      if (!record || !canSeePerson(caller, record.town, record.personKey)) {
        // after the transaction: the denial stays audited when the refusal rolls it back
        await this.audit.recordOutsideTransaction({ actor: caller, action: 'correction.data-quality.correct', entityType: input.recordType, entityId: input.recordId, outcome: 'DENIED' }, manager);
        throw new DomainError(DomainErrorCode.NOT_FOUND, `record ${input.recordType} ${input.recordId} not found / 未找到该记录`, { field: 'recordId' });
      }
      if (compareLocalDate(input.correctedOn, record.enteredOn) < 0) {
        throw new DomainError(
          DomainErrorCode.VALIDATION_FAILED,
          `CC-29: a correction cannot precede the entry of the record (${record.enteredOn}) / 更正日期不能早于录入日期`,
          { field: 'correctedOn' },
        );
      }
      if (compareLocalDate(input.correctedOn, this.clock.today()) > 0) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'CC-29: a correction cannot be in the future / 更正日期不能晚于今天', { field: 'correctedOn' });
      }
      const id = await this.records.insertCorrection(manager, {
        recordType: record.recordType,
        recordId: record.recordId,
        subjectId: record.subjectId,
        town: record.town,
        correctedOn: input.correctedOn,
        fields: [...new Set(input.fields)],
        reasonCipher: this.cipher.encrypt(input.reason),
        recordedBy: caller.username ?? caller.sub,
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.data-quality.correct',
          entityType: record.recordType,
          entityId: record.recordId,
          personKey: record.personKey,
          towns: [record.town],
          details: { correctionId: id, fields: input.fields, correctedOn: input.correctedOn },
        },
        manager,
      );
      return this.assess({ ...record, corrected: true });
    });
  }
}
