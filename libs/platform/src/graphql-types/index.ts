export * from './shared.types';
export * from './cursor';
export * from './pagination';
export * from './by-person-key';
