import { Test, TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import * as jwt from 'jsonwebtoken';
import { createPublicKey } from 'node:crypto';
import { DomainError, DomainErrorCode, Role } from '@homeward/domain';
import {
  AuditModule,
  ClockModule,
  ConfigModule,
  CryptoModule,
  DatabaseModule,
  FixedClock,
  ProblemException,
  RedisModule,
  tokenRevocationsProvider,
  verifyAccessToken,
} from '@homeward/platform';
import { createTestDatabase, flushRedisPrefix, testRedisUrl, TestDatabase } from '@homeward/testing';
import { LoginThrottle } from '../throttling/login-throttle.service';
import { totpCode } from '../common/totp';
import { IdentityConfig } from '../config';
import { ENTITIES } from '../entities';
import { SigningKeysService } from '../keys/signing-keys.service';
import { TokensService } from '../keys/tokens.service';
import { MIGRATIONS, SCHEMA } from '../migrations';
import { UsersService } from '../users/users.service';
import { STRONG_PASSWORD, testIdentityConfig } from '../test-support.kit-spec';
import { AuthService, INVALID_CREDENTIALS } from './auth.service';

jest.setTimeout(60_000);

describe(AuthService.name, () => {
  let db: TestDatabase;
  let moduleRef: TestingModule;
  let auth: AuthService;
  let users: UsersService;
  let keys: SigningKeysService;
  let ds: DataSource;
  const clock = new FixedClock('2026-03-02T01:00:00.000Z');
  let n = 0;
  const cli = { system: 'test' };
  let config: IdentityConfig;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testIdentityConfig(db.url, { LOCKOUT_THRESHOLD: '3', LOCKOUT_MINUTES: '15', IDLE_TIMEOUT_MINUTES: '30' });
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
    users = moduleRef.get(UsersService);
    keys = moduleRef.get(SigningKeysService);
    ds = moduleRef.get(DataSource);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await db?.drop();
    if (config) await flushRedisPrefix(testRedisUrl(), config.REDIS_PREFIX);
  });

  function uniqueName(prefix: string): string {
    n += 1;
    return `${prefix}.${n}`;
  }

  async function officer(): Promise<string> {
    const username = uniqueName('officer');
    await users.create({ username, password: STRONG_PASSWORD, roles: [Role.TOWN_OFFICER], towns: ['104'] }, cli);
    return username;
  }

  async function expect401(p: Promise<unknown>): Promise<void> {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ProblemException);
    expect((e as ProblemException).getStatus()).toBe(401);
    expect((e as ProblemException).detail).toBe(INVALID_CREDENTIALS);
  }

  async function auditRows(action: string, entityId?: string): Promise<Array<{ outcome: string; details: Record<string, unknown> }>> {
    return ds.query(
      `SELECT outcome, details FROM audit.events WHERE action = $1 AND ($2::text IS NULL OR entity_id = $2) ORDER BY id`,
      [action, entityId ?? null],
    );
  }

  describe('login', () => {
    it('issues a verifiable RS256 token carrying the staff claims and a session id', async () => {
      const username = await officer();
      const { accessToken, expiresIn } = await auth.login({ username, password: STRONG_PASSWORD });
      expect(expiresIn).toBe(900);
      const principal = await verifyAccessToken(accessToken, keys, clock.now());
      expect(principal).toMatchObject({ kind: 'STAFF', username, roles: [Role.TOWN_OFFICER], towns: ['104'] });
      expect(principal.sid).toEqual(expect.any(String));
      const header = jwt.decode(accessToken, { complete: true })?.header;
      expect(header).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
      // The JWKS serves the key that verifies it.
      const { keys: jwks } = await keys.jwks();
      const jwk = jwks.find((k) => k.kid === header?.kid);
      expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      const verified = jwt.verify(accessToken, createPublicKey({ key: jwk as never, format: 'jwk' }), {
        issuer: 'homeward-identity',
        audience: 'homeward',
        clockTimestamp: Math.floor(clock.now().getTime() / 1000),
      });
      expect(verified).toMatchObject({ sub: principal.sub, usr: username });
      const rows = await auditRows('auth.login', principal.sub);
      expect(rows.map((r) => r.outcome)).toEqual(['SUCCESS']);
    });

    it('accepts the username in any case', async () => {
      const username = await officer();
      await expect(auth.login({ username: username.toUpperCase(), password: STRONG_PASSWORD })).resolves.toHaveProperty('accessToken');
    });

    it('answers the same 401 for an unknown user and a wrong password, and audits both', async () => {
      const username = await officer();
      await expect401(auth.login({ username: 'nobody.here', password: STRONG_PASSWORD }));
      await expect401(auth.login({ username, password: 'Wrong-Password-1' }));
      const unknown: Array<{ details: { reason: string } }> = await ds.query(
        `SELECT details FROM audit.events WHERE action = 'auth.login' AND details->>'username' = 'nobody.here'`,
      );
      expect(unknown.map((r) => r.details.reason)).toEqual(['UNKNOWN_USER']);
      const user = await users.findByUsername(username);
      const rows = await auditRows('auth.login', user!.id);
      expect(rows).toEqual([{ outcome: 'FAILURE', details: expect.objectContaining({ reason: 'BAD_PASSWORD' }) }]);
    });

    it('issue 6 item 9: LOCKOUT_THRESHOLD failures lock the username for that IP only, even for the right password, until LOCKOUT_MINUTES pass', async () => {
      const username = await officer();
      const attacker = { ip: '203.0.113.7' };
      const owner = { ip: '198.51.100.20' };
      for (let i = 0; i < 3; i++) await expect401(auth.login({ username, password: 'Wrong-Password-1' }, attacker));
      await expect401(auth.login({ username, password: STRONG_PASSWORD }, attacker));
      const locked = await users.findByUsername(username);
      const rows = await auditRows('auth.login', locked!.id);
      expect(rows[2].details.lockedUntil).toBe(new Date(clock.now().getTime() + 15 * 60_000).toISOString());
      const lockedRows: Array<{ details: { reason: string } }> = await ds.query(
        `SELECT details FROM audit.events WHERE action = 'auth.login' AND details->>'username' = $1 ORDER BY id`,
        [username],
      );
      expect(lockedRows[lockedRows.length - 1].details.reason).toBe('LOCKED');
      // The account is not locked for its owner on another address: the attacker cannot lock anyone out.
      expect(locked!.lockedUntil).toBeNull();
      await expect(auth.login({ username, password: STRONG_PASSWORD }, owner)).resolves.toHaveProperty('accessToken');

      clock.advance(15 * 60_000 + 1000);
      await expect(auth.login({ username, password: STRONG_PASSWORD }, attacker)).resolves.toHaveProperty('accessToken');
      const after = await users.findByUsername(username);
      expect(after).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    });

    it('a success resets the failure count', async () => {
      const username = await officer();
      await expect401(auth.login({ username, password: 'Wrong-Password-1' }));
      await expect401(auth.login({ username, password: 'Wrong-Password-1' }));
      await auth.login({ username, password: STRONG_PASSWORD });
      await expect401(auth.login({ username, password: 'Wrong-Password-1' }));
      await expect401(auth.login({ username, password: 'Wrong-Password-1' }));
      expect((await users.findByUsername(username))!.lockedUntil).toBeNull();
    });

    it('refuses a deactivated account', async () => {
      const username = await officer();
      const user = await users.findByUsername(username);
      await users.setActive(user!.id, false, cli);
      await expect401(auth.login({ username, password: STRONG_PASSWORD }));
    });
  });

  describe('TOTP for admin roles', () => {
    async function admin(): Promise<{ username: string; secret: string }> {
      const username = uniqueName('auditor');
      const created = await users.create({ username, password: STRONG_PASSWORD, roles: [Role.AUDITOR] }, cli);
      expect(created.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
      expect(created.otpauthUri).toContain(`Homeward:${username}`);
      return { username, secret: created.totpSecret! };
    }

    it('AUDITOR needs a TOTP code: missing or wrong → 401, right → token', async () => {
      const { username, secret } = await admin();
      await expect401(auth.login({ username, password: STRONG_PASSWORD }));
      await expect401(auth.login({ username, password: STRONG_PASSWORD, totp: '000000' === totpCode(secret, clock.now()) ? '111111' : '000000' }));
      const { accessToken } = await auth.login({ username, password: STRONG_PASSWORD, totp: totpCode(secret, clock.now()) });
      const principal = await verifyAccessToken(accessToken, keys, clock.now());
      expect(principal.roles).toEqual([Role.AUDITOR]);
      expect(principal.towns).toEqual([]);
    });

    it('accepts the previous step (±1 window) but not a replay of a used code', async () => {
      const { username, secret } = await admin();
      clock.advance(60_000);
      const previous = totpCode(secret, new Date(clock.now().getTime() - 30_000));
      await expect(auth.login({ username, password: STRONG_PASSWORD, totp: previous })).resolves.toHaveProperty('accessToken');
      await expect401(auth.login({ username, password: STRONG_PASSWORD, totp: previous }));
      const user = await users.findByUsername(username);
      const rows = await auditRows('auth.login', user!.id);
      expect(rows[rows.length - 1].details.reason).toBe('TOTP_REPLAYED');
    });

    it('the stored TOTP secret is encrypted', async () => {
      const { username, secret } = await admin();
      const [row]: Array<{ totp_secret_cipher: string }> = await ds.query(
        `SELECT totp_secret_cipher FROM identity.users WHERE username = $1`,
        [username],
      );
      expect(row.totp_secret_cipher).toMatch(/^v1\./);
      expect(row.totp_secret_cipher).not.toContain(secret);
    });
  });

  describe('refresh (idle timeout)', () => {
    it('refreshes an expired token while the session was active within IDLE_TIMEOUT_MINUTES', async () => {
      const username = await officer();
      const first = await auth.login({ username, password: STRONG_PASSWORD });
      const sid = (await verifyAccessToken(first.accessToken, keys, clock.now())).sid;
      clock.advance(20 * 60_000); // token (15 min) expired, session idle 20 min < 30
      await expect(verifyAccessToken(first.accessToken, keys, clock.now())).rejects.toThrow();
      const second = await auth.refresh(first.accessToken);
      const principal = await verifyAccessToken(second.accessToken, keys, clock.now());
      expect(principal.sid).toBe(sid);
      clock.advance(25 * 60_000); // 25 min since the last refresh: still alive
      await expect(auth.refresh(second.accessToken)).resolves.toHaveProperty('accessToken');
    });

    it('refuses once the session has been idle longer than IDLE_TIMEOUT_MINUTES, for good', async () => {
      const username = await officer();
      const { accessToken } = await auth.login({ username, password: STRONG_PASSWORD });
      clock.advance(31 * 60_000);
      await expect401(auth.refresh(accessToken));
      clock.advance(-31 * 60_000);
      await expect401(auth.refresh(accessToken));
    });

    it('refuses after logout, after deactivation, and for a garbage token', async () => {
      const username = await officer();
      const a = await auth.login({ username, password: STRONG_PASSWORD });
      await auth.logout(await verifyAccessToken(a.accessToken, keys, clock.now()));
      await expect401(auth.refresh(a.accessToken));

      const b = await auth.login({ username, password: STRONG_PASSWORD });
      const user = await users.findByUsername(username);
      await users.setActive(user!.id, false, cli);
      await expect401(auth.refresh(b.accessToken));

      await expect401(auth.refresh('not.a.token'));
      await expect401(auth.refresh(undefined));
    });
  });

  describe('signing keys', () => {
    it('rotation signs with a new key and keeps the old one in the JWKS; a retired key stops verifying', async () => {
      const username = await officer();
      const before = await auth.login({ username, password: STRONG_PASSWORD });
      const oldKid = jwt.decode(before.accessToken, { complete: true })!.header.kid!;
      const fresh = await keys.rotate(cli);
      expect(fresh.kid).not.toBe(oldKid);
      const after = await auth.login({ username, password: STRONG_PASSWORD });
      expect(jwt.decode(after.accessToken, { complete: true })!.header.kid).toBe(fresh.kid);
      expect((await keys.jwks()).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, fresh.kid]));
      await expect(verifyAccessToken(before.accessToken, keys, clock.now())).resolves.toHaveProperty('sub');

      await expect(keys.retire(fresh.kid, cli)).rejects.toMatchObject({ code: DomainErrorCode.ILLEGAL_TRANSITION });
      await keys.retire(oldKid, cli);
      expect((await keys.jwks()).keys.map((k) => k.kid)).not.toContain(oldKid);
      await expect(verifyAccessToken(before.accessToken, keys, clock.now())).rejects.toThrow(/unknown kid/);
    });

    it('concurrent ensureActiveKey calls leave exactly one active key (advisory lock)', async () => {
      await ds.query(`UPDATE identity.signing_keys SET active = false`);
      await Promise.all([keys.ensureActiveKey(), keys.ensureActiveKey(), keys.ensureActiveKey()]);
      const [{ count }]: Array<{ count: string }> = await ds.query(`SELECT count(*) FROM identity.signing_keys WHERE active`);
      expect(Number(count)).toBe(1);
    });

    it('stores private keys encrypted', async () => {
      const rows: Array<{ private_key_cipher: string }> = await ds.query(`SELECT private_key_cipher FROM identity.signing_keys`);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.private_key_cipher).toMatch(/^v1\./);
        expect(r.private_key_cipher).not.toContain('PRIVATE KEY');
      }
    });
  });

  describe('account administration', () => {
    it('refuses a weak password, a taken username and a mixed admin account', async () => {
      const username = await officer();
      await expect(users.create({ username: 'weak.one', password: 'short', roles: [Role.TOWN_OFFICER], towns: ['104'] }, cli)).rejects.toMatchObject({
        code: DomainErrorCode.VALIDATION_FAILED,
        field: 'password',
      });
      await expect(users.create({ username, password: STRONG_PASSWORD, roles: [Role.TOWN_OFFICER], towns: ['104'] }, cli)).rejects.toMatchObject({
        code: DomainErrorCode.CONFLICT,
      });
      await expect(
        users.create({ username: 'mixed.one', password: STRONG_PASSWORD, roles: [Role.SECURITY_ADMIN, Role.AUDITOR] }, cli),
      ).rejects.toBeInstanceOf(DomainError);
    });

    it('unlock lifts a lockout; reset password ends sessions and the new password works', async () => {
      const username = await officer();
      const user = (await users.findByUsername(username))!;
      for (let i = 0; i < 3; i++) await expect401(auth.login({ username, password: 'Wrong-Password-1' }));
      await users.unlock(user.id, cli);
      const session = await auth.login({ username, password: STRONG_PASSWORD });
      // A reset to the current password is refused and changes nothing (the session lives on).
      await expect(users.resetPassword(user.id, STRONG_PASSWORD, cli)).rejects.toMatchObject({ code: DomainErrorCode.VALIDATION_FAILED, field: 'password' });
      await expect(auth.refresh(session.accessToken)).resolves.toHaveProperty('accessToken');
      await users.resetPassword(user.id, 'Another-Strong-7', cli);
      await expect401(auth.refresh(session.accessToken));
      await expect401(auth.login({ username, password: STRONG_PASSWORD }));
      await expect(auth.login({ username, password: 'Another-Strong-7' })).resolves.toHaveProperty('accessToken');
      const actions: Array<{ action: string }> = await ds.query(
        `SELECT action FROM audit.events WHERE entity_id = $1 AND action LIKE 'user.%' ORDER BY id`,
        [user.id],
      );
      expect(actions.map((a) => a.action)).toEqual(['user.create', 'user.unlock', 'user.reset-password']);
    });
  });
});
