import { readFile } from 'node:fs/promises';
import { IntrospectAndCompose, SupergraphManager, SupergraphSdlHook } from '@apollo/gateway';

type SupergraphSdlHookOptions = Parameters<SupergraphSdlHook>[0];
import { SubgraphEndpoint, waitForSubgraphs, WaitOptions } from './wait-for-subgraphs';

/** Readiness of the gateway: it is ready once a supergraph has been loaded. */
export class SupergraphStatus {
  private loadedAt?: Date;
  private sourceLabel?: string;

  get ready(): boolean {
    return this.loadedAt !== undefined;
  }

  get source(): string | undefined {
    return this.sourceLabel;
  }

  markLoaded(source: string, at: Date): void {
    this.loadedAt = at;
    this.sourceLabel = source;
  }

  describe(): { ready: boolean; source?: string; loadedAt?: string } {
    return { ready: this.ready, source: this.sourceLabel, loadedAt: this.loadedAt?.toISOString() };
  }
}

interface Logger {
  log(message: string): void;
  warn(message: string): void;
}

export type SupergraphSourceOptions =
  | {
      kind: 'file';
      /** SUPERGRAPH_PATH: a supergraph composed by `npm run compose:supergraph`. */
      path: string;
      status: SupergraphStatus;
      logger: Logger;
      now: () => Date;
    }
  | {
      kind: 'introspect';
      subgraphs: readonly SubgraphEndpoint[];
      pollIntervalInMs: number;
      status: SupergraphStatus;
      logger: Logger;
      now: () => Date;
      wait?: Omit<WaitOptions, 'log'>;
      /** Delay between failed composition attempts (a subgraph fell over between probe and introspection). */
      retryDelayMs?: number;
    };

/**
 * Where the gateway's supergraph comes from: a composed file in production, or
 * IntrospectAndCompose in development, started only once every subgraph answers and
 * retried when composition fails, then polling for schema changes.
 */
export class SupergraphSource implements SupergraphManager {
  constructor(private readonly options: SupergraphSourceOptions) {}

  async initialize(hooks: SupergraphSdlHookOptions): Promise<{ supergraphSdl: string; cleanup?: () => Promise<void> }> {
    const o = this.options;
    if (o.kind === 'file') {
      const supergraphSdl = await readFile(o.path, 'utf8');
      o.status.markLoaded(`file ${o.path}`, o.now());
      o.logger.log(`Supergraph loaded from ${o.path}`);
      return { supergraphSdl };
    }
    const retryDelay = o.retryDelayMs ?? 2_000;
    for (let attempt = 1; ; attempt++) {
      await waitForSubgraphs(o.subgraphs, { ...o.wait, log: (m) => o.logger.warn(m) });
      const compose = new IntrospectAndCompose({
        subgraphs: o.subgraphs.map(({ name, url }) => ({ name, url })),
        pollIntervalInMs: o.pollIntervalInMs,
      });
      try {
        const result = await compose.initialize(hooks);
        o.status.markLoaded(`introspection of ${o.subgraphs.map((s) => s.name).join(', ')}`, o.now());
        o.logger.log(`Supergraph composed from ${o.subgraphs.length} subgraphs (attempt ${attempt})`);
        return result;
      } catch (err) {
        o.logger.warn(`Composition attempt ${attempt} failed, retrying in ${retryDelay} ms: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, retryDelay).unref());
      }
    }
  }
}
