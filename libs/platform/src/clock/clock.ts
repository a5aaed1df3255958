import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { Clock as DomainClock, LocalDate, localDateInShanghai } from '@homeward/domain';

/** The injectable time source (DI token). Rules take `now()` / `today()` from it, never `new Date()`. */
export abstract class Clock implements DomainClock {
  abstract now(): Date;

  /** Today's date in Asia/Shanghai. */
  today(): LocalDate {
    return localDateInShanghai(this.now());
  }
}

/** The real time. */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A stopped clock for small and medium tests: `set(date)`, `advance(ms)`. */
export class FixedClock extends Clock {
  private at: number;

  constructor(initial: Date | string = '2026-01-05T01:00:00.000Z') {
    super();
    this.at = new Date(initial).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(date: Date | string): void {
    this.at = new Date(date).getTime();
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

/** Redis key holding the clock offset in ms for a prefix. */
export function clockOffsetKey(prefix: string): string {
  return `${prefix}:clock:offset-ms`;
}

/**
 * Real time plus an offset read from Redis `<prefix>:clock:offset-ms` (on start and every
 * 250 ms), so an end-to-end test can move time in every process at once. Only with
 * CLOCK_CONTROL=true, which the config refuses in production.
 */
export class ControllableClock extends Clock {
  private readonly logger = new Logger('ControllableClock');
  private offsetMs = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly pollMs = 250,
  ) {
    super();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** Reads the offset once; a missing key means 0. */
  async refresh(): Promise<void> {
    const raw = await this.redis.get(clockOffsetKey(this.prefix));
    const n = raw === null ? 0 : Number(raw);
    if (Number.isFinite(n)) {
      if (n !== this.offsetMs) this.logger.log(`clock offset now ${n} ms`);
      this.offsetMs = n;
    }
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((e: unknown) => this.logger.warn(`cannot read clock offset: ${(e as Error).message}`));
    }, this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** Test harness helper: sets the clock offset every CLOCK_CONTROL process of `prefix` will pick up within 250 ms. */
export async function setClockOffset(redisUrl: string, prefix: string, ms: number): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  try {
    await redis.set(clockOffsetKey(prefix), String(Math.trunc(ms)));
  } finally {
    await redis.quit();
  }
}
