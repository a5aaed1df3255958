import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export enum AuditOutcome {
  SUCCESS = 'SUCCESS',
  DENIED = 'DENIED',
  FAILURE = 'FAILURE',
}
registerEnumType(AuditOutcome, { name: 'AuditOutcome', description: 'SUCCESS 成功 / DENIED 拒绝 / FAILURE 失败' });

/** One row of the audit log (`audit.events`). */
@ObjectType({ description: 'An audit log entry / 审计日志' })
export class AuditEvent {
  @Field(() => ID)
  id: string;

  @Field(() => GraphQLISODateTime)
  at: Date;

  @Field({ description: 'The service that wrote it' })
  service: string;

  @Field(() => String, { nullable: true })
  actorId: string | null;

  @Field(() => String, { nullable: true, description: 'STAFF, PARTNER, SYSTEM or ANONYMOUS' })
  actorKind: string | null;

  @Field(() => [String])
  actorRoles: string[];

  @Field()
  action: string;

  @Field(() => String, { nullable: true })
  entityType: string | null;

  @Field(() => String, { nullable: true })
  entityId: string | null;

  @Field(() => String, { nullable: true })
  personKey: string | null;

  @Field(() => [String])
  towns: string[];

  @Field(() => AuditOutcome)
  outcome: AuditOutcome;

  @Field(() => String, { nullable: true })
  requestId: string | null;

  @Field(() => String, { nullable: true, description: 'Details as a JSON string' })
  details: string | null;
}

@InputType({ description: 'Audit log filter; all given fields must match / 审计日志筛选' })
export class AuditEventFilter {
  @Field(() => String, { nullable: true, description: 'Who: user id or partner client id' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actorId?: string;

  @Field(() => String, { nullable: true, description: 'Exact action, or a prefix ending in "*" (e.g. "auth.*")' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  entityType?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  entityId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  personKey?: string;

  @Field(() => AuditOutcome, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(AuditOutcome))
  outcome?: AuditOutcome;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  service?: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'At or after this instant' })
  @IsOptional()
  from?: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Before this instant' })
  @IsOptional()
  to?: Date;
}

@ObjectType()
export class AuditEventEdge {
  @Field()
  cursor: string;

  @Field(() => AuditEvent)
  node: AuditEvent;
}

@ObjectType()
export class AuditEventPageInfo {
  @Field(() => String, { nullable: true })
  endCursor: string | null;

  @Field()
  hasNextPage: boolean;
}

@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEventEdge])
  edges: AuditEventEdge[];

  @Field(() => [AuditEvent])
  nodes: AuditEvent[];

  @Field(() => AuditEventPageInfo)
  pageInfo: AuditEventPageInfo;
}

export const AUDIT_PAGE_MAX = 200;
export const AUDIT_PAGE_DEFAULT = 50;
