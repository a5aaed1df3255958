import { Module } from '@nestjs/common';
import { LedgersResolver } from './ledgers.resolver';
import { LedgersService } from './ledgers.service';

/** AC-7 the station's ledgers (台账), read-only over the aftercare tables. */
@Module({ providers: [LedgersService, LedgersResolver] })
export class LedgersModule {}
