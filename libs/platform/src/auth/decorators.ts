import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { AgencyKind, PartnerScope, Role } from '@homeward/domain';
import { Principal } from './principal';
import { requestOf } from './request-of';

export const IS_PUBLIC = 'homeward:public';
export const REQUIRED_ROLES = 'homeward:roles';
export const AGENCY_KINDS = 'homeward:agency-kinds';
export const REQUIRED_SCOPES = 'homeward:scopes';

/** No token needed (health, metrics, JWKS, login). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only principals holding at least one of `roles` (else 403). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLES, roles);

/** Partner endpoints: only PARTNER tokens whose agencyKind is listed (else 403). */
export const AgencyKinds = (...kinds: AgencyKind[]): MethodDecorator & ClassDecorator => SetMetadata(AGENCY_KINDS, kinds);

/**
 * Partner endpoints: the token must carry every one of `scopes` (else 403, audited). A route with
 * `@AgencyKinds()` but no `@RequiresScopes()` is refused to every token (fail closed; issue 6 item 15).
 */
export const RequiresScopes = (...scopes: PartnerScope[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_SCOPES, scopes);

/** The verified Principal of the request (HTTP and GraphQL). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal | undefined => {
  return requestOf(ctx)?.principal;
});
