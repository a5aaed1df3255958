import { Module } from '@nestjs/common';
import { MonitoringModule } from './monitoring.module';

/** One import for the app: CC-12 electronic location, CC-13 leave, CC-14 investigations, CC-16 procuratorate notices. */
@Module({ imports: [MonitoringModule] })
export class CaseworkModule {}
