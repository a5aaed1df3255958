import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { townName } from '@homeward/domain';
import { ConnectionOf, DATE_WINDOWS, IsLocalDate, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import {
  ASSISTANCE_KIND_LABELS,
  ASSISTANCE_NEED_STATUS_LABELS,
  AssistanceKind,
  AssistanceNeed,
  AssistanceNeedStatus,
  DISPUTE_STATUS_LABELS,
  Dispute,
  DisputeStatus,
} from './assistance.entity';

const labelled = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, { description: v }]));
registerEnumType(AssistanceKind, { name: 'AssistanceKind', description: 'CC-18 帮扶救助类型', valuesMap: labelled(ASSISTANCE_KIND_LABELS) });
registerEnumType(AssistanceNeedStatus, { name: 'AssistanceNeedStatus', valuesMap: labelled(ASSISTANCE_NEED_STATUS_LABELS) });
registerEnumType(DisputeStatus, { name: 'DisputeStatus', valuesMap: labelled(DISPUTE_STATUS_LABELS) });

@ObjectType('AssistanceNeed', { description: 'CC-18 帮扶救助需求与落实' })
export class AssistanceNeedType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field(() => Town) town: Town;
  @Field(() => Person) person: Person;
  @Field(() => AssistanceKind) kind: AssistanceKind;
  @Field() kindLabel: string;
  @Field() description: string;
  @Field() recordedOn: string;
  @Field() recordedBy: string;
  @Field(() => AssistanceNeedStatus) status: AssistanceNeedStatus;
  @Field() statusLabel: string;
  @Field(() => String, { nullable: true }) givenOn: string | null;
  @Field(() => String, { nullable: true }) givenBy: string | null;
  @Field(() => String, { nullable: true }) givenNote: string | null;
}

@ObjectType('Dispute', { description: 'CC-18 矛盾纠纷' })
export class DisputeType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field(() => Town) town: Town;
  @Field(() => Person) person: Person;
  @Field() description: string;
  @Field() foundOn: string;
  @Field() foundBy: string;
  @Field(() => DisputeStatus) status: DisputeStatus;
  @Field() statusLabel: string;
  @Field(() => String, { nullable: true }) resolvedOn: string | null;
  @Field(() => String, { nullable: true }) resolution: string | null;
}

@ObjectType()
export class AssistanceNeedConnection extends ConnectionOf(AssistanceNeedType, 'AssistanceNeed') {}

@ObjectType()
export class DisputeConnection extends ConnectionOf(DisputeType, 'Dispute') {}

@ArgsType()
export class AssistanceNeedsArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() subjectId?: string;
  @Field(() => AssistanceNeedStatus, { nullable: true }) @IsOptional() @IsEnum(AssistanceNeedStatus) status?: AssistanceNeedStatus;
  @Field(() => AssistanceKind, { nullable: true }) @IsOptional() @IsEnum(AssistanceKind) kind?: AssistanceKind;
}

@ArgsType()
export class DisputesArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() subjectId?: string;
  @Field(() => DisputeStatus, { nullable: true }) @IsOptional() @IsEnum(DisputeStatus) status?: DisputeStatus;
}

@InputType({ description: 'CC-18: record a need / 登记帮扶需求' })
export class RecordAssistanceNeedInput {
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field(() => AssistanceKind) @IsEnum(AssistanceKind) kind: AssistanceKind;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) recordedOn?: string;
}

@InputType({ description: 'CC-18: assistance given / 落实帮扶' })
export class GiveAssistanceInput {
  @Field(() => ID) @IsUUID() needId: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) givenOn?: string;
  @Field(() => String, { nullable: true, description: 'who gave it (unit or person); default the caller' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(120) givenBy?: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) note: string;
}

@InputType({ description: 'CC-18: a dispute found / 排查矛盾纠纷' })
export class RecordDisputeInput {
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) foundOn?: string;
}

@InputType({ description: 'CC-18: a dispute resolved / 化解矛盾纠纷' })
export class ResolveDisputeInput {
  @Field(() => ID) @IsUUID() disputeId: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) resolution: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) resolvedOn?: string;
}

export function toNeedType(n: AssistanceNeed): AssistanceNeedType {
  return {
    id: n.id,
    subjectId: n.subjectId,
    town: { code: n.town, name: townName(n.town) },
    person: { key: n.personKey } as Person,
    kind: n.kind,
    kindLabel: ASSISTANCE_KIND_LABELS[n.kind],
    description: n.description,
    recordedOn: n.recordedOn,
    recordedBy: n.recordedBy,
    status: n.status,
    statusLabel: ASSISTANCE_NEED_STATUS_LABELS[n.status],
    givenOn: n.givenOn,
    givenBy: n.givenBy,
    givenNote: n.givenNote,
  };
}

export function toDisputeType(d: Dispute): DisputeType {
  return {
    id: d.id,
    subjectId: d.subjectId,
    town: { code: d.town, name: townName(d.town) },
    person: { key: d.personKey } as Person,
    description: d.description,
    foundOn: d.foundOn,
    foundBy: d.foundBy,
    status: d.status,
    statusLabel: DISPUTE_STATUS_LABELS[d.status],
    resolvedOn: d.resolvedOn,
    resolution: d.resolution,
  };
}
