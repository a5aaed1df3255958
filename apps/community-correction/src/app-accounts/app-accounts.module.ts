import { Module } from '@nestjs/common';
import { SubjectsModule } from '../subjects/subjects.module';
import { AppAccountsResolver } from './app-accounts.resolver';
import { AppAccountsService } from './app-accounts.service';
import { AppCallers } from './app-callers';

/** Issue 12 item 1 (CC-21): accounts of the subject's and the team's apps, and who their tokens are. */
@Module({
  imports: [SubjectsModule],
  providers: [AppAccountsService, AppAccountsResolver, AppCallers],
  exports: [AppAccountsService, AppCallers],
})
export class AppAccountsModule {}
