import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { RISK_LEVEL_LABELS, RiskLevel, townName } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate, Town } from '@homeward/platform';
import { labelled } from '../cases/labelled';
import { TownListArgs } from '../releases/release.types';
import { PoliceHandOver, RiskAssessment } from './assessment.entity';

registerEnumType(RiskLevel, { name: 'ResettlementRiskLevel', description: 'RS-6 危险性评估等级', valuesMap: labelled(RISK_LEVEL_LABELS) });

@ObjectType('RiskAssessment', { description: 'RS-6 危险性评估' })
export class RiskAssessmentType {
  @Field(() => ID) id: string;
  @Field(() => ID) releaseId: string;
  @Field(() => Town) town: Town;
  @Field(() => RiskLevel) level: RiskLevel;
  @Field() levelLabel: string;
  @Field(() => [String]) factors: string[];
  @Field() assessedOn: string;
  @Field() onTime: boolean;
}

@ObjectType('PoliceHandOver', { description: 'RS-6 移交公安机关' })
export class PoliceHandOverType {
  @Field(() => ID) id: string;
  @Field(() => ID) releaseId: string;
  @Field(() => Town) town: Town;
  @Field() policeUnit: string;
  @Field() handedOverOn: string;
  @Field() onTime: boolean;
}

@ArgsType()
export class DueListArgs extends TownListArgs {
  @Field(() => Int, { defaultValue: 7, description: 'due within this many days, or late / 若干天内到期或已逾期' })
  @IsInt()
  @Min(0)
  @Max(60)
  withinDays: number;
}

@InputType({ description: 'RS-6: the risk assessment / 危险性评估' })
export class RecordRiskAssessmentInput {
  @Field(() => ID) @IsUUID() releaseId: string;
  @Field(() => RiskLevel) @IsEnum(RiskLevel) level: RiskLevel;
  @Field(() => [String]) @ArrayMinSize(1) @ArrayMaxSize(30) @IsString({ each: true }) @MaxLength(500, { each: true }) factors: string[];
  @Field(() => String, { nullable: true }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) assessedOn?: string | null;
}

@InputType({ description: 'RS-6: the key person handed to police for community control / 移交公安' })
export class RecordPoliceHandOverInput {
  @Field(() => ID) @IsUUID() releaseId: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) policeUnit: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) handedOverOn?: string | null;
}

const town = (code: string) => ({ code, name: townName(code) ?? code });

export function toRiskAssessmentType(a: RiskAssessment): RiskAssessmentType {
  return { id: a.id, releaseId: a.releaseId, town: town(a.town), level: a.level, levelLabel: RISK_LEVEL_LABELS[a.level], factors: JSON.parse(a.factorsJson) as string[], assessedOn: a.assessedOn, onTime: a.onTime };
}

export function toPoliceHandOverType(h: PoliceHandOver): PoliceHandOverType {
  return { id: h.id, releaseId: h.releaseId, town: town(h.town), policeUnit: h.policeUnit, handedOverOn: h.handedOverOn, onTime: h.onTime };
}
