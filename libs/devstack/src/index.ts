export * from './apps';
export * from './infra';
export * from './processes';
export * from './secrets';
export * from './dev-env';
export * from './reset';
