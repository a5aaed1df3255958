import { pathOf, routeFor } from './upstreams';

describe(routeFor.name, () => {
  it.each([
    ['/api/v1/auth/login', 'identity'],
    ['/api/v1/oauth/token', 'identity'],
    ['/api/v1/correction/enrolments', 'correction'],
    ['/api/v1/correction/enrolments/42/documents?x=1', 'correction'],
    ['/api/v1/resettlement/releases', 'resettlement'],
    ['/api/v1/aftercare/release-notices', 'aftercare'],
    ['/api/v1/alerts', 'alerts'],
    ['/.well-known/jwks.json', 'identity'],
  ])('sends %s to %s', (url, upstream) => {
    expect(routeFor(url)?.upstream).toBe(upstream);
  });

  it.each(['/api/v1/authx', '/api/v1/unknown/x', '/api/v1', '/api/v2/correction/x', '/graphql', '/.well-known/jwks.jsonx'])(
    'owns no upstream for %s',
    (url) => {
      expect(routeFor(url)).toBeUndefined();
    },
  );
});

describe(pathOf.name, () => {
  it('drops the query string and fragment', () => {
    expect(pathOf('/a/b?c=1#d')).toBe('/a/b');
    expect(pathOf('/a#d')).toBe('/a');
    expect(pathOf('/a')).toBe('/a');
  });
});
