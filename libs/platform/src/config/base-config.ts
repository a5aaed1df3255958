import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIP,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MinLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidationOptions,
  buildMessage,
} from 'class-validator';

/** Turns an env string into a boolean: `true/1/yes/on` → true, `false/0/no/off` → false; anything else is kept (and then fails validation). */
export const ToBoolean = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value === 'boolean') return value;
    if (typeof value !== 'string') return value;
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    return value;
  });

/** Turns an env string into a number (empty → kept, fails validation). */
export const ToNumber = (): PropertyDecorator => Type(() => Number);

/** A base64 string that decodes to exactly `bytes` bytes (e.g. an AES-256 key). */
export function IsBase64Key(bytes: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBase64Key',
      constraints: [bytes],
      validator: {
        validate: (value: unknown): boolean =>
          typeof value === 'string' &&
          /^[A-Za-z0-9+/]+={0,2}$/.test(value.trim()) &&
          Buffer.from(value.trim(), 'base64').length === bytes,
        defaultMessage: buildMessage((prefix) => `${prefix}$property must be base64 of exactly $constraint1 bytes`, options),
      },
    },
    options,
  );
}

/** A URL whose scheme is one of `schemes` (e.g. postgres, redis). */
export function IsUrlWithScheme(schemes: string[], options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isUrlWithScheme',
      constraints: [schemes],
      validator: {
        validate: (value: unknown): boolean => {
          if (typeof value !== 'string') return false;
          try {
            const url = new URL(value);
            return schemes.includes(url.protocol.replace(/:$/, ''));
          } catch {
            return false;
          }
        },
        defaultMessage: buildMessage(
          (prefix, args) => `${prefix}$property must be a URL with scheme ${(args?.constraints[0] as string[]).join(' or ')}`,
          options,
        ),
      },
    },
    options,
  );
}

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Variables every app reads (docs/internals.md "Configuration"). A property with an
 * initializer has that default; a property without one and without `@IsOptional()` is required.
 * Apps declare `class XConfig extends ServiceConfig { ... }` and add their own.
 */
export class BaseConfig {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  /** When unset, `bootstrap()` uses the app's default port. */
  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT?: number;

  /**
   * Issue 6 item 12: the address the HTTP server listens on. Unset: 127.0.0.1 for every app but the
   * gateway (the edge, 0.0.0.0); containers and k8s set 0.0.0.0 and rely on the NetworkPolicy.
   */
  @IsOptional()
  @IsIP()
  BIND_ADDRESS?: string;

  /**
   * Issue 6 items 11/12/15: the gateway sends it in `x-homeward-gateway-secret` on every subgraph and
   * REST request; an app trusts the gateway's client-IP header and serves `_service` to callers
   * without a token only when it matches. Required in production; the dev launcher and the test
   * harness generate one.
   */
  @ValidateIf((c: BaseConfig) => c.NODE_ENV === 'production' || c.SUBGRAPH_SHARED_SECRET !== undefined)
  @IsString()
  @MinLength(32, { message: 'SUBGRAPH_SHARED_SECRET must be at least 32 characters (required in production)' })
  SUBGRAPH_SHARED_SECRET?: string;

  @IsUrlWithScheme(['redis', 'rediss'])
  REDIS_URL: string;

  @IsString()
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'REDIS_PREFIX must be 1–64 characters of letters, digits, ":", "_" or "-"' })
  REDIS_PREFIX = 'hw';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @ToBoolean()
  @IsBoolean()
  CLOCK_CONTROL = false;

  /**
   * Port of the separate `/metrics` listener (issue 6 item 14): metrics are never served on PORT.
   * Unset: no metrics listener.
   */
  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  /** Address the metrics listener binds (k8s: 0.0.0.0 so Prometheus can scrape the pod). */
  @IsString()
  @Matches(/^[0-9A-Za-z.:[\]-]{1,100}$/, { message: 'METRICS_HOST must be an IP address or host name' })
  METRICS_HOST = '127.0.0.1';
}

