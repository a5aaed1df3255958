/**
 * The introspecting supergraph source against real federation subgraphs (apps/gateway/test/fake-upstreams):
 * a poll whose subgraphs answer the SDLs of the last composition composes nothing; a changed SDL is composed.
 */
import { FakeUpstream, startFakeUpstream } from '../../test/fake-upstreams';
import { SupergraphSource, SupergraphStatus } from './supergraph';

jest.setTimeout(30_000);

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const quiet = { log: () => undefined, warn: () => undefined };

describe('SupergraphSource (introspection, medium)', () => {
  const upstreams: FakeUpstream[] = [];

  afterAll(async () => {
    await Promise.all(upstreams.map((u) => u.close().catch(() => undefined)));
  });

  it('recomposes on a poll only when a subgraph SDL changed (an unchanged poll does not take the event loop for a composition)', async () => {
    const identity = await startFakeUpstream({ name: 'identity', sdl: `${LINK} type Query { identityPing: String }`, resolvers: {} });
    let alerts = await startFakeUpstream({ name: 'alerts', sdl: `${LINK} type Query { alertsPing: String }`, resolvers: {} });
    upstreams.push(identity, alerts);
    const port = Number(new URL(alerts.url).port);
    const source = new SupergraphSource({
      kind: 'introspect',
      subgraphs: [identity, alerts].map((u) => ({ name: u.name, url: `${u.url}/graphql`, healthUrl: `${u.url}/health/live` })),
      pollIntervalInMs: 10_000,
      status: new SupergraphStatus(),
      logger: quiet,
      now: () => new Date('2026-03-02T01:30:00Z'),
    });

    const first = await source.load();
    expect(first).toContain('alertsPing');
    expect(source.compositionCount).toBe(1);

    // two polls with nothing changed: the same supergraph, no composition
    expect(await source.load()).toBe(first);
    expect(await source.load()).toBe(first);
    expect(source.compositionCount).toBe(1);

    // the alerts app is redeployed with a new field on the same address: the next poll composes it
    await alerts.close();
    alerts = await startFakeUpstream({ name: 'alerts', port, sdl: `${LINK} type Query { alertsPing: String alertsCount: Int }`, resolvers: {} });
    upstreams.push(alerts);
    // (the first poll may meet the old server's pooled socket and keep the last supergraph, as in production)
    let next = await source.load();
    for (let i = 0; i < 3 && !next.includes('alertsCount'); i += 1) next = await source.load();
    expect(next).toContain('alertsCount');
    expect(source.compositionCount).toBe(2);
    expect(await source.load()).toBe(next);
    expect(source.compositionCount).toBe(2);
  });
});
