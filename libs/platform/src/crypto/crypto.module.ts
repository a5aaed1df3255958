import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { CRYPTO_SECRETS, CryptoSecrets, FieldCipher, PersonKeys } from './field-cipher';

/** Global module providing FieldCipher and PersonKeys; secrets come from the app config (or are given). */
@Global()
@Module({})
export class CryptoModule {
  static forRoot(secrets?: CryptoSecrets): DynamicModule {
    const secretsProvider = secrets
      ? { provide: CRYPTO_SECRETS, useValue: secrets }
      : { provide: CRYPTO_SECRETS, useFactory: (config: CryptoSecrets) => config, inject: [APP_CONFIG] };
    return { module: CryptoModule, global: true, providers: [secretsProvider, FieldCipher, PersonKeys], exports: [FieldCipher, PersonKeys] };
  }
}
