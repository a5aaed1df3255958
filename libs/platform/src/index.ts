export * from './config';
export * from './graphql-types';
export * from './errors';
export * from './redis';
export * from './clock';
export * from './crypto';
