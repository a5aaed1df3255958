export * from './cursor';
export * from './keyset-page';
export * from './by-person-key';
export * from './town-page';
