import { Module } from '@nestjs/common';
import { WelfareService } from './welfare.service';

/** RS-7: welfare referrals, employment services, resettlement status. */
@Module({ providers: [WelfareService], exports: [WelfareService] })
export class WelfareModule {}
