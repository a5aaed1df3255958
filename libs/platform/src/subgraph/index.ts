export * from './subgraph.module';
