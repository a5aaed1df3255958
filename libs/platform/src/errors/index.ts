export * from './problem';
export * from './problem.mapper';
export * from './problem.filter';
export * from './validation';
export * from './graphql-errors';
export * from './transient';
