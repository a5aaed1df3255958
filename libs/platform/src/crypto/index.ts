export * from './field-cipher';
export * from './crypto.module';
export * from './envelope-cipher';
export * from './encrypted-column';
