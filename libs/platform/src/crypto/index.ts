export * from './field-cipher';
export * from './crypto.module';
export * from './encrypted-column';
