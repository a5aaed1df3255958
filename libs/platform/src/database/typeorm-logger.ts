import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger, LoggerOptions, QueryRunner } from 'typeorm';
import { redactDatabaseMessage } from '../logging/logging.module';

/** What the logger writes to; Nest's Logger (pino in the apps) by default. */
export interface LogSink {
  log(message: unknown, ...rest: unknown[]): void;
  warn(message: unknown, ...rest: unknown[]): void;
  error(message: unknown, ...rest: unknown[]): void;
  debug?(message: unknown, ...rest: unknown[]): void;
}

/** A statement's text shortened for a log line (no parameters: they are never printed). */
function sqlText(query: string): string {
  const q = query.replace(/\s+/g, ' ').trim();
  return q.length > 500 ? `${q.slice(0, 500)}…` : q;
}

function errorSummary(error: unknown): { code?: string; message: string } {
  if (typeof error === 'string') return { message: redactDatabaseMessage(error) };
  const e = error as { code?: unknown; message?: unknown } | undefined;
  return {
    code: typeof e?.code === 'string' ? e.code : undefined,
    message: redactDatabaseMessage(typeof e?.message === 'string' ? e.message : String(error)),
  };
}

/**
 * TypeORM's logger for every app (issue 6 item 5): the text of a query, its SQLSTATE and the
 * redacted error message, never its parameters (names, ID numbers, birth dates, offences).
 * `logging` picks what is written, as TypeORM's own loggers do.
 */
export class PlatformTypeOrmLogger implements TypeOrmLogger {
  constructor(
    private readonly logging: LoggerOptions = ['error', 'warn', 'migration'],
    private readonly sink: LogSink = new NestLogger('TypeORM'),
  ) {}

  private enabled(kind: 'query' | 'error' | 'warn' | 'info' | 'log' | 'schema' | 'migration'): boolean {
    const l = this.logging;
    if (l === true || l === 'all') return true;
    if (l === false || l === undefined) return false;
    return Array.isArray(l) && (l as string[]).includes(kind);
  }

  logQuery(query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    if (this.enabled('query')) (this.sink.debug ?? this.sink.log).call(this.sink, { sql: sqlText(query) }, 'query');
  }

  logQueryError(error: string | Error, query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    if (!this.enabled('error')) return;
    const { code, message } = errorSummary(error);
    this.sink.warn({ sql: sqlText(query), sqlState: code }, `query failed${code ? ` (${code})` : ''}: ${message}`);
  }

  logQuerySlow(time: number, query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    this.sink.warn({ sql: sqlText(query), ms: time }, `slow query (${time} ms)`);
  }

  logSchemaBuild(message: string): void {
    if (this.enabled('schema')) this.sink.log(message);
  }

  logMigration(message: string): void {
    if (this.enabled('migration')) this.sink.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') {
      if (this.enabled('warn')) this.sink.warn(message);
    } else if (this.enabled(level) || this.enabled('log')) {
      this.sink.log(message);
    }
  }
}