/** A class constructor (mixins below take and return one). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ConfigClass<T = object> = new (...args: any[]) => T;

/** Adds DATABASE_URL and DATABASE_POOL_SIZE. */
export function WithDatabase<TBase extends ConfigClass<BaseConfig>>(Base: TBase) {
  class DatabaseVars extends Base {
    @IsUrlWithScheme(['postgres', 'postgresql'])
    DATABASE_URL: string;

    @ToNumber()
    @IsInt()
    @Min(1)
    @Max(200)
    DATABASE_POOL_SIZE = 10;

    /**
     * Issue 6 item 3: when set, the app runs its migrations at boot as this (migrator) role before
     * connecting as DATABASE_URL (tests, one-process development); refused in production, where the
     * migration Job / `npm run cli -- migrate` does it. Unset: the app only checks none is pending.
     */
    @IsOptional()
    @IsUrlWithScheme(['postgres', 'postgresql'])
    MIGRATION_DATABASE_URL?: string;
  }
  return DatabaseVars;
}

/** Adds AUDIT_CHAIN_KEY (≥ 32 characters, the HMAC key of the audit chain), AUDIT_ANCHOR_INTERVAL_SECONDS and AUDIT_CHAIN_SHARDS. */
export function WithAudit<TBase extends ConfigClass<BaseConfig>>(Base: TBase) {
  class AuditVars extends Base {
    @IsString()
    @MinLength(32)
    AUDIT_CHAIN_KEY: string;

    @ToNumber()
    @IsInt()
    @Min(0)
    @Max(86400)
    AUDIT_ANCHOR_INTERVAL_SECONDS = 300;

    /**
     * Issue 13: how many hash chains each service appends its audit rows to (each under its own lock, so
     * that many audited transactions of one service commit at once). Lowering it later is safe: the
     * other chains stop growing and stay verifiable.
     */
    @ToNumber()
    @IsInt()
    @Min(1)
    @Max(64)
    AUDIT_CHAIN_SHARDS = 4;
  }
  return AuditVars;
}

/** Adds FIELD_ENCRYPTION_KEY (base64 of 32 bytes) and PERSON_KEY_SECRET (≥ 32 characters). */
export function WithCrypto<TBase extends ConfigClass<BaseConfig>>(Base: TBase) {
  class CryptoVars extends Base {
    @IsBase64Key(32)
    FIELD_ENCRYPTION_KEY: string;

    @IsString()
    @MinLength(32)
    PERSON_KEY_SECRET: string;
  }
  return CryptoVars;
}

/** Adds IDENTITY_URL (where `/.well-known/jwks.json` is fetched). */
export function WithJwks<TBase extends ConfigClass<BaseConfig>>(Base: TBase) {
  class JwksVars extends Base {
    @IsUrlWithScheme(['http', 'https'])
    IDENTITY_URL: string;
  }
  return JwksVars;
}

/** Adds RATE_LIMIT_PER_MINUTE (partner REST apps). */
export function WithRateLimit<TBase extends ConfigClass<BaseConfig>>(Base: TBase) {
  class RateLimitVars extends Base {
    @ToNumber()
    @IsInt()
    @Min(1)
    RATE_LIMIT_PER_MINUTE = 600;
  }
  return RateLimitVars;
}

/** BaseConfig + DATABASE_URL, DATABASE_POOL_SIZE. */
export class DatabaseConfig extends WithDatabase(BaseConfig) {}
/** BaseConfig + FIELD_ENCRYPTION_KEY, PERSON_KEY_SECRET. */
export class CryptoConfig extends WithCrypto(BaseConfig) {}
/** BaseConfig + IDENTITY_URL. */
export class JwksConfig extends WithJwks(BaseConfig) {}
/** Database + crypto + audit key (identity: it holds the keys, fetches no JWKS). */
export class DatabaseCryptoConfig extends WithAudit(WithCrypto(WithDatabase(BaseConfig))) {}
/** Everything a service app (correction, resettlement, aftercare, alerts) needs: database, crypto, audit key, JWKS, rate limit. */
export class ServiceConfig extends WithRateLimit(WithJwks(WithAudit(WithCrypto(WithDatabase(BaseConfig))))) {}
