export * from './case-assignments';
