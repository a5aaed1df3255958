import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, DomainErrorCode, EventEnvelope, addDays, lastDayOfPeriod } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { AuditWriter, Principal, RecordAccess, rowsByPersonKeyInTowns } from '@homeward/platform';
import { ResettlementConfig } from '../config';
import { AssistanceCase } from './assistance-case.entity';

@Injectable()
export class AssistanceCasesService {
  private readonly access: RecordAccess<AssistanceCase>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    @Inject(ResettlementConfig) private readonly config: ResettlementConfig,
  ) {
    this.access = new RecordAccess(audit, {
      entity: AssistanceCase,
      notFound: () => new DomainError(DomainErrorCode.NOT_FOUND, 'assistance case not found / 未找到该帮教对象'),
    });
  }

  /** The case page: the case in the caller's person scope, the read audited; null (the denial audited) otherwise. */
  async findOne(caller: Principal, id: string): Promise<AssistanceCase | null> {
    const kase = await this.access.findForRead(this.dataSource.manager, caller, id, 'resettlement.case.read');
    if (kase) {
      await this.audit.record({ actor: caller, action: 'resettlement.case.read', entityType: 'AssistanceCase', entityId: kase.id, personKey: kase.personKey, towns: [kase.town] });
    }
    return kase;
  }

  /** CC-20: a subject discharged from correction is enrolled for assistance (3 years by default). */
  @OnEvent('correction.subject.discharged')
  async onCorrectionDischarged(event: EventEnvelope<'correction.subject.discharged'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    const startDate = addDays(p.dischargedOn, 1);
    // Calendar years (刑法 period counting), never 365.25-day years: 2028-03-01 + 3 years ends 2031-02-28.
    const endDate = lastDayOfPeriod(startDate, Math.round(this.config.ASSISTANCE_AFTER_CORRECTION_YEARS * 12));
    await manager
      .createQueryBuilder()
      .insert()
      .into(AssistanceCase)
      .values({ personKey: p.personKey, town: p.town, source: 'CORRECTION_DISCHARGE', sourceRecordId: p.subjectId, startDate, endDate, status: 'ACTIVE' })
      .orIgnore()
      .execute();
    await this.audit.record(
      {
        actor: { system: 'resettlement' },
        action: 'resettlement.case.enrol-from-correction',
        entityType: 'AssistanceCase',
        personKey: p.personKey,
        towns: [p.town],
        details: { correctionSubjectId: p.subjectId, startDate, endDate },
      },
      manager,
    );
  }

  async findByPersonKeys(caller: Principal, keys: readonly string[]): Promise<Map<string, AssistanceCase[]>> {
    const { byKey, rows, towns } = await rowsByPersonKeyInTowns(this.dataSource.getRepository(AssistanceCase), caller, keys);
    if (rows.length > 0) {
      await this.audit.record({ actor: caller, action: 'resettlement.case.read', entityType: 'AssistanceCase', towns, personKeys: rows.map((r) => r.personKey), details: { ids: rows.map((r) => r.id) } });
    }
    return byKey;
  }

}
