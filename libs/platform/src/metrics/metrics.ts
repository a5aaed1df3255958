import { Controller, Get, Header, Inject, Injectable, Module, Global, DynamicModule } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, Registry, collectDefaultMetrics, register as defaultRegistry } from 'prom-client';
import { Public } from '../auth/decorators';

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

@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(): Promise<string> {
    // The app's registry (process, HTTP) and prom-client's default one, where the libs count
    // (bus events, schedulers, rate-limit fail-open: issue 14 item 5).
    // Concatenated: Registry.merge would drop the app registry's default `app` label. The default
    // registry holds only the libs' own metric names, so nothing is served twice.
    const own = await this.registry.metrics();
    const shared = await defaultRegistry.metrics();
    return shared.trim() ? `${own}\n${shared}` : own;
  }
}

/** `/metrics` in Prometheus text format: default process metrics and HTTP durations, labelled `app`, and prom-client's default registry. */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(app: string): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
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
