import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AgencyKind, PartnerScope, Role } from '@homeward/domain';
import { AuditEntry, AuditWriter } from '../audit/audit-writer';
import { FixedClock } from '../clock/clock';
import { ProblemException } from '../errors/problem';
import { TestKeys, partnerPrincipal, staffPrincipal } from '../testing';
import jwt from 'jsonwebtoken';
import { AuthGuard } from './auth.guard';
import { JWT_AUDIENCE, JWT_ISSUER, claimsFromPrincipal } from './principal';
import { AgencyKinds, Public, RequiresScopes, Roles } from './decorators';
import { PlatformRequest } from './request-of';

class SampleController {
  @Public()
  health(): void {}

  open(): void {}

  @Roles(Role.CITY_ADMIN, Role.TOWN_OFFICER)
  staffOnly(): void {}

  @AgencyKinds(AgencyKind.COURT, AgencyKind.PRISON)
  @RequiresScopes(PartnerScope.CORRECTION_ENROLMENTS)
  enrol(): void {}

  @AgencyKinds(AgencyKind.COURT)
  undeclaredScope(): void {}
}

function httpContext(handler: keyof SampleController, authorization?: string): { ctx: ExecutionContext; req: PlatformRequest } {
  const req = { headers: authorization ? { authorization } : {}, method: 'POST', originalUrl: `/api/v1/${handler}`, ip: '10.0.0.1' } as unknown as PlatformRequest;
  const ctx = {
    getType: () => 'http',
    getHandler: () => SampleController.prototype[handler],
    getClass: () => SampleController,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { ctx, req };
}

describe(AuthGuard.name, () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date());
  const audited: AuditEntry[] = [];
  const audit = { record: jest.fn(async (e: AuditEntry) => void audited.push(e)) } as unknown as AuditWriter;
  const guard = new AuthGuard(new Reflector(), keys.provider, clock, audit);

  beforeEach(() => {
    audited.length = 0;
  });

  async function statusOf(p: Promise<boolean>): Promise<number | boolean> {
    try {
      return await p;
    } catch (e) {
      if (e instanceof ProblemException) return e.getStatus();
      throw e;
    }
  }

  describe('canActivate', () => {
    it('lets a valid staff token through and hangs the Principal on the request', async () => {
      const officer = staffPrincipal({ username: 'wang', towns: ['104', '107'] });
      const { ctx, req } = httpContext('staffOnly', `Bearer ${keys.mint(officer)}`);
      await expect(guard.canActivate(ctx)).resolves.toBe(true);
      expect(req.principal).toEqual(officer);
      expect(audited).toHaveLength(0);
    });

    it('answers 401 without a token, and audits the denial', async () => {
      const { ctx } = httpContext('open');
      expect(await statusOf(guard.canActivate(ctx))).toBe(401);
      expect(audited).toEqual([
        expect.objectContaining({ actor: { anonymous: true }, action: 'auth.unauthenticated', outcome: 'DENIED' }),
      ]);
    });

    it('answers 401 for an expired token (by the injected clock)', async () => {
      const token = keys.mint(staffPrincipal(), { now: new Date(clock.now().getTime() - 3600_000), expiresInSeconds: 900 });
      expect(await statusOf(guard.canActivate(httpContext('open', `Bearer ${token}`).ctx))).toBe(401);
      expect(audited[0].details).toEqual(expect.objectContaining({ reason: 'jwt expired' }));
    });

    it('answers 401 for a wrong audience, a wrong issuer and an unknown key', async () => {
      const wrongAud = keys.mint(staffPrincipal(), { audience: 'someone-else' });
      const wrongIss = keys.mint(staffPrincipal(), { issuer: 'evil' });
      const foreign = new TestKeys(keys.kid).mint(staffPrincipal());
      for (const token of [wrongAud, wrongIss, foreign, 'not.a.jwt']) {
        expect(await statusOf(guard.canActivate(httpContext('open', `Bearer ${token}`).ctx))).toBe(401);
      }
    });

    it('issue 6 item 8: answers 401 for a correctly signed token without exp', async () => {
      const claims = { ...claimsFromPrincipal(staffPrincipal()), iat: Math.floor(clock.now().getTime() / 1000) };
      const forever = jwt.sign(claims, keys.privateKey, { algorithm: 'RS256', keyid: keys.kid, issuer: JWT_ISSUER, audience: JWT_AUDIENCE });
      expect(await statusOf(guard.canActivate(httpContext('open', `Bearer ${forever}`).ctx))).toBe(401);
      expect(audited[0].details).toEqual(expect.objectContaining({ reason: 'token has no exp' }));
    });

    it('answers 401 for a token with an invalid kind claim', async () => {
      const token = keys.mint({ ...staffPrincipal(), kind: 'ROBOT' as 'STAFF' });
      expect(await statusOf(guard.canActivate(httpContext('open', `Bearer ${token}`).ctx))).toBe(401);
    });

    it('answers 403 when the agency kind is not listed, or a staff token calls a partner endpoint', async () => {
      const police = keys.mint(partnerPrincipal(AgencyKind.POLICE));
      expect(await statusOf(guard.canActivate(httpContext('enrol', `Bearer ${police}`).ctx))).toBe(403);
      const staff = keys.mint(staffPrincipal({ roles: [Role.CITY_ADMIN] }));
      expect(await statusOf(guard.canActivate(httpContext('enrol', `Bearer ${staff}`).ctx))).toBe(403);
      expect(audited.map((a) => a.action)).toEqual(['auth.forbidden', 'auth.forbidden']);
      expect(audited[0].actor).toEqual(expect.objectContaining({ agencyKind: AgencyKind.POLICE }));
    });

    it('lets a listed agency kind through', async () => {
      const court = keys.mint(partnerPrincipal(AgencyKind.COURT));
      await expect(guard.canActivate(httpContext('enrol', `Bearer ${court}`).ctx)).resolves.toBe(true);
    });

    it('issue 6 item 15: answers 403 (audited) when the partner token lacks the scope the route declares', async () => {
      const court = keys.mint(partnerPrincipal(AgencyKind.COURT, { scopes: [PartnerScope.CORRECTION_INVESTIGATIONS] }));
      expect(await statusOf(guard.canActivate(httpContext('enrol', `Bearer ${court}`).ctx))).toBe(403);
      const none = keys.mint(partnerPrincipal(AgencyKind.COURT, { scopes: undefined }));
      expect(await statusOf(guard.canActivate(httpContext('enrol', `Bearer ${none}`).ctx))).toBe(403);
      expect(audited.map((a) => [a.action, a.outcome])).toEqual([
        ['auth.forbidden', 'DENIED'],
        ['auth.forbidden', 'DENIED'],
      ]);
    });

    it('issue 6 item 15: refuses every token on a partner route that declares no scope (fail closed)', async () => {
      const court = keys.mint(partnerPrincipal(AgencyKind.COURT));
      expect(await statusOf(guard.canActivate(httpContext('undeclaredScope', `Bearer ${court}`).ctx))).toBe(403);
    });

    it('answers 403 when no required role is held', async () => {
      const worker = keys.mint(staffPrincipal({ roles: [Role.SOCIAL_WORKER] }));
      expect(await statusOf(guard.canActivate(httpContext('staffOnly', `Bearer ${worker}`).ctx))).toBe(403);
      const partner = keys.mint(partnerPrincipal());
      expect(await statusOf(guard.canActivate(httpContext('staffOnly', `Bearer ${partner}`).ctx))).toBe(403);
    });

    it('lets anyone reach a @Public() handler', async () => {
      await expect(guard.canActivate(httpContext('health').ctx)).resolves.toBe(true);
      await expect(guard.canActivate(httpContext('health', 'Bearer garbage.garbage.garbage').ctx)).resolves.toBe(true);
    });
  });
});
