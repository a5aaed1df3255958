/** @homeward/domain: pure rules and reference data, no Nest, no I/O. */
export * from './errors';
export * from './calendar';
export * from './enums';
export * from './id-number';
export * from './towns';
export * from './deadlines';
export * from './events';
export * from './clock';
export * from './kpi';
export * from './correction/lifecycle';
export * from './correction/team';
export * from './correction/supervision';
export * from './correction/sanctions';
export * from './correction/monitoring';
export * from './correction/leave';
export * from './correction/geo';
