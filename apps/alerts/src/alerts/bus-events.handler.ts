import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { AlertsService } from './alerts.service';

/** AL-3 / AL-7 operations alerts from the bus: no town, no person, seen by SYSTEM_ADMIN. */
@Injectable()
export class BusEventsHandler {
  constructor(private readonly alerts: AlertsService) {}

  @OnEvent('bus.event.dead-lettered')
  async onDeadLettered(event: EventEnvelope<'bus.event.dead-lettered'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.raise(manager, {
      rule: 'BUS.DEAD_LETTER',
      personKey: null,
      town: null,
      recordType: 'bus.event',
      recordId: `${p.service}:${p.eventId}:${p.handler}`,
      details: { eventName: p.eventName, service: p.service, handler: p.handler, error: p.error.slice(0, 500) },
    });
  }

  /** AL-7 "a partner batch rejected whole" (ORANGE, operations): which partner, which endpoint, the fields at fault. */
  @OnEvent('partner.batch.rejected')
  async onBatchRejected(event: EventEnvelope<'partner.batch.rejected'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.raise(manager, {
      rule: 'PARTNER.BATCH_REJECTED',
      personKey: null,
      town: null,
      recordType: 'partner.batch',
      recordId: `${p.service}:${event.id}`,
      details: { service: p.service, endpoint: p.endpoint, agency: p.agency, received: p.received, fields: p.fields.slice(0, 20) },
    });
  }

  /** AL-7 "a failing webhook" (ORANGE, operations): the subscriber and delivery that gave up (redeliver: the push view). */
  @OnEvent('integration.delivery.failed')
  async onDeliveryFailed(event: EventEnvelope<'integration.delivery.failed'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.raise(manager, {
      rule: 'INTEGRATION.DELIVERY_FAILED',
      personKey: null,
      town: null,
      recordType: 'integration.delivery',
      recordId: `${p.service}:${p.deliveryId}`,
      details: { service: p.service, integration: p.integration, subscriberId: p.subscriberId, subscriber: p.subscriber.slice(0, 200), kind: p.kind, attempts: p.attempts, error: p.error.slice(0, 500) },
    });
  }
}
