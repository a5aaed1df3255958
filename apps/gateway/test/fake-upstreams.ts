/**
 * Tiny real upstream apps for the gateway's medium test: each is an HTTP server with
 * `/health/live`, `/api/docs-json`, optional REST routes and, when given SDL, a real
 * federation-2 subgraph (`@apollo/server` + `@apollo/subgraph`). Not mocks: the gateway
 * talks to them over TCP exactly as to the real apps.
 */
import type { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { expressMiddleware } from '@as-integrations/express5';
import express, { Express } from 'express';
import { parse } from 'graphql';

export interface FakeUpstreamOptions {
  name: string;
  sdl?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers?: any;
  /** Paths for `/api/docs-json`; none → the app serves no docs. */
  openApiPaths?: Record<string, unknown>;
  openApiSchemas?: Record<string, unknown>;
  /** Extra routes, mounted before everything else. */
  configure?: (app: Express) => void;
  /** Listen on this port (default: a random free one). */
  port?: number;
  /** Also serve graphql-ws on /graphql (the subgraph's Subscription fields); records connection_init payloads. */
  /** Serve graphql-ws on /graphql; records each connection_init payload and the upgrade request's headers. */
  subscriptions?: { connectionParams: unknown[]; upgradeHeaders?: Array<Record<string, unknown>> };
  /** Answer /graphql with 401 unless `x-homeward-gateway-secret` is this (like a production subgraph). */
  requireGatewaySecret?: string;
}

export interface FakeUpstream {
  name: string;
  url: string;
  close(): Promise<void>;
}

export async function startFakeUpstream(options: FakeUpstreamOptions): Promise<FakeUpstream> {
  const app = express();
  options.configure?.(app);
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  if (options.openApiPaths) {
    app.get('/api/docs-json', (_req, res) => {
      res.json({
        openapi: '3.0.0',
        info: { title: options.name, version: '1' },
        paths: options.openApiPaths,
        components: { schemas: options.openApiSchemas ?? {} },
      });
    });
  }
  let apollo: ApolloServer<{ headers: Record<string, unknown> }> | undefined;
  const schema = options.sdl ? buildSubgraphSchema({ typeDefs: parse(options.sdl), resolvers: options.resolvers ?? {} }) : undefined;
  if (options.sdl) {
    const server = new ApolloServer<{ headers: Record<string, unknown> }>({
      schema: schema!,
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    });
    await server.start();
    apollo = server;
    app.use(
      '/graphql',
      (req, res, next) => {
        if (options.requireGatewaySecret && req.headers['x-homeward-gateway-secret'] !== options.requireGatewaySecret) {
          res.status(401).json({ errors: [{ message: 'no gateway secret', extensions: { code: 'UNAUTHENTICATED' } }] });
          return;
        }
        next();
      },
      express.json(),
      expressMiddleware(server, { context: async ({ req }) => ({ headers: req.headers as Record<string, unknown> }) }),
    );
  }
  const server: Server = createServer(app);
  let wsServer: { close(cb?: () => void): void; clients: Set<{ terminate(): void }> } | undefined;
  if (options.subscriptions && schema) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { WebSocketServer } = require('ws');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { useServer } = require('graphql-ws/use/ws');
    const seen = options.subscriptions.connectionParams;
    wsServer = new WebSocketServer({ server, path: '/graphql' });
    const headers = options.subscriptions.upgradeHeaders;
    useServer(
      {
        schema,
        onConnect: (ctx: { connectionParams?: unknown; extra: { request: { headers: Record<string, unknown> } } }) => {
          seen.push(ctx.connectionParams);
          headers?.push(ctx.extra.request.headers);
        },
      },
      wsServer,
    );
  }
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: options.name,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const c of wsServer?.clients ?? []) c.terminate();
      await apollo?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: bind, read the port, close. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
