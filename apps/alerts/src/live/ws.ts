/**
 * The few parts of `ws` (8.x, in node_modules through the GraphQL stack; the integrator declares it)
 * the live feed uses. `ws` ships no types and @types/ws is not installed, so they are named here.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export interface WsSocket {
  readonly protocol: string;
  send(data: string, cb: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  once(event: 'close', listener: (code: number, reason: Buffer) => void): void;
}

export interface WsServer {
  on(event: 'connection', listener: (socket: WsSocket, request: IncomingMessage) => void): void;
  emit(event: 'connection', socket: WsSocket, request: IncomingMessage): boolean;
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, done: (socket: WsSocket) => void): void;
  close(cb?: () => void): void;
  clients: Set<WsSocket>;
}

interface WsModule {
  /** The client (the tests' graphql-ws client uses it). */
  WebSocket: unknown;
  WebSocketServer: new (opts: { noServer: true; handleProtocols?: (protocols: Set<string>) => string | false }) => WsServer;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const ws = require('ws') as WsModule;
