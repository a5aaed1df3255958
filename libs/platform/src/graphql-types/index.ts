export * from './shared.types';
export * from './cursor';
export * from './pagination';
