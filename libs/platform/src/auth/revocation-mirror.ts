import type Redis from 'ioredis';
import { Counter, Gauge, register } from 'prom-client';

/** One revocation key as the mirror holds it: its value and when Redis lets it expire. */
interface Entry {
  value: string;
  expiresAt: number;
}

/** A revocation as published by TokenRevocations with its write (see revocations.ts). */
export interface PublishedRevocation {
  /** The full Redis key, `<prefix>:auth:<kind>:<id>`. */
  key: string;
  value: string;
  ttlMs: number;
}

export interface RevocationMirrorOptions {
  /** `<prefix>:auth:` — the keys the mirror loads. */
  keyPrefix: string;
  /** The channel on which every revocation write is published. */
  channel: string;
  /** How often the subscriber is pinged; a ping unanswered this long means the mirror is not trusted. */
  heartbeatMs?: number;
  /** Keys per SCAN step of a sync. */
  scanCount?: number;
  now?: () => number;
}

/** The kinds of key TokenRevocations writes (revocations.ts). */
const KINDS = new Set(['revoked-sid', 'not-before', 'retired-kid']);

function gauge(): Gauge<string> {
  const name = 'homeward_revocation_mirror_synced';
  return (
    (register.getSingleMetric(name) as Gauge<string> | undefined) ??
    new Gauge({ name, help: 'Whether this process answers token revocation checks from its in-process mirror (1) or reads Redis per request (0)' })
  );
}

function syncs(): Counter<string> {
  const name = 'homeward_revocation_mirror_syncs_total';
  return (
    (register.getSingleMetric(name) as Counter<string> | undefined) ??
    new Counter({ name, help: 'Full loads of the revocation keys into the mirror (at start and after every reconnection)', labelNames: ['outcome'] })
  );
}

/**
 * An in-process copy of the token revocation keys (issue 13: one Redis round trip fewer on every
 * request of every app). It is trusted only while it is known to be complete:
 *
 * 1. its subscriber has subscribed to the revocations channel (every later write reaches it), then
 * 2. it has loaded every revocation key already in Redis (SCAN + values + TTLs: every earlier write),
 * 3. and the subscriber still answers its heartbeat PING.
 *
 * When the subscriber's connection closes, a heartbeat goes unanswered, or a load fails, the mirror
 * is not trusted (`ready` false) and the verifier reads Redis per request as before, until a new
 * subscription and a new load complete. Revocations are only ever added or moved later (a session is
 * never un-revoked), so a message and a load that overlap merge to the same state in either order.
 */
export class RevocationMirror {
  private readonly entries = new Map<string, Entry>();
  private synced = false;
  /** Bumped whenever the mirror stops being trusted: a load started before it does not make it ready. */
  private epoch = 0;
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;
  private syncing?: Promise<void>;
  private readonly heartbeatMs: number;
  private readonly scanCount: number;
  private readonly now: () => number;
  private readonly listeners: Array<[string, (...args: never[]) => void]> = [];

