import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { APP_CONFIG } from '../config/config.module';
import { AuditAnchorer } from './audit-anchorer';
import { AUDIT_CHAIN_KEY, AUDIT_CHAIN_SHARDS, AuditWriter, SERVICE_NAME } from './audit-writer';
import { DeniedAuditInterceptor } from './denied-audit.interceptor';

/**
 * Global module providing AuditWriter for `service` (needs a TypeORM DataSource, a Clock and the
 * config's AUDIT_CHAIN_KEY) and the AuditAnchorer. Also provides SERVICE_NAME, and audits every
 * denied request (DeniedAuditInterceptor, issue 6 item 11).
 */
@Global()
@Module({})
export class AuditModule {
  static forService(service: string): DynamicModule {
    return {
      module: AuditModule,
      global: true,
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        { provide: AUDIT_CHAIN_KEY, useFactory: (config: { AUDIT_CHAIN_KEY?: string }) => config.AUDIT_CHAIN_KEY, inject: [APP_CONFIG] },
        { provide: AUDIT_CHAIN_SHARDS, useFactory: (config: { AUDIT_CHAIN_SHARDS?: number }) => config.AUDIT_CHAIN_SHARDS ?? 1, inject: [APP_CONFIG] },
        AuditWriter,
        AuditAnchorer,
        { provide: APP_INTERCEPTOR, useClass: DeniedAuditInterceptor },
      ],
      exports: [AuditWriter, AuditAnchorer, SERVICE_NAME, AUDIT_CHAIN_KEY, AUDIT_CHAIN_SHARDS],
    };
  }
}
