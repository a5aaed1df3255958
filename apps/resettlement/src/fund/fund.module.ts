import { Module } from '@nestjs/common';
import { FundService } from './fund.service';
import { FundResolver } from './fund.resolver';

/** RS-11: resettlement bases and the sunshine assistance fund. */
@Module({ providers: [FundService, FundResolver], exports: [FundService] })
export class FundModule {}
