import { Module } from '@nestjs/common';
import { AppAccountsModule } from '../app-accounts/app-accounts.module';
import { CheckInsModule } from '../check-ins/check-ins.module';
import { SubjectsModule } from '../subjects/subjects.module';
import { SupervisionModule } from '../supervision/supervision.module';
import { SubjectAppOfficeResolver, SubjectAppResolver } from './subject-app.resolver';
import { SubjectAppService } from './subject-app.service';

/** CC-21 在矫通 (issue 12 item 2) and the office's side of it. */
@Module({
  imports: [AppAccountsModule, CheckInsModule, SubjectsModule, SupervisionModule],
  providers: [SubjectAppService, SubjectAppResolver, SubjectAppOfficeResolver],
})
export class SubjectAppModule {}
