import { CanActivate, ExecutionContext, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AgencyKind, Role } from '@homeward/domain';
import { CASELOAD_SOURCE, CaseloadSource } from '../assignments/case-assignments';
import { AuditWriter } from '../audit/audit-writer';
import { Clock } from '../clock/clock';
import { ProblemException, problemTitle } from '../errors/problem';
import { AGENCY_KINDS, IS_PUBLIC, REQUIRED_ROLES, REQUIRED_SCOPES } from './decorators';
import { JWKS_PROVIDER, JwksProvider } from './jwks';
import { isCaseloadBound } from './jurisdiction';
import { Principal } from './principal';
import { PlatformRequest, graphQLFieldName, requestOf } from './request-of';
import { TokenRevocations } from './revocations';
import { TokenRejected, bearerToken, verifyAccessToken } from './verify-token';

/** Checked after authentication on every request (PartnerApiModule provides the rate limiter). */
export interface RequestGate {
  check(ctx: ExecutionContext, req: PlatformRequest, principal: Principal | undefined): Promise<void>;
}
export const REQUEST_GATE = Symbol('REQUEST_GATE');

/** GraphQL fields the gateway reads without a user token (composition). */
const PUBLIC_GRAPHQL_FIELDS = new Set(['_service']);

/**
 * The global guard: verifies `Authorization: Bearer <jwt>` on every HTTP and GraphQL request
 * unless `@Public()`, then applies `@AgencyKinds()` and `@Roles()`. 401 without a valid
 * token, 403 when the kind or role does not fit; both are audited (outcome DENIED).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('AuthGuard');

  constructor(
    private readonly reflector: Reflector,
    @Inject(JWKS_PROVIDER) private readonly keys: JwksProvider,
    @Optional() private readonly clock?: Clock,
    @Optional() private readonly audit?: AuditWriter,
    @Optional() @Inject(REQUEST_GATE) private readonly gate?: RequestGate,
    @Optional() private readonly revocations?: TokenRevocations,
    @Optional() @Inject(CASELOAD_SOURCE) private readonly caseloads?: CaseloadSource,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const type = ctx.getType<string>();
    if (type !== 'http' && type !== 'graphql') return true;
    const req = requestOf(ctx);
    const targets = [ctx.getHandler(), ctx.getClass()];
    const isPublic =
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true ||
      PUBLIC_GRAPHQL_FIELDS.has(graphQLFieldName(ctx) ?? '');
    if (!req) {
      if (isPublic) return true;
      throw await this.deny(401, 'no request in context', undefined, undefined, ctx);
    }
    const token = bearerToken(req.headers.authorization);
    if (isPublic) {
      if (token) req.principal = await this.verify(token).catch(() => undefined);
      await this.gate?.check(ctx, req, req.principal);
      return true;
    }
    if (!token) throw await this.deny(401, 'missing bearer token', req, undefined, ctx);
    let principal: Principal;
    if (req.principal && req.principalToken === token) {
      // GraphQL field resolvers run this guard too (fieldResolverEnhancers): verify once per request.
      principal = req.principal;
    } else {
      try {
        principal = await this.verify(token);
      } catch (e) {
        const reason = e instanceof TokenRejected ? e.reason : 'token verification failed';
        throw await this.deny(401, reason, req, undefined, ctx);
      }
      // issue 6 item 7: a social worker sees its active assignments only, read once per request
      // (no CaseloadSource in this service → no person at all).
      if (isCaseloadBound(principal)) principal.caseload = this.caseloads ? await this.caseloads.activePersonKeys(principal.sub) : [];
      req.principal = principal;
      req.principalToken = token;
    }

    const kinds = this.reflector.getAllAndOverride<AgencyKind[] | undefined>(AGENCY_KINDS, targets);
    if (kinds && (principal.kind !== 'PARTNER' || !principal.agencyKind || !kinds.includes(principal.agencyKind))) {
      throw await this.deny(403, `agency kind ${principal.agencyKind ?? principal.kind} not accepted here`, req, principal, ctx);
    }
    if (kinds) {
      const scopes = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets);
      if (!scopes || scopes.length === 0) {
        throw await this.deny(403, 'partner route declares no scope', req, principal, ctx);
      }
      const missing = scopes.filter((s) => !(principal.scopes ?? []).includes(s));
      if (missing.length > 0) throw await this.deny(403, `token lacks scope ${missing.join(', ')}`, req, principal, ctx);
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && roles.length > 0 && !roles.some((r) => principal.roles.includes(r))) {
      throw await this.deny(403, `requires one of ${roles.join(', ')}`, req, principal, ctx);
    }
    await this.gate?.check(ctx, req, principal);
    return true;
  }

  private verify(token: string): Promise<Principal> {
    return verifyAccessToken(token, this.keys, this.clock?.now() ?? new Date(), this.revocations);
  }

  private async deny(
    status: 401 | 403,
    reason: string,
    req: PlatformRequest | undefined,
    principal: Principal | undefined,
    ctx: ExecutionContext,
  ): Promise<ProblemException> {
    const target = graphQLFieldName(ctx) ?? (req ? `${req.method} ${req.originalUrl ?? req.url}` : 'unknown');
    if (this.audit) {
      try {
        await this.audit.record({
          actor: principal ?? { anonymous: true },
          action: status === 401 ? 'auth.unauthenticated' : 'auth.forbidden',
          outcome: 'DENIED',
          details: { status, reason, target, ip: req?.ip ?? null },
        });
      } catch (e) {
        this.logger.error(`cannot audit a denied request: ${(e as Error).message}`);
      }
    }
    const detail =
      status === 401
        ? 'A valid bearer token is required / 需要有效的访问令牌'
        : 'This token may not use this endpoint / 该令牌无权访问此接口';
    this.logger.warn(`${status} ${target}: ${reason}`);
    return new ProblemException(status, problemTitle(status), detail);
  }
}
