import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { PLATFORM_REDIS } from '@homeward/platform';
import { AlertsConfig } from '../config';
import { LiveMessage, liveChannel } from './live-feed.publisher';

type Listener = (m: LiveMessage) => void;

/**
 * AL-5: the one Redis pub/sub subscription of an alerts replica. Every alert raised or changed on any
 * replica (LiveFeedPublisher, after commit) reaches every listener here: the federated
 * `Subscription.alertChanged` of the subgraph and the older `/subscriptions` feed.
 */
@Injectable()
export class LiveFeedHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LiveFeedHub');
  private readonly listeners = new Set<Listener>();
  private subscriber?: Redis;

  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    @Inject(AlertsConfig) private readonly config: AlertsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const channel = liveChannel(this.config);
    this.subscriber = this.redis.duplicate({ connectionName: 'alerts-live-feed' });
    this.subscriber.on('error', (err: Error) => this.logger.warn(`live feed subscriber: ${err.message}`));
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
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }

  /** Listens until the returned function is called. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many feeds listen on this replica (for the tests and the metrics). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /**
   * An async iterator of the messages `accept` lets through, mapped by `map` (a message `map` turns into
   * undefined is skipped; one it throws on ends the feed with that error). Ended by `return` (the
   * client's complete or the socket's close), which stops listening.
   */
  iterate<T>(accept: (m: LiveMessage) => boolean, map: (m: LiveMessage) => Promise<T | undefined>): AsyncIterableIterator<T> {
    const buffered: LiveMessage[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const unregister = this.listen((m) => {
      if (done || !accept(m)) return;
      buffered.push(m);
      const w = wake;
      wake = null;
      w?.();
    });
    const finish = async (): Promise<IteratorResult<T>> => {
      done = true;
      unregister();
      const w = wake;
      wake = null;
      w?.();
      return { value: undefined, done: true };
    };
    const next = async (): Promise<IteratorResult<T>> => {
      for (;;) {
        if (done) return { value: undefined, done: true };
        const m = buffered.shift();
        if (!m) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        let value: T | undefined;
        try {
          value = await map(m);
        } catch (error) {
          await finish();
          throw error;
        }
        if (value !== undefined) return { value, done: false };
      }
    };
    return {
      next,
      return: finish,
      throw: async (error?: unknown) => {
        await finish();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}
