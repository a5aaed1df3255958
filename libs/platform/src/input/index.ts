export * from './input-guard';
export * from './is-local-date';
export * from './is-town-code';
export * from './graphql-input';
