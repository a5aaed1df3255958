import { Module } from '@nestjs/common';
import { ProcuratorateNoticesController } from './procuratorate-notices.controller';
import { ProcuratorateResolver } from './procuratorate.resolver';
import { ProcuratorateService } from './procuratorate.service';

/** CC-16 procuratorate notices (检察建议, 纠正违法通知书): partner REST and staff GraphQL. */
@Module({ controllers: [ProcuratorateNoticesController], providers: [ProcuratorateService, ProcuratorateResolver] })
export class ProcuratorateModule {}
