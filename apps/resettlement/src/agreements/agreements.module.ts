import { Module } from '@nestjs/common';
import { NoticesModule } from '../notices/notices.module';
import { AgreementsService } from './agreements.service';

/** RS-4: assistance agreements (1+1+N). */
@Module({ imports: [NoticesModule], providers: [AgreementsService], exports: [AgreementsService] })
export class AgreementsModule {}
