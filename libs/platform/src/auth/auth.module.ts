import type Redis from 'ioredis';
import { DynamicModule, Global, Module, ModuleMetadata, Provider, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG } from '../config/config.module';
import { AuthGuard } from './auth.guard';
import { PLATFORM_REDIS } from '../redis/redis.module';
import { HttpJwksProvider, JWKS_PROVIDER, JwksProvider } from './jwks';
import { KeysChangedListener } from './keys-changed.listener';
import { TokenRevocations } from './revocations';
import { RevocationMirrorService } from './revocation-mirror.service';

/** TokenRevocations from PLATFORM_REDIS and REDIS_PREFIX (AuthModule has it; offline tools such as the admin CLI add it). */
export const tokenRevocationsProvider: Provider = {
  provide: TokenRevocations,
  inject: [PLATFORM_REDIS, APP_CONFIG],
  useFactory: (redis: Redis, config: { REDIS_PREFIX: string }) => new TokenRevocations(redis, config.REDIS_PREFIX),
};

/** How identity (which holds the keys) or a test supplies public keys instead of fetching JWKS over HTTP. */
export type JwksOverride = { imports?: ModuleMetadata['imports'] } & (
  | { useValue: JwksProvider }
  | { useClass: Type<JwksProvider> }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  | { useFactory: (...args: any[]) => JwksProvider | Promise<JwksProvider>; inject?: any[] }
);

export interface AuthModuleOptions {
  jwks?: JwksOverride;
}

/**
 * Global guard on every request (see AuthGuard), the JWKS provider (HTTP from IDENTITY_URL by default),
 * the token revocation list on Redis (TokenRevocations) with its in-process mirror (RevocationMirrorService)
 * and the listener that drops retired keys.
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    const { jwks } = options;
    let jwksProvider: Provider;
    if (!jwks) {
      jwksProvider = {
        provide: JWKS_PROVIDER,
        inject: [APP_CONFIG],
        useFactory: (config: { IDENTITY_URL?: string }) => {
          if (!config.IDENTITY_URL) throw new Error('AuthModule needs IDENTITY_URL (or a jwks override)');
          return new HttpJwksProvider(config.IDENTITY_URL);
        },
      };
    } else if ('useValue' in jwks) {
      jwksProvider = { provide: JWKS_PROVIDER, useValue: jwks.useValue };
    } else if ('useClass' in jwks) {
      jwksProvider = { provide: JWKS_PROVIDER, useClass: jwks.useClass };
    } else {
      jwksProvider = { provide: JWKS_PROVIDER, useFactory: jwks.useFactory, inject: jwks.inject ?? [] };
    }
    return {
      module: AuthModule,
      global: true,
      imports: jwks?.imports ?? [],
      providers: [
        jwksProvider,
        tokenRevocationsProvider,
        KeysChangedListener,
        RevocationMirrorService,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [JWKS_PROVIDER, TokenRevocations, RevocationMirrorService],
    };
  }
}
