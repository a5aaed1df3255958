export * from './subgraph.module';
export * from './schema-file.writer';
export * from './armor';
export * from './subgraph-access.plugin';
export * from './subscriptions';
