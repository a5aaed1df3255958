export * from './config';
export * from './graphql-types';
export * from './errors';
