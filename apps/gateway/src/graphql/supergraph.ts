import { readFile } from 'node:fs/promises';
import { GATEWAY_OWN_REQUEST_HEADER, GATEWAY_SECRET_HEADER } from '@homeward/platform';
import { composeSupergraph } from './compose';
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
      /** SUBGRAPH_SHARED_SECRET, sent with `_service` (production subgraphs refuse it without). */
      gatewaySecret?: string;
    };

/**
 * Where the gateway's supergraph comes from: a composed file in production, or (development) the
 * subgraphs' `_service { sdl }` composed here by @apollo/composition — started only once every
 * subgraph answers and retried when composition fails. Hive Gateway calls {@link load} again every
 * poll interval: a later failure keeps the last good supergraph.
 */
export class SupergraphSource {
  private last?: string;
  /** The subgraphs' SDLs the last supergraph was composed from (name, URL and SDL of each). */
  private lastInputs?: string;
  private compositions = 0;

  constructor(private readonly options: SupergraphSourceOptions) {}

  /** The poll interval in introspection mode (Hive Gateway's `pollingInterval`); none for a file. */
  get pollIntervalInMs(): number | undefined {
    return this.options.kind === 'introspect' ? this.options.pollIntervalInMs : undefined;
  }

  /** The supergraph SDL: the first call waits (subgraphs up, composition good); later calls poll. */
  async load(): Promise<string> {
    const o = this.options;
    if (o.kind === 'file') {
      if (this.last) return this.last;
      const supergraphSdl = await readFile(o.path, 'utf8');
      o.status.markLoaded(`file ${o.path}`, o.now());
      o.logger.log(`Supergraph loaded from ${o.path}`);
      this.last = supergraphSdl;
      return supergraphSdl;
    }
    if (this.last) {
      try {
        const next = await this.composeOnce(o);
        if (next !== this.last) o.logger.log('Supergraph changed: recomposed from the subgraphs');
        this.last = next;
      } catch (err) {
        o.logger.warn(`Recomposition failed, keeping the last supergraph: ${(err as Error).message}`);
      }
      return this.last;
    }
    const retryDelay = o.retryDelayMs ?? 2_000;
    for (let attempt = 1; ; attempt++) {
      await waitForSubgraphs(o.subgraphs, { ...o.wait, log: (m) => o.logger.warn(m) });
      try {
        const supergraphSdl = await this.composeOnce(o);
        o.status.markLoaded(`introspection of ${o.subgraphs.map((s) => s.name).join(', ')}`, o.now());
        o.logger.log(`Supergraph composed from ${o.subgraphs.length} subgraphs (attempt ${attempt})`);
        this.last = supergraphSdl;
        return supergraphSdl;
      } catch (err) {
        o.logger.warn(`Composition attempt ${attempt} failed, retrying in ${retryDelay} ms: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, retryDelay).unref());
      }
    }
  }

  /** The supergraph SDL last loaded (what Hive Gateway runs on), without polling; undefined before the first load. */
  get current(): string | undefined {
    return this.last;
  }

  /** How many times the subgraphs were composed (a poll whose SDLs did not change composes nothing). */
  get compositionCount(): number {
    return this.compositions;
  }

  /**
   * The subgraphs' SDLs, composed — unless they are exactly the ones the last supergraph came from:
   * composing five subgraphs takes the event loop for hundreds of milliseconds on a busy machine, and
   * a poll runs every SUPERGRAPH_POLL_INTERVAL_MS, so an unchanged poll must cost only the five fetches.
   */
  private async composeOnce(o: Extract<SupergraphSourceOptions, { kind: 'introspect' }>): Promise<string> {
    const sdls = await Promise.all(o.subgraphs.map(async (s) => ({ name: s.name, url: s.url, sdl: await fetchSubgraphSdl(s.url, o.gatewaySecret) })));
    const inputs = JSON.stringify(sdls);
    if (this.last !== undefined && inputs === this.lastInputs) return this.last;
    this.compositions += 1;
    const outcome = composeSupergraph(sdls);
    if (!outcome.ok) throw new Error(outcome.errors.join('; '));
    this.lastInputs = inputs;
    return outcome.supergraphSdl;
  }
}

/** A subgraph's own SDL (`_service { sdl }`), asked as the gateway's own request, with the secret. */
export async function fetchSubgraphSdl(url: string, gatewaySecret?: string): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', [GATEWAY_OWN_REQUEST_HEADER]: '1' };
  if (gatewaySecret) headers[GATEWAY_SECRET_HEADER] = gatewaySecret;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: '{ _service { sdl } }' }), signal: AbortSignal.timeout(10_000) });
  const body = (await res.json().catch(() => undefined)) as { data?: { _service?: { sdl?: string } }; errors?: Array<{ message: string }> } | undefined;
  const sdl = body?.data?._service?.sdl;
  if (!res.ok || typeof sdl !== 'string') {
    throw new Error(`${url}: _service answered ${res.status}${body?.errors ? ` (${body.errors.map((e) => e.message).join('; ')})` : ''}`);
  }
  return sdl;
}
