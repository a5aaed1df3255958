export * from './input-guard';
export * from './is-local-date';
export * from './graphql-input';