  constructor(
    private readonly subscriber: Redis,
    private readonly reader: Redis,
    private readonly options: RevocationMirrorOptions,
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 1_000;
    this.scanCount = options.scanCount ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** Whether checks may be answered from the mirror. */
  get ready(): boolean {
    return this.synced && !this.stopped;
  }

  /** The value of a revocation key in force (not expired), or undefined. Only meaningful while `ready`. */
  get(key: string): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Subscribes and loads; keeps doing so after every reconnection. Never throws (an unready mirror only costs a Redis read). */
  start(): void {
    const on = (event: string, fn: (...args: never[]) => void): void => {
      this.subscriber.on(event, fn as (...args: unknown[]) => void);
      this.listeners.push([event, fn]);
    };
    on('message', (channel: string, message: string) => {
      if (channel === this.options.channel) this.apply(message);
    });
    on('close', () => this.distrust());
    on('end', () => this.distrust());
    on('ready', () => void this.sync());
    if (this.subscriber.status === 'ready') void this.sync();
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  stop(): void {
    this.stopped = true;
    this.distrust();
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const [event, fn] of this.listeners) this.subscriber.off(event, fn as (...args: unknown[]) => void);
    this.listeners.length = 0;
  }

  /** Applies one published revocation (any time, also while loading: merging is order-free). */
  private apply(message: string): void {
    let items: PublishedRevocation[];
    try {
      items = JSON.parse(message) as PublishedRevocation[];
    } catch {
      return;
    }
    if (!Array.isArray(items)) return;
    const at = this.now();
    for (const item of items) {
      if (typeof item?.key === 'string' && typeof item.value === 'string' && typeof item.ttlMs === 'number') this.merge(item.key, item.value, at + item.ttlMs);
    }
  }

  /** A later not-before and a later expiry win; presence keys only extend. */
  private merge(key: string, value: string, expiresAt: number): void {
    const old = this.entries.get(key);
    if (!old) {
      this.entries.set(key, { value, expiresAt });
      return;
    }
    const notBefore = key.startsWith(`${this.options.keyPrefix}not-before:`);
    const keepValue = notBefore && Number(old.value) > Number(value);
    this.entries.set(key, { value: keepValue ? old.value : value, expiresAt: Math.max(old.expiresAt, expiresAt) });
  }

  private distrust(): void {
    this.epoch += 1;
    if (this.synced) gauge().set(0);
    this.synced = false;
  }

  /** (Re)subscribes, then loads every revocation key; trusted once both are done and nothing was lost meanwhile. */
  private sync(): Promise<void> {
    const run = this.load().finally(() => {
      if (this.syncing === run) this.syncing = undefined;
    });
    this.syncing = run;
    return run;
  }

  private async load(): Promise<void> {
    if (this.stopped) return;
    this.distrust();
    const epoch = this.epoch;
    try {
      // Subscribed first: a write after this point arrives as a message, one before it is in the load.
      await this.subscriber.subscribe(this.options.channel);
      let cursor = '0';
      do {
        const [next, keys] = await this.reader.scan(cursor, 'MATCH', `${this.options.keyPrefix}*`, 'COUNT', this.scanCount);
        cursor = next;
        const wanted = keys.filter((k) => KINDS.has(k.slice(this.options.keyPrefix.length).split(':', 1)[0]));
        if (wanted.length > 0) {
          const pipeline = this.reader.pipeline();
          for (const k of wanted) pipeline.get(k).pttl(k);
          const results = (await pipeline.exec()) ?? [];
          const at = this.now();
          wanted.forEach((k, i) => {
            const [getErr, value] = results[2 * i] ?? [];
            const [ttlErr, ttl] = results[2 * i + 1] ?? [];
            if (getErr || ttlErr) throw getErr ?? ttlErr;
            // -2: gone meanwhile; -1: no TTL (not written by TokenRevocations) — kept for as long as the process runs
            if (typeof value !== 'string' || ttl === -2) return;
            this.merge(k, value, Number(ttl) === -1 ? Number.MAX_SAFE_INTEGER : at + Number(ttl));
          });
        }
      } while (cursor !== '0');
      if (epoch !== this.epoch || this.stopped) return;
      this.synced = true;
      gauge().set(1);
      syncs().inc({ outcome: 'done' });
    } catch {
      syncs().inc({ outcome: 'failed' });
      // not trusted; the next 'ready' or heartbeat tries again
    }
  }

  /** The subscriber must answer: a half-open connection delivers no messages and raises no event. */
  private async beat(): Promise<void> {
    if (this.stopped) return;
    for (const [key, e] of this.entries) if (e.expiresAt <= this.now()) this.entries.delete(key);
    if (!this.synced) {
      if (!this.syncing && this.subscriber.status === 'ready') await this.sync();
      return;
    }
    const epoch = this.epoch;
    const answered = await Promise.race([
      this.subscriber.ping().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), this.heartbeatMs).unref()),
    ]);
    if (!answered && epoch === this.epoch) {
      this.distrust();
      // a fresh connection: its 'ready' subscribes and loads again
      this.subscriber.disconnect(true);
    }
  }
}
