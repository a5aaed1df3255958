import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

/** `/health/live` and `/health/ready` (public, outside `/api/v1`). */
@Module({ controllers: [HealthController] })
export class HealthModule {}
