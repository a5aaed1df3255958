import { randomUUID } from 'node:crypto';
import { Test, TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { DomainError, Role } from '@homeward/domain';
import {
  AuditModule,
  ClockModule,
  ConfigModule,
  CryptoModule,
  DatabaseModule,
  FixedClock,
  ProblemException,
  RedisModule,
  activationCodeHash,
  createAppAccessSchema,
  newActivationCode,
  tokenRevocationsProvider,
} from '@homeward/platform';
import { createTestDatabase, flushRedisPrefix, testRedisUrl, TestDatabase, untilALockIsAwaited } from '@homeward/testing';
import { IdentityConfig } from '../config';
import { ENTITIES } from '../entities';
import { SigningKeysService } from '../keys/signing-keys.service';
import { TokensService } from '../keys/tokens.service';
import { MIGRATIONS, SCHEMA } from '../migrations';
import { LoginThrottle } from '../throttling/login-throttle.service';
import { UsersService } from '../users/users.service';
import { STRONG_PASSWORD, testIdentityConfig } from '../test-support.kit-spec';
import { AuthService, INVALID_ACTIVATION, INVALID_CREDENTIALS } from './auth.service';

jest.setTimeout(60_000);

/**
 * Issue 12 item 1: a code community-correction issued (rows in app_access, written here as its
 * migrator would) becomes a login of 在矫通 / 协矫通 bound to one device; identity only reads app_access.
 */
describe(`${AuthService.name} — activation of 在矫通 / 协矫通 accounts`, () => {
  let db: TestDatabase;
  let moduleRef: TestingModule;
  let auth: AuthService;
  let config: IdentityConfig;
  const clock = new FixedClock('2026-03-02T01:00:00.000Z');
  let n = 0;

  /** What community-correction does when an officer issues a code: an account (once) and an activation. */
  const issue = async (opts: { role?: Role; accountId?: string; expiresInHours?: number } = {}) => {
    const accountId = opts.accountId ?? randomUUID();
    const role = opts.role ?? Role.SUBJECT;
    await db.query(
      `INSERT INTO app_access.accounts (account_id, role, subject_id, active, created_at, updated_at) VALUES ($1, $2, $3, true, $4, $4) ON CONFLICT (account_id) DO NOTHING`,
      [accountId, role, role === Role.SUBJECT ? randomUUID() : null, clock.now()],
    );
    await db.query(`UPDATE app_access.activations SET superseded_at = $2 WHERE account_id = $1 AND superseded_at IS NULL`, [accountId, clock.now()]);
    const code = newActivationCode();
    await db.query(
      `INSERT INTO app_access.activations (id, account_id, code_hash, issued_at, expires_at, issued_by) VALUES ($1, $2, $3, $4, $5, 'officer')`,
      [randomUUID(), accountId, activationCodeHash(code), clock.now(), new Date(clock.now().getTime() + (opts.expiresInHours ?? 72) * 3_600_000)],
    );
    return { accountId, code };
  };
  const username = () => `app.user${(n += 1)}`;
  const ip = () => `10.9.0.${n}`;
  const refusal = async (p: Promise<unknown>): Promise<ProblemException | DomainError> => {
    try {
      await p;
    } catch (e) {
      return e as ProblemException | DomainError;
    }
    throw new Error('expected a refusal');
  };
  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testIdentityConfig(db.url, { LOCKOUT_THRESHOLD: '3', LOCKOUT_MINUTES: '15' });
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(IdentityConfig, config),
        ClockModule.forRoot(clock),
        CryptoModule.forRoot(),
        DatabaseModule.forService({ schema: SCHEMA, entities: ENTITIES, migrations: [...MIGRATIONS] }),
        AuditModule.forService('identity'),
        RedisModule.forRoot(),
      ],
      providers: [AuthService, UsersService, SigningKeysService, TokensService, tokenRevocationsProvider, LoginThrottle],
    }).compile();
    await moduleRef.init();
    auth = moduleRef.get(AuthService);
    const migrator = new DataSource({ type: 'postgres', url: db.url });
    await migrator.initialize();
    const runner = migrator.createQueryRunner();
    await createAppAccessSchema(runner);
    await runner.release();
    await migrator.destroy();
  });

  afterAll(async () => {
    await moduleRef?.close();
    await db?.drop();
    if (config) await flushRedisPrefix(testRedisUrl(), config.REDIS_PREFIX);
  });

  it('issue 12 item 1: a code sets the username and password and binds the device; the token is a SUBJECT with no town; later logins need that device', async () => {
    const { accountId, code } = await issue();
    const name = username();
    const first = await auth.activate({ code: code.toLowerCase().replace(/-/g, ' '), username: name, password: STRONG_PASSWORD, deviceId: 'device-A-123456' }, { ip: ip() });
    expect(claimsOf(first.accessToken)).toMatchObject({ sub: accountId, roles: [Role.SUBJECT], towns: [] });
    const [stored] = await db.query<{ device_hash: string }>(`SELECT device_hash FROM identity.users WHERE id = $1`, [accountId]);
    expect(stored.device_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.device_hash).not.toContain('device-A');

    const again = await auth.login({ username: name, password: STRONG_PASSWORD, deviceId: 'device-A-123456' }, { ip: ip() });
    expect(claimsOf(again.accessToken).sub).toBe(accountId);
    const otherPhone = await refusal(auth.login({ username: name, password: STRONG_PASSWORD, deviceId: 'device-B-999999' }, { ip: ip() }));
    expect((otherPhone as ProblemException).getStatus()).toBe(401);
    expect(((await refusal(auth.login({ username: name, password: STRONG_PASSWORD }, { ip: ip() }))) as ProblemException).getStatus()).toBe(401);
    const reasons = await db.query<{ reason: string }>(`SELECT details->>'reason' AS reason FROM audit.events WHERE action = 'auth.login' AND entity_id = $1 AND outcome = 'FAILURE' ORDER BY id`, [accountId]);
    expect(reasons.map((r) => r.reason)).toEqual(['DEVICE_NOT_BOUND', 'DEVICE_NOT_BOUND']);
  });

  it('issue 12 item 1: a code works once, not after it expired, not once a newer one superseded it; every failure is the same 401 in Chinese and English', async () => {
    const { code } = await issue();
    await auth.activate({ code, username: username(), password: STRONG_PASSWORD, deviceId: 'device-once-1' }, { ip: ip() });
    const used = await refusal(auth.activate({ code, username: username(), password: STRONG_PASSWORD, deviceId: 'device-once-2' }, { ip: ip() }));
    expect((used as ProblemException).getStatus()).toBe(401);
    expect(JSON.stringify((used as ProblemException).getResponse())).toContain(INVALID_ACTIVATION.split(' / ')[1]);

    const late = await issue({ expiresInHours: 1 });
    clock.advance(2 * 3_600_000);
    try {
      expect(((await refusal(auth.activate({ code: late.code, username: username(), password: STRONG_PASSWORD, deviceId: 'device-late-1' }, { ip: ip() }))) as ProblemException).getStatus()).toBe(401);
    } finally {
      clock.advance(-2 * 3_600_000);
    }
    const old = await issue();
    const newer = await issue({ accountId: old.accountId });
    expect(((await refusal(auth.activate({ code: old.code, username: username(), password: STRONG_PASSWORD, deviceId: 'device-old-1' }, { ip: ip() }))) as ProblemException).getStatus()).toBe(401);
    await auth.activate({ code: newer.code, username: username(), password: STRONG_PASSWORD, deviceId: 'device-new-1' }, { ip: ip() });
    const reasons = await db.query<{ reason: string }>(`SELECT details->>'reason' AS reason FROM audit.events WHERE action = 'auth.activate' AND outcome = 'FAILURE' ORDER BY id`);
    expect(reasons.map((r) => r.reason)).toEqual(['USED', 'EXPIRED', 'SUPERSEDED']);
    expect(await refusal(auth.activate({ code: 'AAAA-BBBB-CCCC', username: username(), password: STRONG_PASSWORD, deviceId: 'device-x-1' }, { ip: ip() }))).toBeInstanceOf(ProblemException);
  });

  it('issue 12 item 1: a weak password or a taken username is a clear error that does not use up the code; a re-issued code moves the account to a new phone and ends the old sessions', async () => {
    const taken = username();
    const first = await issue();
    await auth.activate({ code: first.code, username: taken, password: STRONG_PASSWORD, deviceId: 'phone-one-1' }, { ip: ip() });
    const second = await issue({ role: Role.TEAM_MEMBER });
    expect(((await refusal(auth.activate({ code: second.code, username: username(), password: 'short', deviceId: 'phone-two-1' }, { ip: ip() }))) as DomainError).field).toBe('password');
    expect(((await refusal(auth.activate({ code: second.code, username: taken, password: STRONG_PASSWORD, deviceId: 'phone-two-1' }, { ip: ip() }))) as DomainError).message).toContain('用户名已存在');
    const member = await auth.activate({ code: second.code, username: username(), password: STRONG_PASSWORD, deviceId: 'phone-two-1' }, { ip: ip() });
    expect(claimsOf(member.accessToken).roles).toEqual([Role.TEAM_MEMBER]);

    // The subject lost its phone: the office re-issues, the subject activates on the new one.
    const reissued = await issue({ accountId: first.accountId });
    await auth.activate({ code: reissued.code, username: taken, password: STRONG_PASSWORD, deviceId: 'phone-three-1' }, { ip: ip() });
    expect(((await refusal(auth.login({ username: taken, password: STRONG_PASSWORD, deviceId: 'phone-one-1' }, { ip: ip() }))) as ProblemException).getStatus()).toBe(401);
    await auth.login({ username: taken, password: STRONG_PASSWORD, deviceId: 'phone-three-1' }, { ip: ip() });
    const sessions = await db.query<{ open: number }>(`SELECT count(*) FILTER (WHERE ended_at IS NULL)::int AS open FROM identity.sessions WHERE user_id = $1`, [first.accountId]);
    expect(sessions[0].open).toBe(2); // the re-activation's and the new login's; the first phone's session ended
  });

  it('issue 12 item 1: when the case ends the office closes the account: its password no longer logs in, its code no longer activates', async () => {
    const { accountId, code } = await issue();
    const name = username();
    await auth.activate({ code, username: name, password: STRONG_PASSWORD, deviceId: 'device-close-1' }, { ip: ip() });
    await db.query(`UPDATE app_access.accounts SET active = false WHERE account_id = $1`, [accountId]);
    const closed = await refusal(auth.login({ username: name, password: STRONG_PASSWORD, deviceId: 'device-close-1' }, { ip: ip() }));
    expect((closed as ProblemException).getStatus()).toBe(401);
    expect(JSON.stringify((closed as ProblemException).getResponse())).toContain(INVALID_CREDENTIALS);
    const [reason] = await db.query<{ reason: string }>(`SELECT details->>'reason' AS reason FROM audit.events WHERE action = 'auth.login' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [accountId]);
    expect(reason.reason).toBe('APP_ACCOUNT_CLOSED');
    const reissued = await issue({ accountId });
    await db.query(`UPDATE app_access.accounts SET active = false WHERE account_id = $1`, [accountId]);
    expect(((await refusal(auth.activate({ code: reissued.code, username: name, password: STRONG_PASSWORD, deviceId: 'device-close-2' }, { ip: ip() }))) as ProblemException).getStatus()).toBe(401);
  });

  it('issue 12 item 1: an app account is locked like a staff account: after 3 failures (wrong password, other device) from one address the right ones are refused there', async () => {
    const { code } = await issue();
    const name = username();
    await auth.activate({ code, username: name, password: STRONG_PASSWORD, deviceId: 'device-lock-1' }, { ip: ip() });
    const from = '10.8.7.6';
    for (const attempt of [
      { password: 'wrong-password-1A!', deviceId: 'device-lock-1' },
      { password: STRONG_PASSWORD, deviceId: 'not-my-phone' },
      { password: 'wrong-password-2B!', deviceId: 'device-lock-1' },
    ]) {
      expect(((await refusal(auth.login({ username: name, ...attempt }, { ip: from }))) as ProblemException).getStatus()).toBe(401);
    }
    expect(((await refusal(auth.login({ username: name, password: STRONG_PASSWORD, deviceId: 'device-lock-1' }, { ip: from }))) as ProblemException).getStatus()).toBe(401);
    const [last] = await db.query<{ reason: string }>(`SELECT details->>'reason' AS reason FROM audit.events WHERE action = 'auth.login' AND details->>'username' = $1 ORDER BY id DESC LIMIT 1`, [name]);
    expect(last.reason).toBe('LOCKED');
    await auth.login({ username: name, password: STRONG_PASSWORD, deviceId: 'device-lock-1' }, { ip: '10.8.7.99' });
  });

  it('issue 12 item 1: a re-activation while an administrator changes the same account (user, then its sessions) waits for the change, and both complete — no deadlock', async () => {
    const name = username();
    const first = await issue();
    await auth.activate({ code: first.code, username: name, password: STRONG_PASSWORD, deviceId: 'phone-one-1' }, { ip: ip() });
    const reissued = await issue({ accountId: first.accountId });
    const ds = moduleRef.get(DataSource);
    // UsersService.change (a deactivation, a password reset): the user FOR UPDATE, then its open sessions ended
    const admin = ds.createQueryRunner();
    await admin.connect();
    try {
      await admin.query('START TRANSACTION');
      await admin.query(`SELECT id FROM identity.users WHERE id = $1 FOR UPDATE`, [first.accountId]);
      const activation = auth.activate({ code: reissued.code, username: name, password: STRONG_PASSWORD, deviceId: 'phone-two-1' }, { ip: ip() });
      activation.catch(() => undefined); // awaited below
      await untilALockIsAwaited(ds);
      await admin.query(`SET LOCAL lock_timeout = '5s'`);
      await admin.query(`UPDATE identity.sessions SET ended_at = now() WHERE user_id = $1 AND ended_at IS NULL`, [first.accountId]);
      await admin.query('COMMIT');
      expect(claimsOf((await activation).accessToken).sub).toBe(first.accountId);
    } finally {
      if (admin.isTransactionActive) await admin.query('ROLLBACK').catch(() => undefined);
      await admin.release();
    }
  });
});
