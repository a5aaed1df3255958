/**
 * The apps behind the gateway and which REST prefixes each one owns.
 * One table drives the reverse proxy, the merged OpenAPI document and the subgraph list.
 */
export const UPSTREAMS = ['identity', 'correction', 'resettlement', 'aftercare', 'alerts'] as const;
export type UpstreamName = (typeof UPSTREAMS)[number];

/** Base URL of each upstream app, e.g. `{ identity: 'http://127.0.0.1:3001', ... }`. */
export type UpstreamUrls = Readonly<Record<UpstreamName, string>>;

/** Subgraph names as they appear in the supergraph (`join__Graph`). */
export const SUBGRAPH_NAMES: Readonly<Record<UpstreamName, string>> = {
  identity: 'identity',
  correction: 'community-correction',
  resettlement: 'resettlement',
  aftercare: 'aftercare',
  alerts: 'alerts',
};

export interface RestRoute {
  /** Path prefix on the gateway; it is forwarded unchanged (the apps serve the same paths). */
  readonly prefix: string;
  readonly upstream: UpstreamName;
}

/** REST routes proxied to the owning app (docs/architecture.md "Entry points", docs/partner-api.md). */
export const REST_ROUTES: readonly RestRoute[] = [
  { prefix: '/api/v1/auth', upstream: 'identity' },
  { prefix: '/api/v1/oauth', upstream: 'identity' },
  { prefix: '/api/v1/correction', upstream: 'correction' },
  { prefix: '/api/v1/resettlement', upstream: 'resettlement' },
  { prefix: '/api/v1/aftercare', upstream: 'aftercare' },
  { prefix: '/api/v1/alerts', upstream: 'alerts' },
  { prefix: '/.well-known/jwks.json', upstream: 'identity' },
];

/** The live alert feed (graphql-ws) is served by the alerts app. */
export const SUBSCRIPTIONS_PATH = '/subscriptions';
export const SUBSCRIPTIONS_UPSTREAM: UpstreamName = 'alerts';

/** Mount points the proxy handles: everything under them is either proxied or answered 404. */
export const PROXY_MOUNTS = ['/api/v1', '/.well-known/jwks.json'] as const;

/** The path part of a URL (no query string, no fragment). */
export function pathOf(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

/**
 * The upstream that owns a request path, or undefined when none does.
 * A prefix matches itself and anything below it (`/api/v1/auth/login`), never a sibling
 * that merely starts with the same letters (`/api/v1/authx`).
 */
export function routeFor(url: string): RestRoute | undefined {
  const path = pathOf(url);
  return REST_ROUTES.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
}
