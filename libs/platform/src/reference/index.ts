export * from './reference-schema';
