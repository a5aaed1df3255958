import { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Headers } from 'node-fetch';
import { ForwardingDataSource, GatewayContext } from './forwarding-data-source';

function processOptions(context: GatewayContext): GraphQLDataSourceProcessOptions<GatewayContext> {
  return {
    kind: 'health check',
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
  });
});
