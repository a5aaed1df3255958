import { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import { Principal } from './principal';

/** The express request, with what the platform hangs on it. */
export type PlatformRequest = Request & { principal?: Principal; principalToken?: string; id?: unknown };

/** The HTTP request behind an HTTP or GraphQL execution context. */
export function requestOf(ctx: ExecutionContext): PlatformRequest | undefined {
  const type = ctx.getType<string>();
  if (type === 'http') return ctx.switchToHttp().getRequest<PlatformRequest>();
  if (type === 'graphql') {
    const gql = GqlExecutionContext.create(ctx).getContext<{ req?: PlatformRequest }>();
    return gql?.req;
  }
  return undefined;
}

/** For GraphQL: the name of the field being resolved (e.g. `_service`). */
export function graphQLFieldName(ctx: ExecutionContext): string | undefined {
  if (ctx.getType<string>() !== 'graphql') return undefined;
  return GqlExecutionContext.create(ctx).getInfo<{ fieldName?: string }>()?.fieldName;
}
