import { Module } from '@nestjs/common';
import { SupervisionModule } from '../supervision/supervision.module';
import { CaseloadResolver } from './caseload.resolver';
import { CaseloadService } from './caseload.service';

/** Staff daily queries: caseload, due today, overdue, search (issue 3 item 15). */
@Module({
  imports: [SupervisionModule],
  providers: [CaseloadService, CaseloadResolver],
})
export class CaseloadModule {}
