export * from './id-number';
export * from './person-key';
