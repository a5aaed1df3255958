import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import Redis from 'ioredis';
import { GraphQLFieldConfig, GraphQLSchema, buildSchema } from 'graphql';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import { RISK_COLOUR_LABELS, RiskColour } from '@homeward/domain';
import { CASELOAD_SOURCE, CaseloadSource, Clock, JWKS_PROVIDER, isCaseloadBound, JwksProvider, PLATFORM_REDIS, Principal, STAFF_READERS, TokenRevocations, bearerToken, canSeePerson, verifyAccessToken } from '@homeward/platform';
import { AlertsConfig } from '../config';
import { ruleOf } from '../rules/rule-catalogue';
import { LiveMessage, liveChannel } from './live-feed.publisher';
import { WsServer, ws } from './ws';

export const SUBSCRIPTIONS_PATH = '/subscriptions';

const SDL = `
  "AL-5: an alert on the live feed / 实时预警"
  type LiveAlert {
    id: ID!
    "RAISED or CHANGED"
    kind: String!
    rule: String!
    ruleLabel: String!
    colour: String!
    colourLabel: String!
    state: String!
    town: String
    personKey: String
    raisedAt: String!
    dueBy: String
  }
  type Query { "the live feed is subscriptions only" liveFeed: Boolean }
  type Subscription {
    "alerts raised in the caller's towns (optionally only these towns)"
    alertRaised(towns: [String!]): LiveAlert!
    "alerts raised or changed (acknowledged, escalated, resolved) in the caller's towns"
    alertChanged(towns: [String!]): LiveAlert!
  }
`;

type Listener = (m: LiveMessage) => void;

/** An async iterator fed by `push`, ended by `return` (the client's complete or the socket's close). */
function feed(register: (l: Listener) => () => void, accept: (m: LiveMessage) => boolean): AsyncIterableIterator<LiveMessage> {
  const buffered: LiveMessage[] = [];
  let wake: ((r: IteratorResult<LiveMessage>) => void) | null = null;
  let done = false;
  const unregister = register((m) => {
    if (done || !accept(m)) return;
    if (wake) {
      const w = wake;
      wake = null;
      w({ value: m, done: false });
    } else buffered.push(m);
  });
  const finish = async (): Promise<IteratorResult<LiveMessage>> => {
    done = true;
    unregister();
    if (wake) wake({ value: undefined, done: true });
    return { value: undefined, done: true };
  };
  return {
    next: () => {
      if (buffered.length > 0) return Promise.resolve({ value: buffered.shift() as LiveMessage, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (wake = resolve));
    },
    return: finish,
    throw: finish,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * AL-5 the live feed: a small graphql-ws schema on `/subscriptions` of the alerts app (the gateway
 * tunnels `/subscriptions` here). The token is checked on connect (as the HTTP guard does: JWKS,
 * expiry, revocations; staff reader roles only); every message is filtered by the caller's towns
 * (a social worker: its caseload as of connecting). Messages come from Redis pub/sub, so any replica
 * serves any client whichever replica changed the alert.
 */
@Injectable()
export class LiveFeedServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly listeners = new Set<Listener>();
  private subscriber?: Redis;
  private wss?: WsServer;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    @Inject(JWKS_PROVIDER) private readonly keys: JwksProvider,
    private readonly clock: Clock,
    private readonly revocations: TokenRevocations,
    @Inject(AlertsConfig) private readonly config: AlertsConfig,
    @Optional() @Inject(CASELOAD_SOURCE) private readonly caseloads?: CaseloadSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const channel = liveChannel(this.config);
    this.subscriber = this.redis.duplicate({ connectionName: 'alerts-live-feed' });
    this.subscriber.on('message', (ch: string, raw: string) => {
      if (ch !== channel) return;
      let m: LiveMessage;
      try {
        m = JSON.parse(raw) as LiveMessage;
      } catch {
        return;
      }
      for (const l of this.listeners) l(m);
    });
    await this.subscriber.subscribe(channel);
    const server = makeServer<Record<string, unknown> | undefined, { principal?: Principal }>({
      schema: this.schema(),
      onConnect: async (ctx) => {
        const principal = await this.verify(ctx.connectionParams?.authorization);
        if (!principal) return false; // graphql-ws closes with 4403 Forbidden
        ctx.extra.principal = principal;
        return true;
      },
      context: (ctx) => ({ principal: ctx.extra.principal }),
    });
    const wss = new ws.WebSocketServer({ server: this.adapterHost.httpAdapter.getHttpServer(), path: SUBSCRIPTIONS_PATH, handleProtocols: (p) => handleProtocols(p) });
    wss.on('connection', (socket, request) => {
      const extra: { principal?: Principal; request: typeof request } = { request };
      const closed = server.opened(
        {
          protocol: socket.protocol,
          send: (data) => new Promise<void>((resolve, reject) => socket.send(data, (err) => (err ? reject(err) : resolve()))),
          close: (code, reason) => socket.close(code, reason),
          onMessage: (cb) =>
            socket.on('message', (data) => {
              cb(data.toString()).catch((err: Error) => socket.close(CloseCode.InternalServerError, err.message.slice(0, 100)));
            }),
        },
        extra,
      );
      socket.once('close', (code, reason) => void closed(code, reason.toString()));
    });
    this.wss = wss;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.wss) {
      for (const c of this.wss.clients) c.close(1001, 'shutting down');
      await new Promise<void>((resolve) => this.wss?.close(() => resolve()));
    }
    this.subscriber?.disconnect();
  }

  private async verify(header: unknown): Promise<Principal | undefined> {
    const token = typeof header === 'string' ? bearerToken(header) : undefined;
    if (!token) return undefined;
    try {
      const p = await verifyAccessToken(token, this.keys, this.clock.now(), this.revocations);
      if (p.kind !== 'STAFF' || !p.roles.some((r) => STAFF_READERS.includes(r))) return undefined;
      // As the HTTP guard does: a social worker sees its assigned persons (as of connecting).
      if (isCaseloadBound(p)) p.caseload = this.caseloads ? await this.caseloads.activePersonKeys(p.sub) : [];
      return p;
    } catch {
      return undefined;
    }
  }

  private schema(): GraphQLSchema {
    const schema = buildSchema(SDL);
    const fields = schema.getSubscriptionType()!.getFields();
    const register = (l: Listener) => {
      this.listeners.add(l);
      return () => this.listeners.delete(l);
    };
    const wire = (name: 'alertRaised' | 'alertChanged', kinds: string[]) => {
      const field = fields[name] as unknown as GraphQLFieldConfig<LiveMessage, { principal?: Principal }, { towns?: string[] | null }>;
      field.subscribe = (_root, args, ctx) =>
        feed(register, (m) => kinds.includes(m.kind) && !!ctx.principal && canSeePerson(ctx.principal, m.town, m.personKey) && (!args.towns || args.towns.includes(m.town ?? '')));
      field.resolve = (m: LiveMessage) => ({
        ...m,
        ruleLabel: ruleOf(m.rule)?.label ?? m.rule,
        colourLabel: RISK_COLOUR_LABELS[m.colour as RiskColour] ?? m.colour,
      });
    };
    wire('alertRaised', ['RAISED']);
    wire('alertChanged', ['RAISED', 'CHANGED']);
    return schema;
  }
}
