import { Agent } from 'node:http';
import type { Server } from 'node:http';

/**
 * Keep-alive between the gateway and the subgraphs (issue 14 item 9). A pooled connection must be
 * dropped by the CLIENT (the gateway's agent) before the SERVER closes it, else a request sent at the
 * moment the server closes its idle socket dies with "socket hang up". Node's default server
 * keep-alive timeout (5 s) equals Node 20's global agent's idle timeout (5 s): exactly that race.
 */
export const UPSTREAM_IDLE_SOCKET_MS = 30_000;
/** Every app's HTTP server keeps an idle connection this long (well above UPSTREAM_IDLE_SOCKET_MS). */
export const SERVER_KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Must exceed the keep-alive timeout (Node closes a socket whose next request's headers have not arrived by then). */
export const SERVER_HEADERS_TIMEOUT_MS = 66_000;

/** Sets the keep-alive and headers timeouts of an app's HTTP server. */
export function applyServerKeepAlive(server: Server, keepAliveTimeoutMs = SERVER_KEEP_ALIVE_TIMEOUT_MS): void {
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.headersTimeout = Math.max(keepAliveTimeoutMs + 1_000, Math.min(SERVER_HEADERS_TIMEOUT_MS, keepAliveTimeoutMs * 2));
}

/** The gateway's agent towards the subgraphs: keep-alive, idle sockets closed after `idleMs` (below the servers' timeout). */
export function upstreamAgent(idleMs = UPSTREAM_IDLE_SOCKET_MS): Agent {
  return new Agent({ keepAlive: true, keepAliveMsecs: 1_000, maxFreeSockets: 64, timeout: idleMs, scheduling: 'lifo' });
}
