import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { In, Not } from 'typeorm';
import { CorrectionStatus, correctionDocumentsDeadline, correctionReportDeadline } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import type { CalendarChange, DeadlineRecomputer } from '../reference/deadline-recomputer';
import { CorrectionSubject } from './subject.entity';

/**
 * CC-3 / CC-4 (CC-23): the stored documents and report-in deadlines of open cases follow a changed
 * holiday table. The report deadline only until the subject reported in (a report already made was
 * judged on time or late against the deadline then in force).
 */
@Injectable()
export class SubjectDeadlinesRecomputer implements DeadlineRecomputer {
  readonly label = 'CC-3 documents / CC-4 report-in';

  constructor(private readonly events: EventPublisher) {}

  async recompute(manager: EntityManager, change: CalendarChange): Promise<number> {
    const repo = manager.getRepository(CorrectionSubject);
    const open = await repo.find({
      where: { status: Not(In([CorrectionStatus.DISCHARGED, CorrectionStatus.TERMINATED])) },
      lock: { mode: 'pessimistic_write' },
      order: { id: 'ASC' },
    });
    let moved = 0;
    for (const s of open) {
      const reportDeadline = s.reportedOn ? s.reportDeadline : correctionReportDeadline(s.judgmentEffectiveDate, change.calendar);
      const documentsDeadline = correctionDocumentsDeadline(s.judgmentEffectiveDate, change.calendar);
      if (reportDeadline === s.reportDeadline && documentsDeadline === s.documentsDeadline) continue;
      await repo.update({ id: s.id }, { reportDeadline, documentsDeadline });
      await this.events.publish(manager, 'correction.deadlines.recomputed', {
        revision: change.revision,
        year: change.year,
        recordType: 'SUBJECT',
        recordId: s.id,
        personKey: s.personKey,
        town: s.town,
        ...(s.reportedOn ? {} : { reportDeadline }),
        documentsDeadline,
      });
      moved++;
    }
    return moved;
  }
}
