export * from './table-export';
