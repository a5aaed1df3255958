import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, RankingWorkstream } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { RankingService } from './ranking.service';

/** Issue 11 item 6: the workstreams' indicator snapshots per closed period, kept for the town ranking. */
@Injectable()
export class IndicatorSnapshotsHandler {
  constructor(private readonly ranking: RankingService) {}

  @OnEvent('correction.indicators.published')
  async onCorrection(event: EventEnvelope<'correction.indicators.published'>, manager: EntityManager): Promise<void> {
    await this.ranking.storeSnapshot(manager, RankingWorkstream.CORRECTION, event.payload, { eventId: event.id, publishedAt: event.occurredAt });
  }

  @OnEvent('resettlement.indicators.published')
  async onResettlement(event: EventEnvelope<'resettlement.indicators.published'>, manager: EntityManager): Promise<void> {
    await this.ranking.storeSnapshot(manager, RankingWorkstream.RESETTLEMENT, event.payload, { eventId: event.id, publishedAt: event.occurredAt });
  }

  @OnEvent('aftercare.indicators.published')
  async onAftercare(event: EventEnvelope<'aftercare.indicators.published'>, manager: EntityManager): Promise<void> {
    await this.ranking.storeSnapshot(manager, RankingWorkstream.AFTERCARE, event.payload, { eventId: event.id, publishedAt: event.occurredAt });
  }
}
