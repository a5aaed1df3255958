import { createServer, Server } from 'node:http';
import { Inject, Injectable, Module, Global, DynamicModule } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, Registry, collectDefaultMetrics, register as defaultRegistry } from 'prom-client';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** The route template of a finished request (`/api/v1/x/:id`), not its concrete path, to keep label cardinality low. */
export function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl ?? ''}${route.path}`;
  return 'unmatched';
}

/** HTTP request duration histogram by route, method and status (labelled with the app). */
@Injectable()
export class HttpMetrics {
  readonly duration: Histogram<'route' | 'method' | 'status'>;

  constructor(@Inject(METRICS_REGISTRY) readonly registry: Registry) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  /** Express middleware observing every response. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const end = this.duration.startTimer();
    res.once('finish', () => end({ route: routeLabel(req), method: req.method, status: String(res.statusCode) }));
    next();
  };
}

/**
 * The `/metrics` listener (issue 6 item 14): a plain HTTP server on its own port (METRICS_PORT),
 * never the app's public port. Answers `GET /metrics` with the Prometheus text format and 404 to
 * anything else. `bootstrap()` starts it; tests start it on port 0.
 */
export async function startMetricsServer(registry: Registry, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    // The app's registry (process, HTTP) and prom-client's default one, where the libs count (bus
    // events, schedulers, rate-limit fail-open: issue 14 item 5). Concatenated: Registry.merge would
    // drop the app registry's default `app` label; the default registry holds only the libs' own names.
    Promise.all([registry.metrics(), defaultRegistry.metrics()]).then(
      ([own, shared]) => res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(shared.trim() ? `${own}\n${shared}` : own),
      () => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** The metrics registry (default process metrics and HTTP durations, labelled `app`), served by `startMetricsServer`. */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(app: string): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      providers: [
        {
          provide: METRICS_REGISTRY,
          useFactory: () => {
            const registry = new Registry();
            registry.setDefaultLabels({ app });
            collectDefaultMetrics({ register: registry });
            return registry;
          },
        },
        HttpMetrics,
      ],
      exports: [METRICS_REGISTRY, HttpMetrics],
    };
  }
}
