import { IsBoolean, IsIn, IsOptional, IsString, IsInt, Matches, Min } from 'class-validator';
import { IsUrlWithScheme, JwksConfig, ToBoolean, ToNumber } from '@homeward/platform';
import { UpstreamUrls } from './upstreams';

/**
 * The gateway's environment (docs/internals.md): base variables, IDENTITY_URL for the JWKS,
 * the four other upstream apps, and optionally a composed supergraph file.
 * It owns no data: no DATABASE_URL, no crypto keys.
 */
export class GatewayConfig extends JwksConfig {
  @IsUrlWithScheme(['http', 'https'])
  CORRECTION_URL: string;

  @IsUrlWithScheme(['http', 'https'])
  RESETTLEMENT_URL: string;

  @IsUrlWithScheme(['http', 'https'])
  AFTERCARE_URL: string;

  @IsUrlWithScheme(['http', 'https'])
  ALERTS_URL: string;

  /** A supergraph composed by `npm run compose:supergraph`; when unset, the subgraphs' `_service` SDLs composed here, with retries. */
  @IsOptional()
  @IsString()
  SUPERGRAPH_PATH?: string;

  /**
   * Issue 6 item 11: proxies in front of the gateway whose X-Forwarded-For it believes (express
   * `trust proxy`: comma-separated `loopback`, `linklocal`, `uniquelocal`, IPs or CIDRs), or `none`.
   * The client IP it settles on is what it passes to the apps and what the audit records.
   */
  @IsString()
  @Matches(/^(none|[A-Za-z0-9.:/, ]{1,500})$/, { message: 'TRUST_PROXY must be none or a comma-separated list of loopback/linklocal/uniquelocal/IPs/CIDRs' })
  TRUST_PROXY = 'none';

  /** How often the gateway recomposes from the subgraphs' `_service` SDLs (development only). */
  @ToNumber()
  @IsInt()
  @Min(1000)
  SUPERGRAPH_POLL_INTERVAL_MS = 10_000;

  /**
   * Issue 13 S3: how the gateway plans an operation over the subgraphs. `rust` (default): Hive
   * Router's query planner (`@graphql-hive/router-runtime`, a native addon for linux-x64/arm64 glibc);
   * `javascript`: Hive Gateway's own stitching planner — the fallback if the native planner
   * cannot load on a platform or misbehaves.
   */
  @IsIn(['rust', 'javascript'])
  GATEWAY_QUERY_PLANNER: 'rust' | 'javascript' = 'rust';

  /**
   * Issue 13 S3: an operation that one subgraph answers alone (every field it selects is that
   * subgraph's own) goes to it as sent, after the gateway's checks, without Hive Gateway's planner and
   * executor (apps/gateway/src/graphql/single-subgraph.ts). `false` sends every operation through Hive
   * Gateway.
   */
  @ToBoolean()
  @IsBoolean()
  GATEWAY_SINGLE_SUBGRAPH_PASSTHROUGH = true;
}

export const GATEWAY_DEFAULT_PORT = 3000;

/** Base URLs of the upstream apps, without a trailing slash. */
export function upstreamUrls(config: GatewayConfig): UpstreamUrls {
  const trim = (u: string): string => u.replace(/\/+$/, '');
  return {
    identity: trim(config.IDENTITY_URL),
    correction: trim(config.CORRECTION_URL),
    resettlement: trim(config.RESETTLEMENT_URL),
    aftercare: trim(config.AFTERCARE_URL),
    alerts: trim(config.ALERTS_URL),
  };
}
