import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { CRYPTO_SECRETS, CryptoSecrets, FieldCipher, PersonKeys } from './field-cipher';
import { useColumnCipher } from './encrypted-column';

/** Global module providing FieldCipher and PersonKeys; secrets come from the app config (or are given). */
@Global()
@Module({})
export class CryptoModule {
  static forRoot(secrets?: CryptoSecrets): DynamicModule {
    const secretsProvider = secrets
      ? { provide: CRYPTO_SECRETS, useValue: secrets }
      : { provide: CRYPTO_SECRETS, useFactory: (config: CryptoSecrets) => config, inject: [APP_CONFIG] };
    // The app's FieldCipher is also the one encrypted entity columns use (encryptedColumn).
    const cipherProvider = {
      provide: FieldCipher,
      useFactory: (s: CryptoSecrets) => {
        const cipher = new FieldCipher(s);
        useColumnCipher(cipher);
        return cipher;
      },
      inject: [CRYPTO_SECRETS],
    };
    return { module: CryptoModule, global: true, providers: [secretsProvider, cipherProvider, PersonKeys], exports: [FieldCipher, PersonKeys] };
  }
}
