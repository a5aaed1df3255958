export * from './idempotency.store';
export * from './idempotency.interceptor';
export * from './rate-limit.gate';
export * from './partner-api.module';
