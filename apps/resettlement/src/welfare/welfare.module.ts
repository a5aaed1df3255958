import { Module } from '@nestjs/common';
import { WelfareService } from './welfare.service';
import { WelfareResolver } from './welfare.resolver';

/** RS-7: welfare referrals, employment services, resettlement status. */
@Module({ providers: [WelfareService, WelfareResolver], exports: [WelfareService] })
export class WelfareModule {}
