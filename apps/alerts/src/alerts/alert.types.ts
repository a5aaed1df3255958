import { ArgsType, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { AlertState, RiskColour } from '@homeward/domain';
import { ConnectionOf, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';

registerEnumType(AlertState, { name: 'AlertState', description: 'AL-1' });
registerEnumType(RiskColour, { name: 'RiskColour', description: '四色预警' });

@ObjectType('AlertDeadLetter', { description: 'AL-7: the dead-lettered event behind an operations alert / 死信事件' })
export class AlertDeadLetterType {
  @Field({ description: 'the service whose handler failed' })
  service: string;

  @Field(() => ID)
  eventId: string;

  @Field()
  eventName: string;

  @Field()
  handler: string;

  @Field({ description: 'first 500 characters of the last error / 最后一次错误' })
  error: string;
}

@ObjectType('Alert', { description: '预警' })
export class AlertType {
  @Field(() => ID)
  id: string;

  @Field({ description: 'rule code, e.g. CC-4.NOT_REPORTED' })
  rule: string;

  @Field({ description: 'Chinese label of the rule' })
  ruleLabel: string;

  @Field(() => RiskColour)
  colour: RiskColour;

  @Field()
  colourLabel: string;

  @Field(() => AlertState)
  state: AlertState;

  @Field()
  stateLabel: string;

  @Field(() => Town, { nullable: true })
  town: Town | null;

  @Field(() => Person, { nullable: true })
  person: Person | null;

  @Field()
  recordType: string;

  @Field()
  recordId: string;

  @Field()
  raisedAt: Date;

  @Field(() => Date, { nullable: true, description: 'AL-2: acknowledge by' })
  dueBy: Date | null;

  @Field(() => Date, { nullable: true })
  acknowledgedAt: Date | null;

  @Field(() => Date, { nullable: true })
  resolvedAt: Date | null;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => AlertDeadLetterType, { nullable: true, description: 'AL-7: for an operations alert of a dead-lettered event, the event (retry: retryOperationsAlert)' })
  deadLetter?: AlertDeadLetterType | null;
}

@ObjectType()
export class AlertConnection extends ConnectionOf(AlertType, 'Alert') {}

@ArgsType()
export class AlertsArgs extends PageArgs {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @IsTownCode()
  town?: string;

  @Field(() => AlertState, { nullable: true })
  @IsOptional()
  @IsEnum(AlertState)
  state?: AlertState;
}

@ArgsType()
export class ResolveAlertArgs {
  @Field(() => ID)
  @IsString()
  id: string;

  @Field({ description: 'what was done (required)' })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  note: string;
}
