import { DynamicModule, INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import { APP_CONFIG } from '../config/config.module';
import { requestIdMiddleware } from '../context/request-context';
import { ProblemDetailsFilter } from '../errors/problem.filter';
import { createValidationPipe } from '../errors/validation';
import { HttpMetrics } from '../metrics/metrics';
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
 * Everything `bootstrap()` does except listening: pino logger, request id, body limit 2 MB,
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
  if (pino && opts.logger !== false) app.useLogger(pino);
  // Idle keep-alive connections outlive the gateway agent's idle timeout (issue 14 item 9).
  applyServerKeepAlive(app.getHttpServer());
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  const metrics = tryGet(app, HttpMetrics);
  if (metrics) app.use(metrics.middleware);
  if (opts.rest === false) {
    // The gateway proxies /api/v1/* with the body untouched; only /graphql is parsed here.
    app.use('/graphql', json({ limit: '2mb' }));
  } else {
    app.useBodyParser('json', { limit: '2mb', type: ['application/json', 'application/*+json'] });
    app.useBodyParser('urlencoded', { limit: '2mb', extended: false });
  }
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

/** What every app's main.ts calls: createApp, then listen on PORT (or the default) at 0.0.0.0. */
export async function bootstrap(appModule: Type<unknown> | DynamicModule, opts: BootstrapOptions): Promise<NestExpressApplication> {
  const app = await createApp(appModule, opts);
  const config = tryGet<{ PORT?: number }>(app, APP_CONFIG);
  const port = config?.PORT ?? opts.defaultPort;
  await app.listen(port, '0.0.0.0');
  const url = `http://127.0.0.1:${port}`;
  new Logger('bootstrap').log(`${opts.name} listening on ${url}${opts.swagger ? ` (OpenAPI ${url}/api/docs)` : ''}`);
  return app;
}
