import { Module } from '@nestjs/common';
import { CaseReportsResolver } from './case-reports.resolver';
import { CaseReportsService } from './case-reports.service';

/** CC-28 case reports (案例报送) and acceptance (录用); K-CC8 reads them. */
@Module({
  providers: [CaseReportsService, CaseReportsResolver],
  exports: [CaseReportsService],
})
export class CaseReportsModule {}
