import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';

/**
 * K-CC5 (issue 7 item 7): police re-offence reports reach correction through resettlement's event.
 * Each is kept by person key (idempotent by report id, so a report published again when it is
 * matched later changes nothing); the indicator counts a subject whose offence date falls inside
 * their correction and the period.
 */
@Injectable()
export class ReoffenceEventsHandler {
  @OnEvent('resettlement.reoffence.reported')
  async onReoffence(event: EventEnvelope<'resettlement.reoffence.reported'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await manager.query(
      `INSERT INTO correction.reoffences (report_id, person_key, offence_date) VALUES ($1, $2, $3) ON CONFLICT (report_id) DO NOTHING`,
      [p.reportId, p.personKey, p.offenceDate],
    );
  }
}
