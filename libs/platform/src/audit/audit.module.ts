import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AuditAnchorer } from './audit-anchorer';
import { AUDIT_CHAIN_KEY, AuditWriter, SERVICE_NAME } from './audit-writer';

/**
 * Global module providing AuditWriter for `service` (needs a TypeORM DataSource, a Clock and the
 * config's AUDIT_CHAIN_KEY) and the AuditAnchorer. Also provides SERVICE_NAME.
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
        AuditWriter,
        AuditAnchorer,
      ],
      exports: [AuditWriter, AuditAnchorer, SERVICE_NAME, AUDIT_CHAIN_KEY],
    };
  }
}
