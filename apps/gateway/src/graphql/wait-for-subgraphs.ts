export interface SubgraphEndpoint {
  /** Name in the supergraph (`identity`, `community-correction`, ...). */
  name: string;
  /** GraphQL endpoint, `<app URL>/graphql`. */
  url: string;
  /** Liveness endpoint, `<app URL>/health/live`. */
  healthUrl: string;
}

export interface WaitOptions {
  /** First delay between rounds; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Give up after this long (undefined: never). */
  timeoutMs?: number;
  /** Per-probe timeout. */
  probeTimeoutMs?: number;
  log?: (message: string) => void;
  /** For tests: the clock and the sleep. */
  sleep?: (ms: number) => Promise<void>;
  fetchFn?: typeof fetch;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Names of the subgraphs whose `/health/live` does not answer 2xx. */
export async function missingSubgraphs(
  subgraphs: readonly SubgraphEndpoint[],
  fetchFn: typeof fetch = fetch,
  probeTimeoutMs = 2_000,
): Promise<SubgraphEndpoint[]> {
  const results = await Promise.all(
    subgraphs.map(async (s) => {
      try {
        const res = await fetchFn(s.healthUrl, { signal: AbortSignal.timeout(probeTimeoutMs) });
        await res.arrayBuffer().catch(() => undefined);
        return res.ok ? undefined : s;
      } catch {
        return s;
      }
    }),
  );
  return results.filter((s): s is SubgraphEndpoint => s !== undefined);
}

/**
 * Wait until every subgraph answers its liveness probe (composition gives up at
 * once when one is down: STACK.md). Retries with exponential backoff, naming the missing ones.
 */
export async function waitForSubgraphs(subgraphs: readonly SubgraphEndpoint[], options: WaitOptions = {}): Promise<void> {
  const sleep = options.sleep ?? defaultSleep;
  const maxDelay = options.maxDelayMs ?? 5_000;
  let delay = options.initialDelayMs ?? 250;
  let waited = 0;
  for (let round = 1; ; round++) {
    const missing = await missingSubgraphs(subgraphs, options.fetchFn, options.probeTimeoutMs);
    if (missing.length === 0) return;
    const names = missing.map((m) => `${m.name} (${m.healthUrl})`).join(', ');
    if (options.timeoutMs !== undefined && waited >= options.timeoutMs) {
      throw new Error(`Subgraphs still not answering after ${waited} ms: ${names}`);
    }
    options.log?.(`Waiting for subgraphs (round ${round}, next try in ${delay} ms): ${names}`);
    await sleep(delay);
    waited += delay;
    delay = Math.min(delay * 2, maxDelay);
  }
}
