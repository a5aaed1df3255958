import { Module } from '@nestjs/common';
import { DisputesResolver } from './disputes.resolver';
import { DisputesService } from './disputes.service';

/** RS-13 disputes (矛盾纠纷) on assistance cases. */
@Module({ providers: [DisputesService, DisputesResolver], exports: [DisputesService] })
export class DisputesModule {}
