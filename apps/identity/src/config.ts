import { IsInt, Max, Min } from 'class-validator';
import { DatabaseCryptoConfig, ToNumber } from '@homeward/platform';

/** Identity's environment (docs/internals.md "Configuration"): database, crypto, token lifetimes, lockout. */
export class IdentityConfig extends DatabaseCryptoConfig {
  /** Staff access token lifetime. */
  @ToNumber()
  @IsInt()
  @Min(60)
  @Max(86400)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  /** Partner (client credentials) token lifetime. */
  @ToNumber()
  @IsInt()
  @Min(60)
  @Max(86400)
  PARTNER_TOKEN_TTL_SECONDS = 3600;

  /** Failed logins in a row that lock an account. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(100)
  LOCKOUT_THRESHOLD = 5;

  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(1440)
  LOCKOUT_MINUTES = 15;

  /** A session not refreshed for this long cannot be refreshed any more. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(1440)
  IDLE_TIMEOUT_MINUTES = 30;
}
