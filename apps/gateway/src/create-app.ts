import type { NestExpressApplication } from '@nestjs/platform-express';
import { BootstrapOptions, createApp } from '@homeward/platform';
import { GatewayModule, GatewayModuleOptions } from './app.module';
import { GATEWAY_DEFAULT_PORT } from './config';

/** How the gateway is started: no REST body parsers (bodies are proxied untouched), no own Swagger. */
export const GATEWAY_BOOTSTRAP: BootstrapOptions = { name: 'gateway', defaultPort: GATEWAY_DEFAULT_PORT, rest: false, edge: true };

/** Build and initialise the gateway without listening (tests use it with supertest). */
export function createGatewayApp(
  options: GatewayModuleOptions & { logger?: false } = {},
): Promise<NestExpressApplication> {
  const { logger, ...moduleOptions } = options;
  return createApp(GatewayModule.forRoot(moduleOptions), { ...GATEWAY_BOOTSTRAP, ...(logger === false ? { logger } : {}) });
}
