import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { GatewayModule } from './app.module';
import { GatewayConfig, upstreamUrls } from './config';
import { attachSubscriptionsProxy, BearerVerifier, createRestProxy } from './proxy/rest-proxy';

export interface CreateGatewayAppOptions {
  config: GatewayConfig;
  verifyBearer: BearerVerifier;
  logger?: LoggerService | LogLevel[] | false;
}

/**
 * Mount the REST and WebSocket proxies on a created (not yet initialised) app. Must run
 * before `app.init()`: Nest registers its body parsers during init, and the proxy has to
 * see the request stream untouched.
 */
export function mountProxies(app: INestApplication, config: GatewayConfig, verifyBearer: BearerVerifier): void {
  const upstreams = upstreamUrls(config);
  app.use(createRestProxy({ upstreams, verifyBearer }));
  attachSubscriptionsProxy(app.getHttpServer(), upstreams);
}

/** Build and initialise the gateway (not listening yet): used by main.ts and the tests. */
export async function createGatewayApp(options: CreateGatewayAppOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    GatewayModule.forRoot({ config: options.config, verifyBearer: options.verifyBearer }),
    { logger: options.logger, abortOnError: false },
  );
  mountProxies(app, options.config, options.verifyBearer);
  await app.init();
  return app;
}
