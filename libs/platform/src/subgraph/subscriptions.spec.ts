import { buildSchema } from 'graphql';
import { subgraphContextOf, subgraphSubscriptions } from './subscriptions';

const SECRET = 'x'.repeat(40);
const schema = buildSchema(`type Query { a: String } type Subscription { tick: Int }`);

function configFor(production: boolean) {
  return subgraphSubscriptions({
    production,
    gatewaySecret: SECRET,
    schema: () => schema,
    parseOptions: { maxTokens: 50 },
    validationRules: [],
    formatError: (f) => ({ message: f.message, extensions: { code: 'FORMATTED' } }),
  }) as unknown as {
    onConnect(ctx: unknown): Promise<boolean>;
    onSubscribe(ctx: unknown, id: string, payload: { query: string }): unknown;
    onError(ctx: unknown, id: string, payload: unknown, errors: unknown[]): unknown;
  };
}

const socket = (headers: Record<string, string>, connectionParams?: Record<string, unknown>) => ({
  connectionParams,
  extra: { request: { headers, socket: { remoteAddress: '10.0.0.9' } } as never } as { request: never; req?: { headers: Record<string, unknown>; ip?: string } },
});

describe('subgraphSubscriptions (graphql-ws on a subgraph: what the HTTP plugins do, done for a socket)', () => {
  it('refuses a socket whose connection_init carries no bearer token', async () => {
    expect(await configFor(false).onConnect(socket({}, {}))).toBe(false);
    expect(await configFor(false).onConnect(socket({}, { authorization: 'Basic abc' }))).toBe(false);
  });

  it('in production also refuses a socket without the gateway secret on the upgrade, and accepts it with the secret', async () => {
    expect(await configFor(true).onConnect(socket({}, { authorization: 'Bearer a.b.c' }))).toBe(false);
    expect(await configFor(true).onConnect(socket({ 'x-homeward-gateway-secret': 'wrong' }, { authorization: 'Bearer a.b.c' }))).toBe(false);
    const ok = socket({ 'x-homeward-gateway-secret': SECRET }, { authorization: 'Bearer a.b.c' });
    expect(await configFor(true).onConnect(ok)).toBe(true);
    // The resolvers' guards then see a request with the token, as on HTTP.
    expect(subgraphContextOf(ok as never).req).toMatchObject({ headers: { authorization: 'Bearer a.b.c' }, method: 'GET' });
  });

  it('applies the token limit and the validation rules to each operation; errors go through the error policy', () => {
    const c = configFor(false);
    const long = `subscription { ${'tick '.repeat(60)} }`;
    const tooLong = c.onSubscribe({}, '1', { query: long }) as Array<{ message: string }>;
    expect(tooLong[0].message).toMatch(/token/i);
    const invalid = c.onSubscribe({}, '2', { query: 'subscription { nope }' }) as Array<{ message: string }>;
    expect(invalid[0].message).toMatch(/nope/);
    expect(c.onSubscribe({}, '3', { query: 'subscription { tick }' })).toBeUndefined();
    expect(c.onError({}, '4', {}, invalid)).toEqual([{ message: invalid[0].message, extensions: { code: 'FORMATTED' } }]);
  });

  it('keeps the HTTP context as it is', () => {
    const req = { headers: {} };
    expect(subgraphContextOf({ req }).req).toBe(req);
  });
});
