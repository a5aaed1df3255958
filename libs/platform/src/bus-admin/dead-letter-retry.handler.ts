import { Inject, Injectable, Logger } from '@nestjs/common';
import { BUS_OPTIONS, DeadLetters, OnEvent, type BusOptions } from '@homeward/bus';
import type { EventEnvelope } from '@homeward/domain';
import { AuditWriter } from '../audit/audit-writer';

/**
 * AL-7 "retry" of an operations alert: alerts publishes `bus.dead-letter.retry-requested`; every service that
 * consumes events hears it, and the one named by `service` replays its open dead letter of that event and
 * handler (the envelope goes back on its queue for that one handler), audited with the admin who asked.
 * Nothing open (replayed or discarded meanwhile, or a second request) → nothing happens.
 */
@Injectable()
export class DeadLetterRetryHandler {
  private readonly logger = new Logger(DeadLetterRetryHandler.name);

  constructor(
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
    private readonly deadLetters: DeadLetters,
    private readonly audit: AuditWriter,
  ) {}

  @OnEvent('bus.dead-letter.retry-requested')
  async onRetryRequested(event: EventEnvelope<'bus.dead-letter.retry-requested'>): Promise<void> {
    const p = event.payload;
    if (p.service !== this.options.service) return;
    const letter = await this.deadLetters.findOpen(p.eventId, p.handler);
    if (!letter) {
      this.logger.log(`retry of ${p.eventId} in ${p.handler} asked by ${p.requestedBy}: no open dead letter (already resolved)`);
      return;
    }
    await this.deadLetters.resolve(letter.id, 'REPLAYED', p.requestedBy, (manager, l) =>
      this.audit.record(
        {
          actor: { system: `${this.options.service}.dead-letter-retry` },
          action: `${this.options.schema}.dead-letter.replay`,
          entityType: 'bus.dead-letter',
          entityId: l.id,
          details: { eventId: l.eventId, eventName: l.eventName, handler: l.handler, requestedBy: p.requestedBy, alertId: p.alertId },
        },
        manager,
      ),
    );
  }
}
