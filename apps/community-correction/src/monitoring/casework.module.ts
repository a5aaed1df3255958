import { Module } from '@nestjs/common';
import { MonitoringModule } from './monitoring.module';
import { LeaveModule } from '../leave/leave.module';
import { InvestigationsModule } from '../investigations/investigations.module';
import { ProcuratorateModule } from '../procuratorate/procuratorate.module';

/** One import for the app: CC-12 electronic location, CC-13 leave, CC-14 investigations, CC-16 procuratorate notices. */
@Module({ imports: [MonitoringModule, LeaveModule, InvestigationsModule, ProcuratorateModule] })
export class CaseworkModule {}
