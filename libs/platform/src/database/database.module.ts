import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSourceOptions } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { buildDataSourceOptions, createDataSource } from './data-source';

export interface DatabaseModuleOptions {
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}

interface DatabaseVars {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE?: number;
}

/**
 * TypeORM on PostgreSQL for one service: its schema, `synchronize: false`, migrations run
 * at start (each in a transaction, schema created first). Needs ConfigModule with DATABASE_URL.
 */
@Module({})
export class DatabaseModule {
  static forService(opts: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: DatabaseVars) => ({
            ...buildDataSourceOptions({
              url: config.DATABASE_URL,
              schema: opts.schema,
              entities: opts.entities,
              migrations: opts.migrations,
              poolSize: config.DATABASE_POOL_SIZE ?? 10,
            }),
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (options?: DataSourceOptions) => {
            if (!options) throw new Error('DatabaseModule: no DataSource options');
            return createDataSource(options);
          },
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
