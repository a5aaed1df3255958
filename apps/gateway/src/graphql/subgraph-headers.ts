import { CLIENT_IP_HEADER, GATEWAY_OWN_REQUEST_HEADER, GATEWAY_SECRET_HEADER, REQUEST_ID_HEADER } from '@homeward/platform';

/** Headers the gateway passes on to every subgraph from the caller: the subgraphs verify the token again. */
export const FORWARDED_HEADERS = ['authorization', 'x-request-id', 'accept-language'] as const;

/** What the gateway knows of the caller's request when it asks a subgraph. */
export interface CallerRequest {
  /** The caller's headers (a Fetch `Headers`); none for the gateway's own requests. */
  headers?: { get(name: string): string | null };
  requestId?: string;
  /** The caller's IP as the gateway saw it (issue 6 item 11). */
  clientIp?: string;
}

/**
 * The headers of one subgraph request (Hive Gateway's custom fetch sets them on every request:
 * user operations, their `_entities` fetches): the caller's `authorization`, request id and
 * language, and — whatever the caller sent under those names — the gateway secret and the client
 * IP the gateway saw (issue 6 items 11/12). The gateway's own requests (`_service` for composition)
 * say so in GATEWAY_OWN_REQUEST_HEADER (issue 8 item 8); a caller's never does.
 */
export function applySubgraphHeaders(outgoing: Headers, caller: CallerRequest | undefined, gatewaySecret: string | undefined): void {
  outgoing.delete(GATEWAY_SECRET_HEADER);
  outgoing.delete(CLIENT_IP_HEADER);
  if (gatewaySecret) outgoing.set(GATEWAY_SECRET_HEADER, gatewaySecret);
  if (!caller?.headers) {
    outgoing.set(GATEWAY_OWN_REQUEST_HEADER, '1');
    return;
  }
  outgoing.delete(GATEWAY_OWN_REQUEST_HEADER);
  for (const name of FORWARDED_HEADERS) {
    const value = caller.headers.get(name);
    if (value) outgoing.set(name, value);
    else outgoing.delete(name);
  }
  if (caller.requestId) outgoing.set(REQUEST_ID_HEADER, caller.requestId);
  if (caller.clientIp) outgoing.set(CLIENT_IP_HEADER, caller.clientIp);
}
