export * from './shared.types';
export * from './connection';
export * from './field-loader';
