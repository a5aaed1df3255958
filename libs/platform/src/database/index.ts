export * from './snake-naming.strategy';
export * from './platform-migrations';
export * from './data-source';
export * from './database.module';
export * from './typeorm-logger';
export * from './ambient-transaction';
