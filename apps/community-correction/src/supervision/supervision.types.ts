import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { StrictReason, SupervisionLevel } from '@homeward/domain';

registerEnumType(SupervisionLevel, { name: 'SupervisionLevel', description: 'CC-8 严管 / 普管 / 宽管' });
registerEnumType(StrictReason, { name: 'StrictReason', description: 'CC-8 why the level is held at STRICT' });

@ObjectType('StrictReasonInfo')
export class StrictReasonType {
  @Field(() => StrictReason)
  reason: StrictReason;

  @Field({ description: 'Chinese label' })
  label: string;
}

@ObjectType('Supervision', { description: 'CC-8 监管等级 and its obligations *(cfg)*' })
export class SupervisionType {
  @Field(() => SupervisionLevel)
  level: SupervisionLevel;

  @Field({ description: 'Chinese label of the level (严管/普管/宽管)' })
  levelLabel: string;

  @Field()
  reason: string;

  @Field()
  highRisk: boolean;

  @Field(() => String, { nullable: true, description: 'Day the level took effect (null: STRICT from activation, not yet recorded)' })
  effectiveOn: string | null;

  @Field(() => [StrictReasonType], { description: 'Reasons that hold the subject at STRICT today (a lower level is refused while any holds)' })
  strictReasons: StrictReasonType[];

  @Field(() => Int)
  checkInIntervalDays: number;

  @Field(() => Float)
  educationHoursPerMonth: number;

  @Field(() => Float)
  communityServiceHoursPerMonth: number;
}

@ObjectType('SupervisionLevelChange', { description: 'CC-8 a level decision (history)' })
export class SupervisionLevelChangeType {
  @Field(() => ID)
  id: string;

  @Field(() => SupervisionLevel)
  level: SupervisionLevel;

  @Field()
  levelLabel: string;

  @Field()
  reason: string;

  @Field()
  highRisk: boolean;

  @Field()
  effectiveOn: string;

  @Field()
  decidedBy: string;

  @Field()
  createdAt: Date;
}

@InputType({ description: 'CC-25: the organised-crime flag (涉黑涉恶) / 涉黑涉恶标记' })
export class SetOrganisedCrimeFlagInput {
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field() @IsBoolean() flagged: boolean;
  @Field({ description: 'why (the judgment, a correction of the record) / 依据' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

@InputType()
export class SetSupervisionLevelInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field(() => SupervisionLevel)
  @IsEnum(SupervisionLevel)
  level: SupervisionLevel;

  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  @Field(() => Boolean, { nullable: true, description: 'Risk assessment: high risk holds STRICT (CC-8); unchanged when omitted' })
  @IsOptional()
  @IsBoolean()
  highRisk?: boolean;
}
