import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { buildDataSourceOptions, createDataSource, pendingMigrations, type PostgresConnectionOptions } from './data-source';

export interface DatabaseModuleOptions {
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  /**
   * DATABASE_URL is the migrator's and the migrations run on it at start (the admin CLI's identity
   * context); never for an app, whose DATABASE_URL is its own least-privilege role.
   */
  connectsAsMigrator?: boolean;
}

interface DatabaseVars {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE?: number;
  MIGRATION_DATABASE_URL?: string;
}

/** The options TypeORM gets, plus where the migrations run from (not a TypeORM option). */
type HomewardOptions = PostgresConnectionOptions & { homewardMigrationUrl?: string };

/** The app cannot start on a schema whose migrations have not all run. */
export class PendingMigrationsError extends Error {
  constructor(schema: string, pending: string[]) {
    super(
      `schema ${schema}: ${pending.length} migration(s) not run (${pending.join(', ')}): run \`npm run cli -- migrate\` ` +
        `(the migration Job) as the migrator first / 数据库迁移未执行，请先运行迁移`,
    );
    this.name = 'PendingMigrationsError';
  }
}

/**
 * TypeORM on PostgreSQL for one service: its schema, `synchronize: false`. The app connects as
 * DATABASE_URL (its own least-privilege role, issue 6 item 3) and never runs DDL with it: when
 * MIGRATION_DATABASE_URL is set (tests, development) the migrations first run as that role on a
 * short-lived connection; otherwise the app refuses to start while a migration is pending.
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
              migrationsRun: opts.connectsAsMigrator ?? false,
            }),
            homewardMigrationUrl: config.MIGRATION_DATABASE_URL,
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (options?: DataSourceOptions) => {
            if (!options) throw new Error('DatabaseModule: no DataSource options');
            const { homewardMigrationUrl, ...appOptions } = options as HomewardOptions;
            if (homewardMigrationUrl) {
              const migrator = createDataSource({
                ...appOptions,
                url: homewardMigrationUrl,
                entities: [],
                poolSize: 1,
                extra: { max: 1 },
                migrationsRun: true,
                applicationName: `${appOptions.applicationName ?? 'homeward'}-migrate`,
              });
              await migrator.initialize();
              await migrator.destroy();
            }
            const ds: DataSource = createDataSource(appOptions);
            await ds.initialize();
            const pending = await pendingMigrations(ds);
            if (pending.length) {
              await ds.destroy();
              throw new PendingMigrationsError(opts.schema, pending);
            }
            return ds;
          },
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
