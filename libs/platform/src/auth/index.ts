export * from './principal';
export * from './jwks';
export * from './verify-token';
export * from './decorators';
export * from './request-of';
export * from './jurisdiction';
export * from './auth.guard';
export * from './auth.module';
