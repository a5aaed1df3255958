import { DynamicModule, Global, Module } from '@nestjs/common';
import { AuditWriter, SERVICE_NAME } from './audit-writer';

/**
 * Global module providing AuditWriter for `service` (needs a TypeORM DataSource and a Clock).
 * Also provides SERVICE_NAME.
 */
@Global()
@Module({})
export class AuditModule {
  static forService(service: string): DynamicModule {
    return {
      module: AuditModule,
      global: true,
      providers: [{ provide: SERVICE_NAME, useValue: service }, AuditWriter],
      exports: [AuditWriter, SERVICE_NAME],
    };
  }
}
