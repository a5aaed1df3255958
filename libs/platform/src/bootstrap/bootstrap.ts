import { DynamicModule, INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import { APP_CONFIG } from '../config/config.module';
import { clientIpMiddleware, requestIdMiddleware } from '../context/request-context';
import { ProblemDetailsFilter } from '../errors/problem.filter';
import { createValidationPipe } from '../errors/validation';
import { HttpMetrics, METRICS_REGISTRY, startMetricsServer } from '../metrics/metrics';
import { Clock } from '../clock/clock';
import { problemErrorMiddleware } from '../errors/problem.filter';
import { INPUT_LIMITS, inputGuardMiddleware, verifyUtf8Body } from '../input/input-guard';
import { setInputWindowClock } from '../input/is-local-date';
import type { Registry } from 'prom-client';
import { applyServerKeepAlive } from './keep-alive';

export interface BootstrapOptions {
  /** Service name (logs, metrics). */
  name: string;
  /** Used when PORT is not set. */
  defaultPort: number;
  /** false (gateway): no body parsers except for /graphql, so proxied bodies pass untouched. Default true. */
  rest?: boolean;
  /** Serve OpenAPI at `/api/docs` and `/api/docs-json`; `paths` keeps only paths starting with it. */
  swagger?: { title: string; paths?: string; description?: string };
  /** Extra Nest application options (tests: `{ logger: false }`). */
  logger?: false;
  /**
   * The gateway: the edge. It listens on 0.0.0.0 unless BIND_ADDRESS says otherwise and takes the
   * client IP from the socket or a proxy in front (`trust proxy`). Every other app listens on
   * 127.0.0.1 unless configured, and trusts the client IP only from the gateway (issue 6 items 11/12).
   */
  edge?: boolean;
}

/** Express' `trust proxy` from TRUST_PROXY: `none`/unset → false, else the comma-separated list. */
export function trustProxySetting(value: string | undefined): false | string[] {
  const list = (value ?? 'none').split(',').map((v) => v.trim()).filter(Boolean);
  return list.length === 0 || list.includes('none') ? false : list;
}

/** Where an app listens when BIND_ADDRESS is unset (issue 6 item 12). */
export function defaultBindAddress(opts: Pick<BootstrapOptions, 'edge'>): string {
  return opts.edge ? '0.0.0.0' : '127.0.0.1';
}

function tryGet<T>(app: INestApplication, token: Type<T> | symbol): T | undefined {
  try {
    return app.get<T>(token as Type<T>, { strict: false });
  } catch {
    return undefined;
  }
}

/** The OpenAPI document of the app (optionally only the paths under a prefix). */
export function buildOpenApiDocument(app: INestApplication, swagger: NonNullable<BootstrapOptions['swagger']>): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(swagger.title)
    .setDescription(swagger.description ?? `${swagger.title} — Homeward`)
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const doc = SwaggerModule.createDocument(app, config);
  if (swagger.paths) {
    const prefix = swagger.paths;
    doc.paths = Object.fromEntries(Object.entries(doc.paths).filter(([p]) => p.startsWith(prefix)));
  }
  return doc;
}

/**
 * Everything `bootstrap()` does except listening: pino logger, request id, body limit 2 MB, UTF-8,
 * input guard (no control characters, JSON depth),
 * global ValidationPipe and problem+json filter, trust proxy, shutdown hooks, metrics,
 * Swagger. Returns an initialised app (tests use it with supertest).
 */
