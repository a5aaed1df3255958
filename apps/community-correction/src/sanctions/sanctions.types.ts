import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { SanctionKind } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate } from '@homeward/platform';

registerEnumType(SanctionKind, { name: 'SanctionKind', description: 'CC-11 训诫 / 警告 / 提请撤销' });

@ObjectType('Sanction', { description: 'CC-11 a sanction decided by an officer' })
export class SanctionType {
  @Field(() => ID)
  id: string;

  @Field(() => SanctionKind)
  kind: SanctionKind;

  @Field({ description: 'Chinese label' })
  kindLabel: string;

  @Field()
  decidedOn: string;

  @Field()
  reason: string;

  @Field()
  decidedBy: string;

  @Field()
  recordedBy: string;
}

@ObjectType('SuggestedSanction', { description: 'CC-11 the next step the ladder suggests (the officer decides)' })
export class SuggestedSanctionType {
  @Field(() => SanctionKind)
  kind: SanctionKind;

  @Field({ description: 'Chinese label' })
  label: string;

  @Field({ description: 'Why, in Chinese' })
  reason: string;

  @Field(() => Int)
  lateOrLostContactDays: number;
}

@ObjectType('Improvement', { description: 'CC-11 表现好转: sanctions before `since` no longer count' })
export class ImprovementType {
  @Field(() => ID)
  id: string;

  @Field()
  since: string;

  @Field()
  note: string;
}

@InputType()
export class RecordSanctionInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field(() => SanctionKind)
  @IsEnum(SanctionKind)
  kind: SanctionKind;

  @Field({ description: 'YYYY-MM-DD' })
  @IsLocalDate(DATE_WINDOWS.recorded)
  decidedOn: string;

  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;

  @Field({ description: 'Who decided (e.g. 县级社区矫正机构)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  decidedBy: string;
}

@InputType()
export class RecordImprovementInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field({ description: 'YYYY-MM-DD' })
  @IsLocalDate(DATE_WINDOWS.recorded)
  since: string;

  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  note: string;
}
