export * from './towns';
