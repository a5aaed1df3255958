import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG } from '../config/config.module';
import { GATEWAY_OWN_REQUEST_HEADER, carriesGatewaySecret } from '../context/request-context';

/** Paths pino must never print: credentials and clear ID numbers. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  // the gateway-to-subgraph secret (issue 6 item 12) is a credential too
  'req.headers["x-homeward-gateway-secret"]',
  'res.headers["set-cookie"]',
  'idNumber',
  '*.idNumber',
  '*.*.idNumber',
  '*.*.*.idNumber',
  'password',
  '*.password',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  // issue 6 item 5: what a caller sent and what a query was given never reach a log line
  'req.body',
  'req.query',
  'req.params',
  'body',
  '*.body',
  'variables',
  '*.variables',
  'parameters',
  '*.parameters',
  '*.*.parameters',
];

/** Errors from PostgreSQL / TypeORM carry these with the values of the failed statement. */
const VALUE_BEARING_ERROR_FIELDS = ['parameters', 'detail', 'where', 'internalQuery', 'body', 'variables'];

/** `invalid input syntax for type uuid: "…"`: the value after the colon is the caller's. */
export function redactDatabaseMessage(message: string): string {
  return message.replace(/:\s*"(?:[^"\\]|\\.)*"\s*$/s, ': "[redacted]"');
}

/**
 * pino's `err` serializer without what identifies a person: a QueryFailedError keeps its SQL
 * text, SQLSTATE, constraint, table and column but loses `parameters`, `detail` ("Key (…)=(…)",
 * "Failing row contains (…)"), `where`, and the quoted value of its message; so does its
 * `driverError` and any `cause`.
 */
export function safeErrorSerializer(err: unknown): unknown {
  const seen = new WeakSet<object>();
  const clean = (e: unknown, depth: number): unknown => {
    if (!e || typeof e !== 'object' || depth > 3) return e;
    if (seen.has(e)) return '[circular]';
    seen.add(e);
    const base = e instanceof Error ? (pino.stdSerializers.err(e) as unknown as Record<string, unknown>) : { ...(e as Record<string, unknown>) };
    const out: Record<string, unknown> = {};
    const fromDatabase = 'query' in base || 'code' in base && typeof base.code === 'string' && /^[0-9A-Z]{5}$/.test(base.code as string);
    for (const [k, v] of Object.entries(base)) {
      if (VALUE_BEARING_ERROR_FIELDS.includes(k)) {
        out[k] = '[redacted]';
      } else if (k === 'driverError' || k === 'cause' || k === 'originalError') {
        out[k] = clean(v, depth + 1);
      } else if (fromDatabase && (k === 'message' || k === 'stack') && typeof v === 'string') {
        out[k] = k === 'message' ? redactDatabaseMessage(v) : v.replace(/^([^\n]*)/, (line) => redactDatabaseMessage(line));
      } else {
        out[k] = v;
      }
    }
    return out;
  };
  return clean(err, 0);
}

const QUIET_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

/**
 * The pino options every app logs with (also for tests that capture a log line): level, the
 * redact paths and the err serializer that drops the values of a failed query.
 */
export function platformPinoOptions(service: string, level = 'info'): pino.LoggerOptions {
  return {
    name: service,
    level,
    // issue 13: `service` on every line from the root logger (it was a child logger per request: ~10 µs each)
    base: { pid: process.pid, hostname: hostname(), service },
    redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: safeErrorSerializer, req: safeRequestSerializer },
  };
}

/**
 * pino-http's request serializer: what identifies the request, without the query string of the URL (a
 * GraphQL GET carries its variables there) and without the headers (issue 13: serializing and redacting
 * every header — the bearer token among them — for the child logger of each request cost 10–25 µs of a
 * request's CPU, and most of each line's bytes). Kept: id, method, URL path, the client's address and
 * port, its user agent and the body's length.
 */
export function safeRequestSerializer(req: unknown): unknown {
  if (!req || typeof req !== 'object') return req;
  const r = req as {
    id?: unknown;
    method?: unknown;
    url?: unknown;
    originalUrl?: unknown;
    headers?: Record<string, unknown>;
    remoteAddress?: unknown;
    remotePort?: unknown;
    socket?: { remoteAddress?: unknown; remotePort?: unknown };
  };
  const raw = typeof r.originalUrl === 'string' ? r.originalUrl : r.url;
  const url = typeof raw === 'string' && raw.includes('?') ? `${raw.slice(0, raw.indexOf('?'))}?[redacted]` : raw;
  return {
    id: r.id,
    method: r.method,
    url,
    remoteAddress: r.remoteAddress ?? r.socket?.remoteAddress,
    remotePort: r.remotePort ?? r.socket?.remotePort,
    userAgent: r.headers?.['user-agent'],
    contentLength: r.headers?.['content-length'],
  };
}

/**
 * The level of a request's log line: pino-http's own (error for a failure or a 5xx, else info), but
 * debug for the gateway's own successful requests (schema polls: issue 8 item 8) and, issue 13, for a
 * subgraph's answer below 500 to a request the gateway forwarded (it carries the gateway's secret):
 * the gateway has logged that request, with the same request id, so one call is one line at info,
 * not two. Failures (5xx, errors) are logged where they happen.
 */
export function requestLogLevel(req: Pick<IncomingMessage, 'headers'>, res: { statusCode: number }, err?: Error, gatewaySecret?: string): pino.Level {
  if (err || res.statusCode >= 500) return 'error';
  if (req.headers[GATEWAY_OWN_REQUEST_HEADER] === '1') return 'debug';
  return carriesGatewaySecret(req.headers, gatewaySecret) ? 'debug' : 'info';
}

/**
 * The secret by which `service` knows a request the gateway forwarded (and logged): none for the
 * gateway itself, which sets the secret on the requests it proxies and logs every request it received.
 */
export function forwardedRequestSecret(service: string, secret: string | undefined): string | undefined {
  return service === 'gateway' ? undefined : secret;
}

/** nestjs-pino: JSON logs at LOG_LEVEL, `name` = service, request id from the request (see requestIdMiddleware). */
@Module({})
export class LoggingModule {
  static forRoot(service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: { LOG_LEVEL?: string; NODE_ENV?: string; SUBGRAPH_SHARED_SECRET?: string }) => ({
            pinoHttp: {
              ...platformPinoOptions(service, config.LOG_LEVEL ?? 'info'),
              genReqId: (req: IncomingMessage & { id?: unknown }) => (req.id as string | undefined) ?? randomUUID(),
              autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.test(req.url ?? '') },
              customLogLevel: (req: IncomingMessage, res: { statusCode: number }, err?: Error) =>
                requestLogLevel(req, res, err, forwardedRequestSecret(service, config.SUBGRAPH_SHARED_SECRET)),
              quietReqLogger: false,
            },
          }),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
