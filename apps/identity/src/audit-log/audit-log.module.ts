import { Module } from '@nestjs/common';
import { AuditLogResolver } from './audit-log.resolver';
import { AuditLogService } from './audit-log.service';

@Module({
  providers: [AuditLogService, AuditLogResolver],
})
export class AuditLogModule {}
