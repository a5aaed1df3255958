import { Module } from '@nestjs/common';
import { ArchiveStorage, archiveStorageFrom } from '@homeward/platform/archive-storage';
import { AftercareCasesModule } from '../cases/cases.module';
import { AftercareConfig } from '../config';
import { SuccessCaseScheduler } from './success-case.scheduler';
import { SuccessCasesResolver } from './success-cases.resolver';
import { SuccessCasesService } from './success-cases.service';

/** AC-6 success cases (成功戒毒典型): dossiers, files through the shared archive storage, the Q4 reminder check. */
@Module({
  imports: [AftercareCasesModule],
  providers: [
    { provide: ArchiveStorage, useFactory: (config: AftercareConfig) => archiveStorageFrom(config), inject: [AftercareConfig] },
    SuccessCasesService,
    SuccessCasesResolver,
    SuccessCaseScheduler,
  ],
  exports: [SuccessCasesService],
})
export class SuccessCasesModule {}
