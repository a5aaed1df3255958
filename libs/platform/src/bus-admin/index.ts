export * from './bus-admin.types';
export * from './bus-admin.service';
export * from './bus-admin.module';
export * from './dead-letter-retry.handler';
