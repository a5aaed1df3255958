import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { AlertsService } from './alerts.service';

/** AL-3 "an event dead-lettered on the bus" (RED, operations): no town, seen by operations. */
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
}
