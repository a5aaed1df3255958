export * from './catalogue';
export * from './pii';
