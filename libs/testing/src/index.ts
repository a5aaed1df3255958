export * from './database';
export * from './redis';
export * from './stack';
export * from './eventually';
export * from './service-app';
export * from './pii-scan';
export * from './faults';
export * from './own-redis';
