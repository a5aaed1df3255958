import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';

/** Paths pino must never print: credentials and clear ID numbers. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
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
];

const QUIET_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

/** nestjs-pino: JSON logs at LOG_LEVEL, `name` = service, request id from the request (see requestIdMiddleware). */
@Module({})
export class LoggingModule {
  static forRoot(service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: { LOG_LEVEL?: string; NODE_ENV?: string }) => ({
            pinoHttp: {
              name: service,
              level: config.LOG_LEVEL ?? 'info',
              genReqId: (req: IncomingMessage & { id?: unknown }) => (req.id as string | undefined) ?? randomUUID(),
              redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
              autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.test(req.url ?? '') },
              customProps: () => ({ service }),
              quietReqLogger: false,
            },
          }),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
