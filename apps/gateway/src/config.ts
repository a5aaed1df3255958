import { IsOptional, IsString, IsInt, Min } from 'class-validator';
import { IsUrlWithScheme, JwksConfig, ToNumber } from '@homeward/platform';
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

  /** A supergraph composed by `npm run compose:supergraph`; when unset, IntrospectAndCompose with retries. */
  @IsOptional()
  @IsString()
  SUPERGRAPH_PATH?: string;

  /** How often IntrospectAndCompose asks the subgraphs for schema changes (development only). */
  @ToNumber()
  @IsInt()
  @Min(1000)
  SUPERGRAPH_POLL_INTERVAL_MS = 10_000;
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
