import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';

/** What the gateway's GraphQL context carries (built per request in GatewayGraphqlOptions). */
export interface GatewayContext {
  req?: { headers: IncomingHttpHeaders };
  requestId?: string;
  [key: string]: unknown;
}

/** Headers the gateway passes on to every subgraph: the subgraphs verify the token again. */
export const FORWARDED_HEADERS = ['authorization', 'x-request-id', 'accept-language'] as const;

/**
 * A subgraph data source that forwards the caller's `authorization` and `x-request-id`
 * (and the language, for staff-facing labels) to the subgraph.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = options.context?.req?.headers;
    const outgoing = options.request.http?.headers;
    if (!headers || !outgoing) return;
    for (const name of FORWARDED_HEADERS) {
      const value = headers[name];
      const single = Array.isArray(value) ? value[0] : value;
      if (single) outgoing.set(name, single);
    }
    const requestId = options.context.requestId;
    if (requestId) outgoing.set('x-request-id', requestId);
  }
}
