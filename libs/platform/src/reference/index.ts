export * from './reference-schema';
export * from './reference-loader';
