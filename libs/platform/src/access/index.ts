export * from './record-access';
