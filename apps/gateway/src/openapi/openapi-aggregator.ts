import { Logger } from '@nestjs/common';
import { UpstreamName, UpstreamUrls, UPSTREAMS } from '../upstreams';
import { mergeOpenApi, MissingSource, OpenApiDocument, SourceDocument } from './merge-openapi';

export interface OpenApiAggregatorOptions {
  upstreams: UpstreamUrls;
  /** How long a merged document is served before the apps are asked again. */
  ttlMs?: number;
  /** Per-app fetch timeout. */
  timeoutMs?: number;
  now?: () => number;
  fetchFn?: typeof fetch;
}

/**
 * Fetches every app's `/api/docs-json`, merges them, and caches the result for 30 s.
 * An app that is down is skipped and named in `info.description`.
 */
export class OpenApiAggregator {
  private readonly logger = new Logger(OpenApiAggregator.name);
  private cached?: { at: number; document: OpenApiDocument };
  private inFlight?: Promise<OpenApiDocument>;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: OpenApiAggregatorOptions) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.now = options.now ?? Date.now;
    this.fetchFn = options.fetchFn ?? fetch;
  }

  async document(): Promise<OpenApiDocument> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) return this.cached.document;
    this.inFlight ??= this.build().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async build(): Promise<OpenApiDocument> {
    const results = await Promise.all(UPSTREAMS.map((name) => this.fetchOne(name)));
    const sources: SourceDocument[] = [];
    const missing: MissingSource[] = [];
    for (const r of results) {
      if ('document' in r) sources.push(r);
      else missing.push(r);
    }
    const document = mergeOpenApi(sources, missing);
    this.cached = { at: this.now(), document };
    return document;
  }

  private async fetchOne(name: UpstreamName): Promise<SourceDocument | MissingSource> {
    const url = `${this.options.upstreams[name].replace(/\/+$/, '')}/api/docs-json`;
    try {
      const res = await this.fetchFn(url, { signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) {
        await res.arrayBuffer().catch(() => undefined);
        return { name, reason: `HTTP ${res.status}` };
      }
      const document = (await res.json()) as OpenApiDocument;
      if (!document || typeof document !== 'object' || typeof document.paths !== 'object') {
        return { name, reason: 'not an OpenAPI document' };
      }
      return { name, document };
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      const reason = cause ?? (err as Error).name ?? 'unreachable';
      this.logger.warn(`OpenAPI of ${name} not available (${url}): ${reason}`);
      return { name, reason: `unreachable: ${reason}` };
    }
  }
}
