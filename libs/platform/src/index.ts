export * from './config';
export * from './graphql-types';
