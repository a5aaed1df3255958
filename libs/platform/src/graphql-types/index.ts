export * from './shared.types';
export * from './cursor';
