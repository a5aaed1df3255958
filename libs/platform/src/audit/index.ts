export * from './canonical-json';
export * from './audit-sql';
export * from './audit-writer';
export * from './audit.module';
export * from './audit-anchorer';
export * from './denied-audit.interceptor';
