export * from './subgraph.module';
export * from './schema-file.writer';
