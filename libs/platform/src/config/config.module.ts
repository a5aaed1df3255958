import { DynamicModule, Global, Module, ValueProvider } from '@nestjs/common';
import { BaseConfig } from './base-config';
import { loadConfig } from './load-config';

/** Injection token of the app's config instance (also provided under its class). */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Global module providing the validated config under its class and under `APP_CONFIG`. */
@Global()
@Module({})
export class ConfigModule {
  /** `instance` lets tests pass a ready config; else it is loaded from process.env (throws ConfigError). */
  static forRoot<T extends BaseConfig>(cls: new () => T, instance?: T): DynamicModule {
    const config = instance ?? loadConfig(cls);
    const providers: ValueProvider[] = [
      { provide: cls, useValue: config },
      { provide: APP_CONFIG, useValue: config },
    ];
    if ((cls as unknown) !== BaseConfig) providers.push({ provide: BaseConfig, useValue: config });
    return { module: ConfigModule, global: true, providers, exports: providers.map((p) => p.provide) };
  }
}
