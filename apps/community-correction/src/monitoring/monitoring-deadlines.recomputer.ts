import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MonitoringStatus, monitoringExpiryWarningDate } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { CorrectionConfig } from '../config';
import type { CalendarChange, DeadlineRecomputer } from '../reference/deadline-recomputer';
import { ElectronicMonitoring } from './monitoring.entity';

/**
 * CC-12 (CC-23): the "expiring" reminder of a running electronic location is N working days
 * (`MONITORING_EXPIRY_WARNING_WORKING_DAYS`) before its end, so it follows a changed holiday table.
 * The end itself is a calendar date and does not move. Called before the service loads the new
 * table, so the calendar in force is still the old one.
 */
@Injectable()
export class MonitoringDeadlinesRecomputer implements DeadlineRecomputer {
  readonly label = 'CC-12 electronic location expiry reminder';

  constructor(
    private readonly events: EventPublisher,
    @Inject(CorrectionConfig) private readonly config: CorrectionConfig,
  ) {}

  async recompute(manager: EntityManager, change: CalendarChange): Promise<number> {
    const running = await manager.getRepository(ElectronicMonitoring).find({ where: { status: MonitoringStatus.ACTIVE }, order: { id: 'ASC' } });
    const days = this.config.MONITORING_EXPIRY_WARNING_WORKING_DAYS;
    let moved = 0;
    for (const m of running) {
      const before = monitoringExpiryWarningDate(m.endDate, days);
      const warnOn = monitoringExpiryWarningDate(m.endDate, days, change.calendar);
      if (warnOn === before) continue;
      await this.events.publish(manager, 'correction.deadlines.recomputed', {
        revision: change.revision,
        year: change.year,
        recordType: 'MONITORING',
        recordId: m.id,
        personKey: m.personKey,
        town: m.town,
        warnOn,
        endDate: m.endDate,
      });
      moved++;
    }
    return moved;
  }
}
