import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { RESTORATIVE_CASE_STATUS_LABELS, RESTORATIVE_QUALITY_LABELS, RestorativeCaseStatus, RestorativeQuality, townName } from '@homeward/domain';
import { ConnectionOf, DATE_WINDOWS, IsLocalDate, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import { RestorativeCase, RestorativeServiceLog } from './restorative-case.entity';

const labelled = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, { description: v }]));
registerEnumType(RestorativeCaseStatus, { name: 'RestorativeCaseStatus', description: 'CC-17 损害修复案件环节', valuesMap: labelled(RESTORATIVE_CASE_STATUS_LABELS) });
registerEnumType(RestorativeQuality, { name: 'RestorativeQuality', description: 'CC-17 质量评估等级', valuesMap: labelled(RESTORATIVE_QUALITY_LABELS) });

@ObjectType('RestorativeServiceLog', { description: 'CC-17 社区服务监督记录' })
export class RestorativeServiceLogType {
  @Field(() => ID) id: string;
  @Field() serviceDate: string;
  @Field(() => Float) hours: number;
  @Field() note: string;
  @Field() supervisedBy: string;
}

@ObjectType('RestorativeCase', { description: 'CC-17 损害修复案件' })
export class RestorativeCaseType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field(() => Town) town: Town;
  @Field(() => Person) person: Person;
  @Field(() => RestorativeCaseStatus) status: RestorativeCaseStatus;
  @Field() statusLabel: string;
  @Field() harmDescription: string;
  @Field() openedOn: string;
  @Field(() => String, { nullable: true }) assessmentNote: string | null;
  @Field(() => String, { nullable: true }) assessedOn: string | null;
  @Field(() => String, { nullable: true }) victimNote: string | null;
  @Field(() => String, { nullable: true }) plan: string | null;
  @Field(() => String, { nullable: true }) serviceStartedOn: string | null;
  @Field(() => Float) serviceHours: number;
  @Field(() => RestorativeQuality, { nullable: true }) quality: RestorativeQuality | null;
  @Field(() => String, { nullable: true }) qualityLabel: string | null;
  @Field(() => String, { nullable: true }) evaluationNote: string | null;
  @Field(() => String, { nullable: true }) evaluatedOn: string | null;
  @Field({ description: '优秀案例' }) excellent: boolean;
  @Field(() => String, { nullable: true }) excellentOn: string | null;
}

@ObjectType()
export class RestorativeCaseConnection extends ConnectionOf(RestorativeCaseType, 'RestorativeCase') {}

@ObjectType('RestorativeExcellence', { description: 'CC-17 target: ≥ 1 excellent case in the second half-year per justice office / 下半年优秀案例' })
export class RestorativeExcellenceType {
  @Field(() => Town) town: Town;
  @Field(() => Int) excellentCases: number;
  @Field(() => Int) target: number;
  @Field() met: boolean;
}

@ArgsType()
export class RestorativeCasesArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() subjectId?: string;
  @Field(() => RestorativeCaseStatus, { nullable: true }) @IsOptional() @IsEnum(RestorativeCaseStatus) status?: RestorativeCaseStatus;
}

@ArgsType()
export class RestorativeExcellenceArgs {
  @Field(() => Int) @IsInt() @Min(2000) @Max(2100) year: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
}

@InputType()
export class OpenRestorativeCaseInput {
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field({ description: 'the harm to repair / 损害情况' }) @IsString() @IsNotEmpty() @MaxLength(2000) harmDescription: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) openedOn?: string;
}

@InputType({ description: 'CC-17 适宜性评估' })
export class AssessRestorativeCaseInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field() @IsBoolean() suitable: boolean;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) note: string;
}

@InputType({ description: 'CC-17 被害人参与' })
export class RestorativeVictimInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field() @IsBoolean() agrees: boolean;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) note: string;
}

@InputType({ description: 'CC-17 修复方案' })
export class RestorativePlanInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(20_000) plan: string;
}

@InputType({ description: 'CC-17 社区服务监督记录' })
export class RestorativeServiceInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) serviceDate: string;
  @Field(() => Float) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.25) @Max(24) hours: number;
  @Field() @IsString() @IsNotEmpty() @MaxLength(1000) note: string;
}

@InputType({ description: 'CC-17 质量评估' })
export class EvaluateRestorativeCaseInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field(() => RestorativeQuality) @IsEnum(RestorativeQuality) quality: RestorativeQuality;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) note: string;
}

export function toRestorativeCaseType(c: RestorativeCase): RestorativeCaseType {
  return {
    id: c.id,
    subjectId: c.subjectId,
    town: { code: c.town, name: townName(c.town) },
    person: { key: c.personKey } as Person,
    status: c.status,
    statusLabel: RESTORATIVE_CASE_STATUS_LABELS[c.status],
    harmDescription: c.harmDescription,
    openedOn: c.openedOn,
    assessmentNote: c.assessmentNote,
    assessedOn: c.assessedOn,
    victimNote: c.victimNote,
    plan: c.plan,
    serviceStartedOn: c.serviceStartedOn,
    serviceHours: Number(c.serviceHours),
    quality: c.quality,
    qualityLabel: c.quality ? RESTORATIVE_QUALITY_LABELS[c.quality] : null,
    evaluationNote: c.evaluationNote,
    evaluatedOn: c.evaluatedOn,
    excellent: c.excellent,
    excellentOn: c.excellentOn,
  };
}

export function toServiceLogType(l: RestorativeServiceLog): RestorativeServiceLogType {
  return { id: l.id, serviceDate: l.serviceDate, hours: Number(l.hours), note: l.note, supervisedBy: l.supervisedBy };
}
