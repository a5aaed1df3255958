import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import IORedis from 'ioredis';
import { Role } from '@homeward/domain';
import { houseQueueNames } from '@homeward/bus';
import type { Principal } from '@homeward/platform';
import { GatewayConfig } from '../config';
import { BEARER_VERIFIER } from '../gateway.tokens';
import { problem, sendProblem } from '../proxy/problem';
import type { BearerVerifier } from '../proxy/rest-proxy';

/** Where the operator view of the queues lives (issue 14 item 5). */
export const QUEUES_PATH = '/admin/queues';
/** The HttpOnly cookie a browser session of the board carries (set by POST {@link QUEUES_PATH}/session). */
export const QUEUES_COOKIE = 'hw_queues_token';

function bearerOf(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  const cookies = req.headers.cookie?.split(';') ?? [];
  for (const c of cookies) {
    const [name, ...value] = c.trim().split('=');
    if (name === QUEUES_COOKIE) return decodeURIComponent(value.join('=')) || undefined;
  }
  return undefined;
}

/** The one remote asset of bull-board's page (a Google Fonts stylesheet): dropped, the page falls back to local fonts. */
const REMOTE_LINK = /<link[^>]+href="https?:\/\/[^"]*"[^>]*>/g;

/** Everything the board serves comes from @bull-board/ui in node_modules: its HTML loses any remote <link>. */
function stripRemoteAssets(_req: Request, res: Response, next: NextFunction): void {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => send(typeof body === 'string' ? body.replace(REMOTE_LINK, '') : body)) as Response['send'];
  next();
}

async function formToken(req: Request): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) return undefined;
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    try {
      return (JSON.parse(body) as { token?: string }).token;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(body).get('token') ?? undefined;
}

/**
 * bull-board on the gateway (issue 14 item 5): every BullMQ queue of the house (`houseQueueNames()`, with the
 * gateway's REDIS_PREFIX), read-only (replays and discards go through the audited GraphQL mutations), for a
 * STAFF token with SYSTEM_ADMIN only: 401 without a valid token, 403 for any other role. Each access and each
 * refusal is written to the log as an audit line (`audit: true`; the gateway has no database). The UI's assets
 * are served from the installed @bull-board/ui package (no CDN).
 */
@Injectable()
export class BullBoardMounter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Queues');
  private connection?: IORedis;
  private queues: Queue[] = [];

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: GatewayConfig,
    @Inject(BEARER_VERIFIER) private readonly verifyBearer: BearerVerifier,
  ) {}

  onModuleInit(): void {
    this.connection = new IORedis(this.config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
    this.connection.on('error', (err) => this.logger.warn(`Redis for the queue view: ${err.message}`));
    this.queues = houseQueueNames().map((name) => {
      const q = new Queue(name, { connection: this.connection as IORedis, prefix: this.config.REDIS_PREFIX });
      q.on('error', () => undefined);
      return q;
    });
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(QUEUES_PATH);
    createBullBoard({
      queues: this.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Homeward queues / 任务队列' } },
    });
    const adapter = this.adapterHost.httpAdapter;
    adapter.use(`${QUEUES_PATH}/session`, (req: Request, res: Response, next: NextFunction) => void this.session(req, res).catch(next));
    adapter.use(QUEUES_PATH, (req: Request, res: Response, next: NextFunction) => void this.guard(req, res, next).catch(next));
    adapter.use(QUEUES_PATH, stripRemoteAssets);
    adapter.use(QUEUES_PATH, serverAdapter.getRouter());
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close().catch(() => undefined)));
    this.connection?.disconnect();
  }

  private async principalOf(token: string | undefined): Promise<Principal | undefined> {
    if (!token) return undefined;
    try {
      return (await this.verifyBearer(token)) as Principal;
    } catch {
      return undefined;
    }
  }

  private audit(req: Request, outcome: 'SUCCESS' | 'DENIED', principal: Principal | undefined, status: number): void {
    const entry = {
      audit: true,
      action: 'gateway.queues.view',
      outcome,
      status,
      actorId: principal?.sub ?? 'anonymous',
      actorRoles: principal?.roles ?? [],
      method: req.method,
      path: req.originalUrl.split('?')[0].slice(0, 200),
      clientIp: req.ip,
    };
    if (outcome === 'SUCCESS') this.logger.log(entry);
    else this.logger.warn(entry);
  }

  /** 401 / 403 problem+json (English + Chinese) or through to the board. */
  private async guard(req: Request, res: Response, next: NextFunction): Promise<void> {
    const principal = await this.principalOf(bearerOf(req));
    if (!principal) {
      this.audit(req, 'DENIED', undefined, 401);
      res.setHeader('www-authenticate', 'Bearer');
      sendProblem(res, problem(401, 'A valid staff access token is required / 需要有效的访问令牌', req.originalUrl.split('?')[0]));
      return;
    }
    if (principal.kind !== 'STAFF' || !principal.roles.includes(Role.SYSTEM_ADMIN)) {
      this.audit(req, 'DENIED', principal, 403);
      sendProblem(res, problem(403, 'Only a system administrator may see the queues / 仅系统管理员可查看任务队列', req.originalUrl.split('?')[0]));
      return;
    }
    // one line per page and per API call of the board (its assets are not worth a line)
    if (!req.path.startsWith('/static/')) this.audit(req, 'SUCCESS', principal, 200);
    next();
  }

  /** POST {token} (form or JSON): checks it like the board does and keeps it in an HttpOnly cookie scoped to the board. */
  private async session(req: Request, res: Response): Promise<void> {
    if (req.method !== 'POST') {
      sendProblem(res, problem(405, 'POST the access token / 请以 POST 提交访问令牌', req.originalUrl));
      return;
    }
    const token = await formToken(req);
    const principal = await this.principalOf(token);
    if (!principal || !token) {
      this.audit(req, 'DENIED', undefined, 401);
      sendProblem(res, problem(401, 'A valid staff access token is required / 需要有效的访问令牌', req.originalUrl));
      return;
    }
    if (principal.kind !== 'STAFF' || !principal.roles.includes(Role.SYSTEM_ADMIN)) {
      this.audit(req, 'DENIED', principal, 403);
      sendProblem(res, problem(403, 'Only a system administrator may see the queues / 仅系统管理员可查看任务队列', req.originalUrl));
      return;
    }
    const secure = this.config.NODE_ENV === 'production' ? '; Secure' : '';
    res.setHeader('set-cookie', `${QUEUES_COOKIE}=${encodeURIComponent(token)}; Path=${QUEUES_PATH}; HttpOnly; SameSite=Strict${secure}`);
    this.audit(req, 'SUCCESS', principal, 303);
    res.statusCode = 303;
    res.setHeader('location', `${QUEUES_PATH}/`);
    res.end();
  }
}
