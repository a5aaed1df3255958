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

  /** Issue 6 item 8: after a partner client's secret is rotated, the previous one still works this long. */
  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(720)
  PARTNER_SECRET_GRACE_HOURS = 24;

  /** Issue 6 item 9: login / token / refresh / enrol requests a minute from one client IP. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(100000)
  LOGIN_RATE_LIMIT_PER_IP = 20;

  /** Issue 6 item 9: login (token) attempts a minute on one username (client_id), from every IP together. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(100000)
  LOGIN_RATE_LIMIT_PER_ACCOUNT = 60;

  /** Issue 6 item 9: password / secret verifications (argon2) in flight at once from one client IP; more → 429. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_CONCURRENCY_PER_IP = 2;

  /** Issue 6 item 6: how long a one-time enrolment code can be redeemed. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(720)
  ENROLMENT_CODE_TTL_HOURS = 72;
}
