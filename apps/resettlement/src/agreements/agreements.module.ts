import { Module } from '@nestjs/common';
import { NoticesModule } from '../notices/notices.module';
import { AgreementsService } from './agreements.service';
import { AgreementsResolver } from './agreements.resolver';

/** RS-4: assistance agreements (1+1+N). */
@Module({ imports: [NoticesModule], providers: [AgreementsService, AgreementsResolver], exports: [AgreementsService] })
export class AgreementsModule {}
