import { missingSubgraphs, SubgraphEndpoint, waitForSubgraphs } from './wait-for-subgraphs';

const subgraphs: SubgraphEndpoint[] = [
  { name: 'identity', url: 'http://identity/graphql', healthUrl: 'http://identity/health/live' },
  { name: 'alerts', url: 'http://alerts/graphql', healthUrl: 'http://alerts/health/live' },
];

/** A fetch where the listed hosts are down for their first `downRounds` probes. */
function flakyFetch(downRounds: Record<string, number>): typeof fetch {
  const seen: Record<string, number> = {};
  return (async (input: Parameters<typeof fetch>[0]) => {
    const host = new URL(String(input)).host;
    seen[host] = (seen[host] ?? 0) + 1;
    if (seen[host] <= (downRounds[host] ?? 0)) throw new TypeError('fetch failed');
    return new Response('{"status":"ok"}', { status: 200 });
  }) as typeof fetch;
}

describe(missingSubgraphs.name, () => {
  it('names the subgraphs whose liveness probe fails or answers non-2xx', async () => {
    const fetchFn = (async (input: Parameters<typeof fetch>[0]) =>
      String(input).includes('alerts') ? new Response('', { status: 503 }) : new Response('ok')) as typeof fetch;
    expect((await missingSubgraphs(subgraphs, fetchFn)).map((s) => s.name)).toEqual(['alerts']);
  });
});

describe(waitForSubgraphs.name, () => {
  it('retries with doubling, capped delays and logs which subgraph is missing', async () => {
    const sleeps: number[] = [];
    const logs: string[] = [];
    await waitForSubgraphs(subgraphs, {
      fetchFn: flakyFetch({ alerts: 4 }),
      sleep: async (ms) => void sleeps.push(ms),
      log: (m) => logs.push(m),
      initialDelayMs: 100,
      maxDelayMs: 300,
    });
    expect(sleeps).toEqual([100, 200, 300, 300]);
    expect(logs).toHaveLength(4);
    expect(logs[0]).toContain('alerts (http://alerts/health/live)');
    expect(logs[0]).not.toContain('identity');
  });

  it('returns at once when every subgraph answers', async () => {
    const sleep = jest.fn(async () => undefined);
    await waitForSubgraphs(subgraphs, { fetchFn: flakyFetch({}), sleep });
    expect(sleep).not.toHaveBeenCalled();
  });

  it('gives up after timeoutMs when given one', async () => {
    await expect(
      waitForSubgraphs(subgraphs, {
        fetchFn: flakyFetch({ identity: 1000 }),
        sleep: async () => undefined,
        initialDelayMs: 100,
        timeoutMs: 250,
      }),
    ).rejects.toThrow(/identity/);
  });
});
