import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@homeward/domain';
import { CurrentPrincipal, Roles, type Principal } from '@homeward/platform';
import { AuditLogService } from './audit-log.service';
import { AUDIT_PAGE_DEFAULT, AuditEventConnection, AuditEventFilter } from './dto/audit-event.types';

@Resolver(() => AuditEventConnection)
export class AuditLogResolver {
  constructor(private readonly auditLog: AuditLogService) {}

  @Roles(Role.AUDITOR)
  @Query(() => AuditEventConnection, { description: 'The audit log, newest first; AUDITOR only / 审计日志（仅审计员）' })
  auditEvents(
    @CurrentPrincipal() principal: Principal,
    @Args('filter', { type: () => AuditEventFilter, nullable: true }) filter?: AuditEventFilter,
    @Args('first', { type: () => Int, defaultValue: AUDIT_PAGE_DEFAULT }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<AuditEventConnection> {
    return this.auditLog.events(principal, filter ?? {}, first ?? AUDIT_PAGE_DEFAULT, after);
  }
}
