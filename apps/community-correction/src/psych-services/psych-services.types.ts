import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { townName } from '@homeward/domain';
import { ConnectionOf, DATE_WINDOWS, IsLocalDate, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import { SocialOrganisation } from '../social-forces/social-forces.entity';
import { PSYCH_SERVICE_KIND_LABELS, PsychServiceKind, PsychServiceRecord } from './psych-service.entity';

registerEnumType(PsychServiceKind, {
  name: 'PsychServiceKind',
  description: 'CC-27 心理服务类别',
  valuesMap: Object.fromEntries(Object.entries(PSYCH_SERVICE_KIND_LABELS).map(([k, v]) => [k, { description: v }])),
});

@ObjectType('PsychServiceProvider', { description: 'CC-27 提供服务的社会组织（CC-22）' })
export class PsychServiceProviderType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() registrationNo: string;
}

@ObjectType('PsychServiceRecord', { description: 'CC-27 心理服务记录' })
export class PsychServiceRecordType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field(() => Person) person: Person;
  @Field(() => Town) town: Town;
  @Field(() => PsychServiceKind) kind: PsychServiceKind;
  @Field() kindLabel: string;
  @Field() servedOn: string;
  @Field(() => PsychServiceProviderType) provider: PsychServiceProviderType;
  @Field() notes: string;
  @Field({ description: 'crisis flag (心理危机): an ORANGE alert while set' }) crisis: boolean;
  @Field(() => String, { nullable: true }) crisisFlaggedOn: string | null;
  @Field(() => String, { nullable: true }) crisisClearedOn: string | null;
  @Field(() => String, { nullable: true }) crisisNote: string | null;
}

@ObjectType()
export class PsychServiceRecordConnection extends ConnectionOf(PsychServiceRecordType, 'PsychServiceRecord') {}

@ArgsType()
export class PsychServicesArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() subjectId?: string;
  @Field(() => PsychServiceKind, { nullable: true }) @IsOptional() @IsEnum(PsychServiceKind) kind?: PsychServiceKind;
  @Field(() => Boolean, { nullable: true, description: 'only records with (true) / without (false) the crisis flag' }) @IsOptional() @IsBoolean() crisis?: boolean;
}

@InputType({ description: 'CC-27: record a psychological service / 登记心理服务' })
export class RecordPsychServiceInput {
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field(() => PsychServiceKind) @IsEnum(PsychServiceKind) kind: PsychServiceKind;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) servedOn?: string;
  @Field(() => ID, { description: 'a registered, active social organisation (CC-22) / 登记在册的社会组织' }) @IsUUID() providerId: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(5000) notes: string;
  @Field(() => Boolean, { nullable: true, description: 'set the crisis flag at once / 同时标记心理危机' }) @IsOptional() @IsBoolean() crisis?: boolean;
}

@InputType({ description: 'CC-27: set the crisis flag / 标记心理危机' })
export class FlagPsychCrisisInput {
  @Field(() => ID) @IsUUID() recordId: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

@InputType({ description: 'CC-27: clear the crisis flag / 解除心理危机' })
export class ClearPsychCrisisInput {
  @Field(() => ID) @IsUUID() recordId: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) note: string;
}

export function toPsychServiceType(r: PsychServiceRecord, providers: ReadonlyMap<string, SocialOrganisation>): PsychServiceRecordType {
  const p = providers.get(r.providerId);
  return {
    id: r.id,
    subjectId: r.subjectId,
    person: { key: r.personKey } as Person,
    town: { code: r.town, name: townName(r.town) },
    kind: r.kind,
    kindLabel: PSYCH_SERVICE_KIND_LABELS[r.kind],
    servedOn: r.servedOn,
    provider: { id: r.providerId, name: p?.name ?? '', registrationNo: p?.registrationNo ?? '' },
    notes: r.notes,
    crisis: r.crisis,
    crisisFlaggedOn: r.crisisFlaggedOn,
    crisisClearedOn: r.crisisClearedOn,
    crisisNote: r.crisisNote,
  };
}
