import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsEnum, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { ASSISTANCE_MEASURE_KIND_LABELS, ASSISTANCE_TEAM_ROLE_LABELS, AssistanceMeasureKind, AssistanceTeamRole } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate } from '@homeward/platform';
import { labelled } from '../cases/labelled';
import { AssistanceMeasure, AssistancePlan, AssistanceTeamMember } from './team.entity';
import { PLAN_GOALS_MAX, PLAN_MEASURE_MAX, PLAN_MEASURES_MAX, TEAM_NAME_MAX, TEAM_REASON_MAX } from './teams.service';

registerEnumType(AssistanceTeamRole, { name: 'AssistanceTeamRole', description: 'RS-6 帮教小组成员类别', valuesMap: labelled(ASSISTANCE_TEAM_ROLE_LABELS) });
registerEnumType(AssistanceMeasureKind, { name: 'AssistanceMeasureKind', description: 'RS-6 帮教措施类别', valuesMap: labelled(ASSISTANCE_MEASURE_KIND_LABELS) });

@ObjectType('AssistanceTeamMember', { description: 'RS-6 帮教小组成员 (current or removed)' })
export class AssistanceTeamMemberType {
  @Field(() => ID) id: string;
  @Field(() => ID) caseId: string;
  @Field(() => AssistanceTeamRole) role: AssistanceTeamRole;
  @Field() roleLabel: string;
  @Field({ description: '姓名 (stored encrypted)' }) name: string;
  @Field(() => String, { nullable: true, description: "identity's user id of a staff member; a SOCIAL_WORKER's is its assignment to the case" }) staffUserId: string | null;
  @Field(() => String, { nullable: true }) staffUsername: string | null;
  @Field() addedAt: Date;
  @Field() addedBy: string;
  @Field(() => Date, { nullable: true }) removedAt: Date | null;
  @Field(() => String, { nullable: true }) removedBy: string | null;
  @Field(() => String, { nullable: true, description: '移出原因' }) removalReason: string | null;
}

@ObjectType('AssistanceMeasure', { description: 'RS-6 帮教措施' })
export class AssistanceMeasureType {
  @Field(() => AssistanceMeasureKind) kind: AssistanceMeasureKind;
  @Field() kindLabel: string;
  @Field() description: string;
}

@ObjectType('AssistancePlan', { description: 'RS-6 帮教方案: one version; each save is a new version' })
export class AssistancePlanType {
  @Field(() => ID) id: string;
  @Field(() => ID) caseId: string;
  @Field(() => Int) version: number;
  @Field({ description: '帮教目标' }) goals: string;
  @Field(() => [AssistanceMeasureType]) measures: AssistanceMeasureType[];
  @Field({ description: '复核日期' }) reviewOn: string;
  @Field() recordedAt: Date;
  @Field() recordedBy: string;
}

@InputType({ description: 'RS-6: add a member to the assistance team / 增加帮教小组成员' })
export class AddAssistanceTeamMemberInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field(() => AssistanceTeamRole) @IsEnum(AssistanceTeamRole) role: AssistanceTeamRole;
  @Field({ description: `1 to ${TEAM_NAME_MAX} characters / 姓名` }) @IsString() @MaxLength(TEAM_NAME_MAX) name: string;
  @Field(() => String, { nullable: true, description: "a staff member's identity user id (a SOCIAL_WORKER's gives it the case) / 工作人员账号ID" })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  staffUserId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(80) staffUsername?: string | null;
}

@InputType({ description: 'RS-6: remove a member from the assistance team, with the reason / 移出帮教小组成员' })
export class RemoveAssistanceTeamMemberInput {
  @Field(() => ID) @IsUUID() memberId: string;
  @Field({ description: `1 to ${TEAM_REASON_MAX} characters / 移出原因` }) @IsString() @MaxLength(TEAM_REASON_MAX) reason: string;
}

@InputType('AssistanceMeasureInput')
export class AssistanceMeasureInput {
  @Field(() => AssistanceMeasureKind) @IsEnum(AssistanceMeasureKind) kind: AssistanceMeasureKind;
  @Field({ description: `1 to ${PLAN_MEASURE_MAX} characters / 措施内容` }) @IsString() @MaxLength(PLAN_MEASURE_MAX) description: string;
}

@InputType({ description: 'RS-6: save the assistance plan (a new version) / 制定帮教方案' })
export class SetAssistancePlanInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field({ description: `1 to ${PLAN_GOALS_MAX} characters / 帮教目标` }) @IsString() @MaxLength(PLAN_GOALS_MAX) goals: string;
  @Field(() => [AssistanceMeasureInput]) @ArrayMinSize(1) @ArrayMaxSize(PLAN_MEASURES_MAX) @ValidateNested({ each: true }) @Type(() => AssistanceMeasureInput) measures: AssistanceMeasureInput[];
  @Field({ description: 'after today / 复核日期' }) @IsLocalDate(DATE_WINDOWS.schedule) reviewOn: string;
}

export function toTeamMemberType(m: AssistanceTeamMember): AssistanceTeamMemberType {
  return {
    id: m.id,
    caseId: m.caseId,
    role: m.role,
    roleLabel: ASSISTANCE_TEAM_ROLE_LABELS[m.role] ?? m.role,
    name: m.name,
    staffUserId: m.staffUserId,
    staffUsername: m.staffUsername,
    addedAt: m.addedAt,
    addedBy: m.addedBy,
    removedAt: m.removedAt,
    removedBy: m.removedBy,
    removalReason: m.removalReason,
  };
}

export function toPlanType(p: AssistancePlan): AssistancePlanType {
  return {
    id: p.id,
    caseId: p.caseId,
    version: p.version,
    goals: p.goals,
    measures: (JSON.parse(p.measuresJson) as AssistanceMeasure[]).map((m) => ({ kind: m.kind, kindLabel: ASSISTANCE_MEASURE_KIND_LABELS[m.kind] ?? m.kind, description: m.description })),
    reviewOn: p.reviewOn,
    recordedAt: p.createdAt,
    recordedBy: p.recordedBy,
  };
}
