import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { RevocationMirror } from './revocation-mirror';

/** A subscriber connection that has subscribed and then stops answering (half-open: no 'close' ever comes). */
class SilentSubscriber extends EventEmitter {
  status = 'ready';
  answersPing = true;
  // as ioredis: reconnecting after disconnect(true)
  readonly disconnect = jest.fn(() => {
    this.status = 'reconnecting';
  });
  async subscribe(): Promise<number> {
    return 1;
  }
  ping(): Promise<string> {
    return this.answersPing ? Promise.resolve('PONG') : new Promise<string>(() => undefined);
  }
}

const reader = { scan: async () => ['0', []] } as unknown as Redis;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Real timers on a loaded machine fire late: wait for the state, within a generous limit. */
async function until(what: string, cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await settle(5);
  }
}

describe(RevocationMirror.name, () => {
  it('issue 13: a subscriber that stops answering its heartbeat is no longer trusted and is reconnected', async () => {
    const sub = new SilentSubscriber();
    const mirror = new RevocationMirror(sub as unknown as Redis, reader, { keyPrefix: 'p:auth:', channel: 'p:auth:revocations', heartbeatMs: 20 });
    mirror.start();
    await until('trusted once loaded', () => mirror.ready);
    await settle(60); // a few heartbeats answered
    expect(mirror.ready).toBe(true);
    expect(sub.disconnect).not.toHaveBeenCalled();
    sub.answersPing = false;
    await until('distrusted after an unanswered heartbeat', () => !mirror.ready);
    await until('reconnected', () => sub.disconnect.mock.calls.length > 0);
    expect(sub.disconnect).toHaveBeenCalledWith(true);
    mirror.stop();
  });

  it('issue 13: a published revocation is applied in any order with a load — the later not-before and the later expiry win; an expired one is gone', async () => {
    let now = 1_000_000;
    const sub = new SilentSubscriber();
    const mirror = new RevocationMirror(sub as unknown as Redis, reader, { keyPrefix: 'p:auth:', channel: 'p:auth:revocations', heartbeatMs: 1_000, now: () => now });
    mirror.start();
    const publish = (items: unknown) => sub.emit('message', 'p:auth:revocations', JSON.stringify(items));
    publish([{ key: 'p:auth:not-before:s', value: '200', ttlMs: 60_000 }]);
    publish([{ key: 'p:auth:not-before:s', value: '100', ttlMs: 120_000 }]);
    expect(mirror.get('p:auth:not-before:s')).toBe('200');
    sub.emit('message', 'another-channel', JSON.stringify([{ key: 'p:auth:revoked-sid:x', value: '1', ttlMs: 60_000 }]));
    sub.emit('message', 'p:auth:revocations', 'not json');
    expect(mirror.get('p:auth:revoked-sid:x')).toBeUndefined();
    now += 100_000; // past the first expiry, inside the second
    expect(mirror.get('p:auth:not-before:s')).toBe('200');
    now += 30_000;
    expect(mirror.get('p:auth:not-before:s')).toBeUndefined();
    mirror.stop();
  });
});
