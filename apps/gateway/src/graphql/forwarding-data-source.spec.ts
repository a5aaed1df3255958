import { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Headers } from 'node-fetch';
import { ForwardingDataSource, GatewayContext } from './forwarding-data-source';

function processOptions(context: GatewayContext, kind = 'health check'): GraphQLDataSourceProcessOptions<GatewayContext> {
  return {
    kind,
    request: { query: '{ __typename }', http: { method: 'POST', url: 'http://s/graphql', headers: new Headers() } },
    context,
  } as GraphQLDataSourceProcessOptions<GatewayContext>;
}

describe(ForwardingDataSource.name, () => {
  describe('willSendRequest', () => {
    it('copies authorization and the request id from the incoming request', () => {
      const options = processOptions({
        req: { headers: { authorization: 'Bearer a.b.c', 'x-request-id': 'incoming', cookie: 'secret=1' } },
        requestId: 'req-1',
      });
      new ForwardingDataSource({ url: 'http://s/graphql' }).willSendRequest(options);
      const headers = options.request.http!.headers;
      expect(headers.get('authorization')).toBe('Bearer a.b.c');
      expect(headers.get('x-request-id')).toBe('req-1');
      expect(headers.get('cookie')).toBeNull();
    });

    it('sends nothing extra when there is no incoming request (schema loading, health checks)', () => {
      const options = processOptions({});
      new ForwardingDataSource({ url: 'http://s/graphql' }).willSendRequest(options);
      expect(options.request.http!.headers.get('authorization')).toBeNull();
      expect(options.request.http!.headers.get('x-request-id')).toBeNull();
    });

    it('issue 8 item 8: marks the gateway\'s own requests (schema loading, health checks) so subgraphs log them at debug; never a caller\'s', () => {
      for (const kind of ['loading schema', 'health check']) {
        const options = processOptions({}, kind);
        new ForwardingDataSource({ url: 'http://s/graphql' }).willSendRequest(options);
        expect(options.request.http!.headers.get('x-homeward-gateway-own')).toBe('1');
      }
      const caller = processOptions({ req: { headers: { 'x-homeward-gateway-own': '1' } } }, 'incoming operation');
      caller.request.http!.headers.set('x-homeward-gateway-own', '1');
      new ForwardingDataSource({ url: 'http://s/graphql' }).willSendRequest(caller);
      expect(caller.request.http!.headers.get('x-homeward-gateway-own')).toBeNull();
    });
  });
});
