import Redis from 'ioredis';
import { eventually, flushRedisPrefix, testRedisPrefix, testRedisUrl } from '@homeward/testing';
import { TestKeys, staffPrincipal } from '../testing';
import { RevocationMirror } from './revocation-mirror';
import { TokenRevocations } from './revocations';
import { verifyAccessToken } from './verify-token';

jest.setTimeout(30_000);

/**
 * Issue 13: every app answers token revocation checks from an in-process mirror of the revocation keys
 * (no Redis read per request) — but only while the mirror is known to be complete. Real Redis, a
 * prefix of this file's own; "another app" is a second set of connections with its own mirror.
 */
describe('the revocation mirror (issue 13; real Redis)', () => {
  const url = testRedisUrl();
  const prefix = testRedisPrefix('revmirror');
  const open: Redis[] = [];
  const mirrors: RevocationMirror[] = [];
  const keys = new TestKeys();
  const connect = (name: string): Redis => {
    const r = new Redis(url, { connectionName: name, maxRetriesPerRequest: 2 });
    r.on('error', () => undefined);
    open.push(r);
    return r;
  };
  /** An app's view: its own Redis client, its own subscriber, its own mirror. */
  const app = (name: string) => {
    const redis = connect(`${name}-main`);
    const subscriber = connect(`${name}-sub`);
    const revocations = new TokenRevocations(redis, prefix);
    const mirror = new RevocationMirror(subscriber, redis, { keyPrefix: revocations.keyPrefix, channel: revocations.revocationsChannel, heartbeatMs: 200 });
    mirrors.push(mirror);
    revocations.useMirror(mirror);
    return { redis, subscriber, revocations, mirror };
  };
  const ready = (m: RevocationMirror) => eventually(async () => m.ready, Boolean, { timeoutMs: 5_000, intervalMs: 20 });

  afterAll(async () => {
    for (const m of mirrors) m.stop();
    for (const r of open) r.disconnect();
    await flushRedisPrefix(url, prefix);
  });

  it('issue 13: what one app revokes, another refuses from its mirror within a second — without reading Redis per check', async () => {
    const writer = app('writer');
    const reader = app('reader');
    reader.mirror.start();
    await ready(reader.mirror);
    const token = keys.mint(staffPrincipal({ sub: 'staff-1', sid: 'session-1' }), { expiresInSeconds: 600 });
    const mget = jest.spyOn(reader.redis, 'mget');
    await expect(verifyAccessToken(token, keys.provider, new Date(), reader.revocations)).resolves.toMatchObject({ sub: 'staff-1' });

    const revokedAt = Date.now();
    await writer.revocations.revokeSessions(['session-1'], 600);
    await eventually(async () => reader.revocations.mirroredReason({ sub: 'staff-1', sid: 'session-1' })?.reason, (r) => r === 'session revoked', { timeoutMs: 1_000, intervalMs: 5 });
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
    await expect(verifyAccessToken(token, keys.provider, new Date(), reader.revocations)).rejects.toThrow('session revoked');
    expect(mget).not.toHaveBeenCalled();
  });

  it('issue 13: revocations already in Redis when an app starts are loaded before its mirror answers (not-before, retired key, session)', async () => {
    const writer = app('early-writer');
    const iat = Math.floor(Date.now() / 1000);
    await writer.revocations.revokeSessions(['early-session'], 600);
    await writer.revocations.revokeSubject('partner-9', new Date(iat * 1000), 600);
    await writer.revocations.markKeyRetired('old-kid', 600);
    const late = app('late-reader');
    expect(late.revocations.mirroredReason({ sub: 'x' })).toBeUndefined(); // not started: not trusted
    late.mirror.start();
    await ready(late.mirror);
    const ask = (p: Parameters<TokenRevocations['mirroredReason']>[0]) => late.revocations.mirroredReason(p)?.reason;
    expect(ask({ sub: 'u', sid: 'early-session' })).toBe('session revoked');
    expect(ask({ sub: 'partner-9', iat })).toBe('token revoked'); // issued in the revoked second
    expect(ask({ sub: 'partner-9', iat: iat + 1 })).toBeUndefined(); // issued after it
    expect(ask({ sub: 'u', kid: 'old-kid' })).toBe('signing key retired');
    expect(ask({ sub: 'u', sid: 'other-session', kid: 'new-kid' })).toBeUndefined();
    // the same rule as a Redis read
    expect(await late.revocations.revokedReason({ sub: 'partner-9', iat })).toBe('token revoked');
    expect(await late.revocations.revokedReason({ sub: 'partner-9', iat: iat + 1 })).toBeUndefined();
  });

  it('issue 13: a lost subscriber is not trusted (checks read Redis) until it has subscribed and loaded again — then it has what was revoked meanwhile', async () => {
    const writer = app('gap-writer');
    const reader = app('gap-reader');
    const admin = connect('gap-admin');
    const subscriberId = await reader.subscriber.client('ID');
    reader.mirror.start();
    await ready(reader.mirror);

    const atClose: Array<{ ready: boolean; answer: unknown }> = [];
    reader.subscriber.once('close', () => atClose.push({ ready: reader.mirror.ready, answer: reader.revocations.mirroredReason({ sub: 'u', sid: 'gap-session' }) }));
    await admin.client('KILL', 'ID', String(subscriberId));
    // written while the subscriber is away (ioredis waits ≥ 50 ms before reconnecting): its message is lost
    await writer.revocations.revokeSessions(['gap-session'], 600);
    await eventually(async () => atClose.length, (n) => n === 1, { timeoutMs: 2_000, intervalMs: 5 });
    expect(atClose[0]).toEqual({ ready: false, answer: undefined });
    // meanwhile the verifier falls back to Redis and already refuses
    expect(await reader.revocations.revokedReason({ sub: 'u', sid: 'gap-session' })).toBe('session revoked');

    await ready(reader.mirror);
    expect(reader.revocations.mirroredReason({ sub: 'u', sid: 'gap-session' })).toEqual({ reason: 'session revoked' });
  });
});
