import { Module } from '@nestjs/common';
import { ReoffenceReportsController } from './reoffence-reports.controller';
import { ReoffencesService } from './reoffences.service';

/** RS-8: re-offence reports from police. */
@Module({ controllers: [ReoffenceReportsController], providers: [ReoffencesService], exports: [ReoffencesService] })
export class ReoffencesModule {}
