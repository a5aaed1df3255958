import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { AuditWriter, Clock } from '@homeward/platform';
import { WatchesService } from '../deadlines/watches.service';
import { DailyCheckInsService } from '../periods/daily-checkins.service';

/** Resolution note of alerts closed because the case left Jiangyin (staff read it). */
export const TRANSFERRED_OUT_NOTE = 'CC-13: the case was handed over to another county on a change of residence / 变更执行地，已移交外县（市、区）';

/**
 * CC-13 (issue 7 item 9): a change of residence took effect. Within Jiangyin, the person's alerts that
 * are not resolved and the watches still pending move to the new town (its officers answer them, the
 * old town no longer sees them); resolved alerts stay with the town that dealt with them. Out of
 * Jiangyin, Jiangyin no longer supervises: open alerts are resolved with a note and pending watches
 * settled, so nothing fires for a case another county now holds. Only correction's records of the
 * person are touched (resettlement's and aftercare's are their own).
 */
@Injectable()
export class TransferAlertsHandler {
  constructor(
    private readonly clock: Clock,
    private readonly audit: AuditWriter,
    private readonly watches: WatchesService,
    private readonly dailyCheckIns: DailyCheckInsService,
  ) {}

  @OnEvent('correction.subject.transferred')
  async onTransferred(event: EventEnvelope<'correction.subject.transferred'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    const now = this.clock.now();
    const mine = `person_key = $1 AND town = $2 AND record_type LIKE 'correction.%'`;
    let alertsChanged: number;
    let watchesChanged: number;
    if (p.toTown !== null) {
      [, alertsChanged] = await manager.query(`UPDATE alerts.alerts SET town = $3, version = version + 1 WHERE ${mine} AND state <> 'RESOLVED'`, [
        p.personKey,
        p.fromTown,
        p.toTown,
      ]);
      watchesChanged = await this.watches.moveTown(manager, p.personKey, p.fromTown, p.toTown);
      await this.dailyCheckIns.moveSubject(manager, p.subjectId, p.toTown);
    } else {
      [, alertsChanged] = await manager.query(
        `UPDATE alerts.alerts SET state = 'RESOLVED', resolved_at = $3, resolved_by = 'system:residence-transfer', note = $4, version = version + 1
          WHERE ${mine} AND state <> 'RESOLVED'`,
        [p.personKey, p.fromTown, now, TRANSFERRED_OUT_NOTE],
      );
      watchesChanged = await this.watches.settleForPerson(manager, p.personKey, p.fromTown);
      await this.dailyCheckIns.endSubject(manager, p.subjectId);
    }
    await this.audit.record(
      {
        actor: { system: 'alerts' },
        action: p.toTown !== null ? 'alerts.transfer.move' : 'alerts.transfer.close',
        entityType: 'CorrectionSubject',
        entityId: p.subjectId,
        personKey: p.personKey,
        towns: [p.fromTown, ...(p.toTown ? [p.toTown] : [])],
        details: { transferId: p.transferId, alerts: Number(alertsChanged ?? 0), watches: Number(watchesChanged ?? 0), receivingCountyCode: p.receivingCountyCode },
      },
      manager,
    );
  }
}
