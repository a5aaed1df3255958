import { Agent, ClientRequest, IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Logger } from '@nestjs/common';
import { upstreamAgent } from '@homeward/platform';

/** Codes of a socket that died before the answer began (the keep-alive race: the server closed it as we wrote). */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** An upstream failure as the caller may see it: the service's name, never its internal address. */
export class UpstreamUnavailableError extends Error {
  constructor(
    readonly upstream: string,
    readonly code: string | undefined,
  ) {
    super(`The ${upstream} service could not be reached; please try again. / ${upstream} 服务暂时无法访问，请重试。`);
    this.name = 'UpstreamUnavailableError';
  }
}

/** What the gateway's fetch towards a subgraph is given (a subset of the Fetch API's RequestInit). */
export interface FetcherRequestInit {
  method?: string;
  headers?: Record<string, string> | { forEach(cb: (value: string, name: string) => void): void };
  body?: string | Uint8Array | null;
  signal?: AbortSignal | null;
}

/** A fetch towards one subgraph: answers a WHATWG Response (Hive Gateway's custom fetch). */
export type Fetcher = (url: string, init?: FetcherRequestInit) => Promise<Response>;

/** The same request, answered without building a Fetch `Response` (the gateway's passthrough, issue 13 S3). */
export type RawFetcher = (url: string, init?: FetcherRequestInit) => Promise<RawUpstreamResponse>;

interface AttemptFailure extends Error {
  code?: string;
  reusedSocket?: boolean;
  responseStarted?: boolean;
}

function headerRecord(headers: FetcherRequestInit['headers'] | { forEach(cb: (value: string, name: string) => void): void } | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (typeof (headers as { forEach?: unknown }).forEach === 'function') {
    (headers as { forEach(cb: (value: string, name: string) => void): void }).forEach((value, name) => (out[name] = value));
  } else {
    Object.assign(out, headers);
  }
  return out;
}

/** An upstream's answer as received: status, raw headers, the whole body. */
export interface RawUpstreamResponse {
  status: number;
  statusText?: string;
  rawHeaders: string[];
  body: Buffer;
}

function attempt(url: URL, init: FetcherRequestInit, agent: Agent | undefined): Promise<RawUpstreamResponse> {
  return new Promise((resolve, reject) => {
    let responseStarted = false;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req: ClientRequest = send(url, { method: init.method ?? 'GET', headers: headerRecord(init.headers), agent: url.protocol === 'https:' ? undefined : agent });
    const fail = (err: AttemptFailure): void => {
      err.reusedSocket = req.reusedSocket;
      err.responseStarted = responseStarted;
      reject(err);
    };
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => {
      responseStarted = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 502, statusText: res.statusMessage, rawHeaders: res.rawHeaders, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) });
      });
    });
    const signal = init.signal ?? undefined;
    if (signal) {
      const onAbort = (): void => void req.destroy(new Error('aborted'));
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        req.once('close', () => signal.removeEventListener('abort', onAbort));
      }
    }
    req.end(init.body ?? undefined);
  });
}

function toResponse(raw: RawUpstreamResponse): Response {
  const headers = new Headers();
  for (let i = 0; i < raw.rawHeaders.length; i += 2) headers.append(raw.rawHeaders[i], raw.rawHeaders[i + 1]);
  const empty = raw.status === 204 || raw.status === 304;
  return new Response(empty ? null : (raw.body as unknown as Uint8Array<ArrayBuffer>), { status: raw.status, statusText: raw.statusText, headers });
}

export interface UpstreamFetcherOptions {
  /** The subgraph's name, for the caller-facing error. */
  upstream: string;
  /** Defaults to an agent whose idle sockets close before the servers' keep-alive timeout. */
  agent?: Agent;
}

/**
 * The gateway's fetcher towards one subgraph (issue 14 item 9): keep-alive on an agent whose idle
 * sockets are closed before the subgraph's server would close them; when a REUSED socket dies before
 * any byte of the answer (the server closed it as the request was written, so the subgraph never saw
 * the request), the request is sent once more on a fresh socket. Any other failure becomes an
 * UpstreamUnavailableError naming the service, not its address.
 */
export function createUpstreamFetcher(options: UpstreamFetcherOptions): Fetcher & { raw: RawFetcher } {
  const agent = options.agent ?? upstreamAgent();
  const logger = new Logger('UpstreamFetcher');
  const urls = new Map<string, URL>();
  const raw: RawFetcher = async (url: string, init: FetcherRequestInit = {}): Promise<RawUpstreamResponse> => {
    let target = urls.get(url);
    if (!target) {
      target = new URL(url);
      if (urls.size < 64) urls.set(url, target);
    }
    try {
      return await attempt(target, init, agent);
    } catch (first) {
      const err = first as AttemptFailure;
      if (err.reusedSocket && !err.responseStarted && err.code && STALE_SOCKET_CODES.has(err.code)) {
        logger.debug(`${options.upstream}: pooled connection closed by the server (${err.code}); sent again on a new one`);
        try {
          return await attempt(target, init, agent);
        } catch (second) {
          const e2 = second as AttemptFailure;
          logger.warn(`${options.upstream} (${target.host}) failed after a retry: ${e2.code ?? e2.message}`);
          throw new UpstreamUnavailableError(options.upstream, e2.code);
        }
      }
      logger.warn(`${options.upstream} (${target.host}) failed: ${err.code ?? err.message}`);
      throw new UpstreamUnavailableError(options.upstream, err.code);
    }
  };
  const fetcher = async (url: string, init: FetcherRequestInit = {}): Promise<Response> => toResponse(await raw(url, init));
  return Object.assign(fetcher, { raw });
}
