import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, RiskColour, addDays, startOfLocalDateInShanghai } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { AlertsService } from '../alerts/alerts.service';
import { WatchesService } from '../deadlines/watches.service';

export const MONITORING = 'correction.monitoring';
const EXPIRY_RULES = ['CC-12.MONITORING_EXPIRING', 'CC-12.MONITORING_EXPIRED'];

/**
 * AL-3 rules of CC-12 electronic location: location breach (RED for key persons, else ORANGE) and
 * device silent (ORANGE) as event rules; monitoring expiring (BLUE, on the reminder day computed by
 * correction from its configured working days) and expired (YELLOW, the day after the end) as
 * due-date rules, re-armed on extension and settled when the monitoring is lifted.
 */
@Injectable()
export class MonitoringAlertsHandler {
  constructor(
    private readonly alerts: AlertsService,
    private readonly watches: WatchesService,
  ) {}

  @OnEvent('correction.location.breach')
  async onBreach(event: EventEnvelope<'correction.location.breach'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.noteKeyPerson(manager, p.personKey, p.keyPerson, 'correction', p.town);
    await this.alerts.raise(manager, {
      rule: 'CC-12.LOCATION_BREACH',
      colour: p.keyPerson ? RiskColour.RED : RiskColour.ORANGE,
      personKey: p.personKey,
      town: p.town,
      recordType: MONITORING,
      recordId: p.monitoringId,
      details: { subjectId: p.subjectId, at: p.at, keyPerson: p.keyPerson },
    });
  }

  @OnEvent('correction.device.silent')
  async onSilent(event: EventEnvelope<'correction.device.silent'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.raise(manager, {
      rule: 'CC-12.DEVICE_SILENT',
      personKey: p.personKey,
      town: p.town,
      recordType: MONITORING,
      recordId: p.monitoringId,
      details: { subjectId: p.subjectId, lastFixAt: p.lastFixAt, silentSince: p.silentSince },
    });
  }

  @OnEvent('correction.monitoring.approved')
  async onApproved(event: EventEnvelope<'correction.monitoring.approved'>, manager: EntityManager): Promise<void> {
    await this.armExpiry(manager, event.occurredAt, event.payload);
  }

  @OnEvent('correction.monitoring.extended')
  async onExtended(event: EventEnvelope<'correction.monitoring.extended'>, manager: EntityManager): Promise<void> {
    await this.armExpiry(manager, event.occurredAt, event.payload);
  }

  @OnEvent('correction.monitoring.ended')
  async onEnded(event: EventEnvelope<'correction.monitoring.ended'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.watches.settle(manager, { recordType: MONITORING, recordId: p.monitoringId, personKey: p.personKey, town: p.town }, EXPIRY_RULES);
  }

  private async armExpiry(
    manager: EntityManager,
    asOf: string,
    p: { monitoringId: string; subjectId: string; personKey: string; town: string; endDate: string; warnOn: string },
  ): Promise<void> {
    const base = { recordType: MONITORING, recordId: p.monitoringId, personKey: p.personKey, town: p.town, asOf };
    const details = { subjectId: p.subjectId, endDate: p.endDate };
    await this.watches.arm(manager, { ...base, rule: 'CC-12.MONITORING_EXPIRING', dueAt: startOfLocalDateInShanghai(p.warnOn), details });
    await this.watches.arm(manager, { ...base, rule: 'CC-12.MONITORING_EXPIRED', dueAt: startOfLocalDateInShanghai(addDays(p.endDate, 1)), details });
  }
}
