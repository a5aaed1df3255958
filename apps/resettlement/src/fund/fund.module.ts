import { Module } from '@nestjs/common';
import { FundService } from './fund.service';

/** RS-11: resettlement bases and the sunshine assistance fund. */
@Module({ providers: [FundService], exports: [FundService] })
export class FundModule {}
