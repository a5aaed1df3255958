import { OpenApiAggregator } from './openapi-aggregator';
import { UpstreamUrls } from '../upstreams';

const upstreams: UpstreamUrls = {
  identity: 'http://identity',
  correction: 'http://correction',
  resettlement: 'http://resettlement',
  aftercare: 'http://aftercare',
  alerts: 'http://alerts',
};

function fakeFetch(down: readonly string[] = []): jest.Mock<Promise<Response>, Parameters<typeof fetch>> {
  return jest.fn(async (input: Parameters<typeof fetch>[0]) => {
    const url = String(input);
    const host = new URL(url).host;
    if (down.includes(host)) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const body = { openapi: '3.0.0', info: { title: host, version: '1' }, paths: { [`/api/v1/${host}/x`]: { get: {} } } };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  });
}

describe(OpenApiAggregator.name, () => {
  describe('document', () => {
    it('merges the docs of every app', async () => {
      const fetchFn = fakeFetch();
      const doc = await new OpenApiAggregator({ upstreams, fetchFn }).document();
      expect(Object.keys(doc.paths ?? {})).toHaveLength(5);
      expect(fetchFn).toHaveBeenCalledWith('http://correction/api/docs-json', expect.anything());
    });

    it('skips an app that is down and says so in info.description', async () => {
      const doc = await new OpenApiAggregator({ upstreams, fetchFn: fakeFetch(['alerts']) }).document();
      expect(Object.keys(doc.paths ?? {})).not.toContain('/api/v1/alerts/x');
      expect(doc.info.description).toContain('Not included: alerts (unreachable: ECONNREFUSED)');
    });

    it('serves the cached document for 30 s, then asks the apps again', async () => {
      let now = 1_000_000;
      const fetchFn = fakeFetch();
      const aggregator = new OpenApiAggregator({ upstreams, fetchFn, now: () => now });
      await aggregator.document();
      now += 29_999;
      await aggregator.document();
      expect(fetchFn).toHaveBeenCalledTimes(5);
      now += 1;
      await aggregator.document();
      expect(fetchFn).toHaveBeenCalledTimes(10);
    });

    it('shares one round of fetches between concurrent callers', async () => {
      const fetchFn = fakeFetch();
      const aggregator = new OpenApiAggregator({ upstreams, fetchFn });
      await Promise.all([aggregator.document(), aggregator.document(), aggregator.document()]);
      expect(fetchFn).toHaveBeenCalledTimes(5);
    });
  });
});
