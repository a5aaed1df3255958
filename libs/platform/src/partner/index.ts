export * from './idempotency.store';
export * from './idempotency.interceptor';
export * from './rate-limit.gate';
export * from './partner-api.module';
export * from './partner-person.dto';
