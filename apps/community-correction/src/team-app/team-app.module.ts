import { Module } from '@nestjs/common';
import { AppAccountsModule } from '../app-accounts/app-accounts.module';
import { CheckInsModule } from '../check-ins/check-ins.module';
import { TeamAppResolver, TeamVisitsOfficeResolver } from './team-app.resolver';
import { TeamAppService } from './team-app.service';

/** CC-21 协矫通 (issue 12 item 3) and the office's view of what the teams record. */
@Module({
  imports: [AppAccountsModule, CheckInsModule],
  providers: [TeamAppService, TeamAppResolver, TeamVisitsOfficeResolver],
})
export class TeamAppModule {}
