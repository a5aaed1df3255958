import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { returnedRows } from '@homeward/platform';
import { AlertsService } from '../alerts/alerts.service';

export const PSYCH_SERVICE = 'correction.psych-service';
const RULE = 'CC-27.PSYCH_CRISIS';
const CLEARED_NOTE = 'crisis flag cleared by the correction office / 心理危机标记已解除';

/**
 * AL-3 rule of CC-27: a psychological service record's crisis flag set → ORANGE "心理危机" on that
 * record (one open alert per record, AL-1); the flag cleared → the open alert is settled by the system.
 * Order-tolerant: an event older than the last one applied for the record (by `flagVersion`) is ignored.
 */
@Injectable()
export class PsychCrisisAlertsHandler {
  constructor(private readonly alerts: AlertsService) {}

  @OnEvent('correction.psych-service.crisis-flag')
  async onCrisisFlag(event: EventEnvelope<'correction.psych-service.crisis-flag'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    // The latest change of the record wins (the upsert also serialises two events of one record).
    const applied: unknown[] = returnedRows(
      await manager.query(
        `INSERT INTO alerts.psych_crisis_flags (record_id, flagged, flag_version) VALUES ($1, $2, $3)
         ON CONFLICT (record_id) DO UPDATE SET flagged = EXCLUDED.flagged, flag_version = EXCLUDED.flag_version, updated_at = now()
          WHERE alerts.psych_crisis_flags.flag_version < EXCLUDED.flag_version
         RETURNING record_id`,
        [p.recordId, p.flagged, p.flagVersion],
      ),
    );
    if (applied.length === 0) return; // an older change, delivered late
    if (!p.flagged) {
      await this.alerts.settleOpen(manager, { rule: RULE, recordType: PSYCH_SERVICE, recordId: p.recordId }, CLEARED_NOTE);
      return;
    }
    await this.alerts.raise(manager, {
      rule: RULE,
      personKey: p.personKey,
      town: p.town,
      recordType: PSYCH_SERVICE,
      recordId: p.recordId,
      details: { subjectId: p.subjectId, flaggedOn: p.on },
    });
  }
}
