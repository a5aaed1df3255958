import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AuditWriter, Clock, Principal } from '@homeward/platform';
import { CorrectionSubject } from '../subjects/subject.entity';
import { SubjectsService } from '../subjects/subjects.service';
import { ExitControl } from './exit-control.entity';

export interface ExitControlItem {
  idNumber: string;
  name: string;
  reportedAt: string;
}

/** CC-15 exit control (出境报备): reported when a subject becomes ACTIVE, withdrawn when correction ends. */
@Injectable()
export class ExitControlService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subjects: SubjectsService,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  /** Reports the subject in the caller's transaction (idempotent: one open report per subject). */
  async report(manager: EntityManager, subject: CorrectionSubject): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(ExitControl)
      .values({ subjectId: subject.id, personKey: subject.personKey, town: subject.town, reportedAt: this.clock.now() })
      .orIgnore()
      .execute();
  }

  /** Withdraws the open report in the caller's transaction; `reason` is the status that ended correction. */
  async withdraw(manager: EntityManager, subject: CorrectionSubject, reason: string): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(ExitControl)
      .set({ withdrawnAt: this.clock.now(), withdrawalReason: reason })
      .where('subject_id = :id AND withdrawn_at IS NULL', { id: subject.id })
      .execute();
    return result.affected ?? 0;
  }

  /**
   * The police's list: everyone reported now, with the clear ID number (the police need it). Each
   * revealed ID number is audited as an unmask by the partner, in one transaction with the read.
   */
  async currentList(caller: Principal): Promise<ExitControlItem[]> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager
        .getRepository(ExitControl)
        .createQueryBuilder('e')
        .innerJoinAndMapOne('e.subject', CorrectionSubject, 's', 's.id = e.subjectId')
        .where('e.withdrawnAt IS NULL')
        .orderBy('e.reportedAt', 'ASC')
        .addOrderBy('e.id', 'ASC')
        .getMany();
      const items: ExitControlItem[] = [];
      for (const row of rows as Array<ExitControl & { subject: CorrectionSubject }>) {
        await this.audit.record(
          {
            actor: caller,
            action: 'correction.subject.unmask-id-number',
            entityType: 'CorrectionSubject',
            entityId: row.subjectId,
            personKey: row.personKey,
            towns: [row.town],
            details: { purpose: 'exit-control (CC-15)' },
          },
          manager,
        );
        items.push({ idNumber: this.subjects.decryptIdNumber(row.subject), name: row.subject.name, reportedAt: row.reportedAt.toISOString() });
      }
      await this.audit.record(
        { actor: caller, action: 'correction.exit-control.list', entityType: 'ExitControl', personKeys: rows.map((r) => r.personKey), details: { count: items.length } },
        manager,
      );
      return items;
    });
  }

  /** The latest report of each subject (open or withdrawn), for the GraphQL field. */
  async latestBySubjectIds(ids: readonly string[]): Promise<Map<string, ExitControl>> {
    const out = new Map<string, ExitControl>();
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(ExitControl).find({ where: { subjectId: In([...ids]) }, order: { reportedAt: 'ASC' } });
    for (const row of rows) {
      const seen = out.get(row.subjectId);
      if (!seen || seen.withdrawnAt !== null) out.set(row.subjectId, row);
    }
    return out;
  }

  /** Whether the subject is reported now (tests, other features). */
  async isReported(subjectId: string): Promise<boolean> {
    return this.dataSource.getRepository(ExitControl).exists({ where: { subjectId, withdrawnAt: IsNull() } });
  }
}
