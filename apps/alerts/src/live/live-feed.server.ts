import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLFieldConfig, GraphQLSchema, buildSchema } from 'graphql';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import { RISK_COLOUR_LABELS, RiskColour } from '@homeward/domain';
import { CASELOAD_SOURCE, CaseloadSource, Clock, JWKS_PROVIDER, isCaseloadBound, JwksProvider, Principal, STAFF_READERS, TokenRevocations, bearerToken, canSeePerson, verifyAccessToken } from '@homeward/platform';
import { ruleOf } from '../rules/rule-catalogue';
import { LiveFeedHub } from './live-feed.hub';
import { LiveMessage } from './live-feed.publisher';
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

/**
 * AL-5 the live feed: a small graphql-ws schema on `/subscriptions` of the alerts app (the gateway
 * tunnels `/subscriptions` here). The token is checked on connect (as the HTTP guard does: JWKS,
 * expiry, revocations; staff reader roles only); every message is filtered by the caller's towns
 * (a social worker: its caseload as of connecting). Messages come from Redis pub/sub, so any replica
 * serves any client whichever replica changed the alert.
 */
@Injectable()
export class LiveFeedServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private wss?: WsServer;
  private removeUpgrade?: () => void;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly hub: LiveFeedHub,
    @Inject(JWKS_PROVIDER) private readonly keys: JwksProvider,
    private readonly clock: Clock,
    private readonly revocations: TokenRevocations,
    @Optional() @Inject(CASELOAD_SOURCE) private readonly caseloads?: CaseloadSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
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
    // noServer: the subgraph's own graphql-ws server answers upgrades of /graphql on the same HTTP
    // server; a `server`-bound ws server would refuse (400) every upgrade whose path is not its own.
    const wss = new ws.WebSocketServer({ noServer: true, handleProtocols: (p) => handleProtocols(p) });
    const http = this.adapterHost.httpAdapter.getHttpServer() as HttpServer;
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== SUBSCRIPTIONS_PATH) return;
      wss.handleUpgrade(req, socket, head, (client) => wss.emit('connection', client, req));
    };
    http.on('upgrade', onUpgrade);
    this.removeUpgrade = () => http.removeListener('upgrade', onUpgrade);
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
    this.removeUpgrade?.();
    if (this.wss) {
      for (const c of this.wss.clients) c.close(1001, 'shutting down');
      await new Promise<void>((resolve) => this.wss?.close(() => resolve()));
    }
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
    const wire = (name: 'alertRaised' | 'alertChanged', kinds: string[]) => {
      const field = fields[name] as unknown as GraphQLFieldConfig<LiveMessage, { principal?: Principal }, { towns?: string[] | null }>;
      field.subscribe = (_root, args, ctx) =>
        this.hub.iterate(
          (m) => kinds.includes(m.kind) && !!ctx.principal && canSeePerson(ctx.principal, m.town, m.personKey) && (!args.towns || args.towns.includes(m.town ?? '')),
          async (m) => m,
        );
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
