import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { GraphQLError, GraphQLFormattedError, GraphQLSchema, ValidationRule, parse, specifiedRules, validate } from 'graphql';
import type { Context, ServerOptions } from 'graphql-ws';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { AuditWriter } from '../audit/audit-writer';
import { JwksProvider } from '../auth/jwks';
import { TokenRevocations } from '../auth/revocations';
import { bearerToken, verifyAccessToken } from '../auth/verify-token';
import { Clock } from '../clock/clock';
import { carriesGatewaySecret, clientIpOf } from '../context/request-context';

/** What a subscription's resolvers find as `req`: the upgrade request's headers with the token of connection_init. */
export interface SubscriptionRequest {
  headers: IncomingHttpHeaders;
  method: 'GET';
  url: string;
  originalUrl: string;
  ip?: string;
  /** Set by the AuthGuard, as on an HTTP request. */
  principal?: unknown;
  principalToken?: string;
}

interface SocketExtra {
  request: IncomingMessage;
  req?: SubscriptionRequest;
}

export interface SubgraphSubscriptionOptions {
  production: boolean;
  /** SUBGRAPH_SHARED_SECRET: in production a subscription socket must come from the gateway (it sends the secret on the upgrade). */
  gatewaySecret?: string;
  /** The subgraph's schema (read when an operation arrives: it is built after this config). */
  schema: () => GraphQLSchema | undefined;
  parseOptions: { maxTokens: number };
  /** The armor's and the input rules, as on HTTP. */
  validationRules: readonly ValidationRule[];
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Verifies the token of connection_init on connect (JWKS, expiry, revocations); without it only its presence is checked. */
  verifier?: { keys: JwksProvider; clock?: Clock; revocations?: TokenRevocations };
  audit?: AuditWriter;
}

/**
 * Issue 11 item 3: graphql-ws on a subgraph's `/graphql`, for the gateway's subscriptions (Hive
 * Gateway's ws transport). The same rules as on HTTP, because Apollo Server's plugins never see a
 * WebSocket operation:
 * - connect: a bearer token in connection_init (the gateway forwards the caller's), verified as the
 *   AuthGuard does; in production also the gateway secret on the upgrade. Refused: 4403, audited.
 * - subscribe: the token limit, the armor's validation rules (depth, aliases, directives, cost) and
 *   the control-character rule; the resolvers' guards then run with `req` built from the socket.
 * - every error goes through the platform's error policy (no internal detail).
 */
export function subgraphSubscriptions(o: SubgraphSubscriptionOptions): GraphQLWsSubscriptionsConfig {
  const refuse = async (reason: string, request: IncomingMessage): Promise<false> => {
    await o.audit
      ?.record({
        actor: { anonymous: true },
        action: 'auth.unauthenticated',
        outcome: 'DENIED',
        details: { status: 401, reason, target: 'graphql-ws /graphql', ip: clientIpOf(request as never, o.gatewaySecret) ?? null },
      })
      .catch(() => undefined);
    return false;
  };
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((e) => o.formatError(e.toJSON(), e));
  // onError is a graphql-ws option Nest's config type leaves out; Nest hands the whole object to useServer.
  const config: Partial<ServerOptions<Record<string, unknown> | undefined, SocketExtra>> & { path: string } = {
    path: '/graphql',
    onConnect: async (ctx: Context<Record<string, unknown> | undefined, SocketExtra>) => {
      const request = ctx.extra.request;
      const authorization = ctx.connectionParams?.authorization;
      const token = typeof authorization === 'string' ? bearerToken(authorization) : undefined;
      if (!token) return refuse('no bearer token in connection_init', request);
      if (o.production && !carriesGatewaySecret(request.headers, o.gatewaySecret)) return refuse('subscription socket without the gateway secret', request);
      if (o.verifier) {
        try {
          await verifyAccessToken(token, o.verifier.keys, o.verifier.clock?.now() ?? new Date(), o.verifier.revocations);
        } catch (e) {
          return refuse(`token refused: ${(e as Error).message}`.slice(0, 200), request);
        }
      }
      ctx.extra.req = {
        headers: { ...request.headers, authorization: `Bearer ${token}` },
        method: 'GET',
        url: '/graphql',
        originalUrl: '/graphql (graphql-ws)',
        ip: clientIpOf(request as never, o.gatewaySecret),
      };
      return true;
    },
    onSubscribe: (_ctx, _id, payload) => {
      const schema = o.schema();
      if (!schema) return [new GraphQLError('schema not ready / 服务尚未就绪', { extensions: { code: 'SERVICE_UNAVAILABLE' } })];
      let document;
      try {
        document = parse(payload.query, o.parseOptions);
      } catch (e) {
        return [e instanceof GraphQLError ? e : new GraphQLError('Syntax Error', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
      }
      const errors = validate(schema, document, [...specifiedRules, ...o.validationRules]);
      return errors.length ? errors : undefined;
    },
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors?.length ? { ...result, errors: format(result.errors) } : undefined),
    onError: (_ctx, _id, _payload, errors) => format(errors),
  };
  return config as GraphQLWsSubscriptionsConfig;
}

/** The resolvers' context on HTTP (`{ req }` from Apollo) and on a subscription socket (graphql-ws' context). */
export function subgraphContextOf(arg: { req?: unknown; extra?: SocketExtra }): { req: unknown } {
  if (arg.req) return { req: arg.req };
  return { req: arg.extra?.req };
}
