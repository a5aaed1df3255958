import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { CLIENT_IP_HEADER, GATEWAY_OWN_REQUEST_HEADER, GATEWAY_SECRET_HEADER } from '@homeward/platform';

/** What the gateway's GraphQL context carries (built per request in GatewayGraphqlOptions). */
export interface GatewayContext {
  req?: { headers: IncomingHttpHeaders };
  requestId?: string;
  /** The caller's IP as the gateway saw it (issue 6 item 11). */
  clientIp?: string;
  [key: string]: unknown;
}

/** Headers the gateway passes on to every subgraph: the subgraphs verify the token again. */
export const FORWARDED_HEADERS = ['authorization', 'x-request-id', 'accept-language'] as const;

/**
 * A subgraph data source that forwards the caller's `authorization` and `x-request-id`
 * (and the language, for staff-facing labels) to the subgraph, and on every request — user
 * queries, `_entities` fetches and the composition's `_service` — the gateway secret and the
 * client IP the gateway saw (issue 6 items 11/12). The gateway's own requests (schema loading,
 * health checks) say so in GATEWAY_OWN_REQUEST_HEADER: the subgraph logs them at debug (issue 8 item 8).
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly gatewaySecret?: string;

  constructor(config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0] & { gatewaySecret?: string }) {
    const { gatewaySecret, ...rest } = config ?? {};
    super(rest);
    this.gatewaySecret = gatewaySecret;
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const outgoing = options.request.http?.headers;
    if (!outgoing) return;
    if (this.gatewaySecret) outgoing.set(GATEWAY_SECRET_HEADER, this.gatewaySecret);
    // GraphQLDataSourceRequestKind is not exported by @apollo/gateway: its values are strings.
    if (String(options.kind) !== 'incoming operation') outgoing.set(GATEWAY_OWN_REQUEST_HEADER, '1');
    else outgoing.delete(GATEWAY_OWN_REQUEST_HEADER);
    const clientIp = options.context?.clientIp;
    if (clientIp) outgoing.set(CLIENT_IP_HEADER, clientIp);
    const headers = options.context?.req?.headers;
    if (!headers) return;
    for (const name of FORWARDED_HEADERS) {
      const value = headers[name];
      const single = Array.isArray(value) ? value[0] : value;
      if (single) outgoing.set(name, single);
    }
    const requestId = options.context.requestId;
    if (requestId) outgoing.set('x-request-id', requestId);
  }
}