export async function createApp(appModule: Type<unknown> | DynamicModule, opts: BootstrapOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(appModule, {
    bufferLogs: opts.logger !== false,
    bodyParser: false,
    ...(opts.logger === false ? { logger: false } : {}),
  });
  const pino = tryGet(app, PinoLogger);
  if (pino && opts.logger !== false) {
    app.useLogger(pino);
    // NestFactory.create keeps the buffer until init() has finished: an app whose start-up waits (the
    // gateway on its subgraphs, retrying composition) would say nothing until then, or ever. Print now.
    app.flushLogs();
  }
  // Idle keep-alive connections outlive the gateway agent's idle timeout (issue 14 item 9).
  applyServerKeepAlive(app.getHttpServer());
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  if (opts.edge) {
    // The edge believes X-Forwarded-For only from the proxies TRUST_PROXY names (default none).
    app.set('trust proxy', trustProxySetting(tryGet<{ TRUST_PROXY?: string }>(app, APP_CONFIG)?.TRUST_PROXY));
  } else {
    // Behind the gateway: X-Forwarded-For is not trusted from anyone; the gateway's own header is,
    // next to SUBGRAPH_SHARED_SECRET.
    app.set('trust proxy', false);
    app.use(clientIpMiddleware(tryGet<{ SUBGRAPH_SHARED_SECRET?: string }>(app, APP_CONFIG)?.SUBGRAPH_SHARED_SECRET));
  }
  const metrics = tryGet(app, HttpMetrics);
  if (metrics) app.use(metrics.middleware);
  // Issue 6 items 5 and 13: bodies are capped in size, must be UTF-8, and may hold no control
  // character and nest no deeper than INPUT_LIMITS (checked once here, for REST and /graphql).
  const limit = INPUT_LIMITS.maxBodyBytes;
  if (opts.rest === false) {
    // The gateway proxies /api/v1/* with the body untouched (its proxy checks it); only /graphql is parsed here.
    app.use('/graphql', json({ limit, verify: verifyUtf8Body }), inputGuardMiddleware);
  } else {
    app.useBodyParser('json', { limit, type: ['application/json', 'application/*+json'], verify: verifyUtf8Body });
    app.useBodyParser('urlencoded', { limit, extended: false, verify: verifyUtf8Body });
    app.use(inputGuardMiddleware);
  }
  // Errors of the middleware above (bad JSON, too large, not UTF-8, refused input) never reach
  // Express' default handler, which prints stack traces outside production.
  app.use(problemErrorMiddleware);
  const clock = tryGet<Clock>(app, Clock as unknown as Type<Clock>);
  if (clock) setInputWindowClock(clock);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  if (opts.swagger) {
    const document = buildOpenApiDocument(app, opts.swagger);
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', ui: true });
  }
  await app.init();
  return app;
}

/**
 * What every app's main.ts calls: createApp, then listen on PORT (or the default) at BIND_ADDRESS,
 * by default 127.0.0.1 (the gateway: 0.0.0.0).
 */
export async function bootstrap(appModule: Type<unknown> | DynamicModule, opts: BootstrapOptions): Promise<NestExpressApplication> {
  const app = await createApp(appModule, opts);
  const config = tryGet<{ PORT?: number; BIND_ADDRESS?: string }>(app, APP_CONFIG);
  const port = config?.PORT ?? opts.defaultPort;
  const host = config?.BIND_ADDRESS ?? defaultBindAddress(opts);
  await app.listen(port, host);
  const metricsPort = (config as { METRICS_PORT?: number } | undefined)?.METRICS_PORT;
  const registry = tryGet<Registry>(app, METRICS_REGISTRY);
  if (metricsPort && registry) {
    const metricsHost = (config as { METRICS_HOST?: string } | undefined)?.METRICS_HOST ?? '127.0.0.1';
    const metricsServer = await startMetricsServer(registry, metricsPort, metricsHost);
    app.getHttpServer().once('close', () => metricsServer.close());
    new Logger('bootstrap').log(`${opts.name} metrics on http://${metricsHost}:${metricsPort}/metrics`);
  }
  const address = app.getHttpServer().address() as { port: number } | null;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shown}:${address?.port ?? port}`;
  new Logger('bootstrap').log(`${opts.name} listening on ${url} (bound to ${host})${opts.swagger ? ` (OpenAPI ${url}/api/docs)` : ''}`);
  return app;
}
