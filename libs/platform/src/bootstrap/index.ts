export * from './bootstrap';
export * from './keep-alive';
