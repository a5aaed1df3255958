import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditWriter, SERVICE_NAME } from './audit-writer';
import { DeniedAuditInterceptor } from './denied-audit.interceptor';

/**
 * Global module providing AuditWriter for `service` (needs a TypeORM DataSource and a Clock).
 * Also provides SERVICE_NAME, and audits every denied request (DeniedAuditInterceptor, issue 6 item 11).
 */
@Global()
@Module({})
export class AuditModule {
  static forService(service: string): DynamicModule {
    return {
      module: AuditModule,
      global: true,
      providers: [{ provide: SERVICE_NAME, useValue: service }, AuditWriter, { provide: APP_INTERCEPTOR, useClass: DeniedAuditInterceptor }],
      exports: [AuditWriter, SERVICE_NAME],
    };
  }
}
