import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { ReadinessModule } from './readiness';

/** `/health/live` and `/health/ready` (public, outside `/api/v1`). */
@Module({ imports: [ReadinessModule], controllers: [HealthController] })
export class HealthModule {}
