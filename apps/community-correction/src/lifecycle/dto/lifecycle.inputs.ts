import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { ArrayMinSize, ArrayUnique, IsBoolean, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { DischargeReason, IntakeItem, TerminationReason } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate } from '@homeward/platform';

registerEnumType(IntakeItem, { name: 'IntakeItem', description: 'CC-5 intake checklist item (labels: IntakeChecklistEntry.label)' });
registerEnumType(DischargeReason, { name: 'DischargeReason', description: 'CC-2: EXPIRED 矫正期满 / PARDONED 赦免' });
registerEnumType(TerminationReason, { name: 'TerminationReason', description: 'CC-2: REVOKED 撤销缓刑/假释 / COMMITTED 收监执行 / DECEASED 死亡' });

@InputType({ description: 'CC-4 报到' })
export class RecordReportInInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field({ description: 'the day the subject reported in (YYYY-MM-DD)' })
  @IsLocalDate(DATE_WINDOWS.recorded)
  reportedOn: string;
}

@InputType({ description: 'CC-5: tick items of the intake checklist' })
export class TickIntakeItemsInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field(() => [IntakeItem])
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(IntakeItem, { each: true })
  items: IntakeItem[];

  @Field({ description: 'the day the items were done (YYYY-MM-DD)' })
  @IsLocalDate(DATE_WINDOWS.recorded)
  doneOn: string;
}

@InputType({ description: 'CC-5 入矫' })
export class ActivateSubjectInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field({ description: 'the day correction starts in practice (YYYY-MM-DD)' })
  @IsLocalDate(DATE_WINDOWS.recorded)
  on: string;
}

@InputType({ description: 'CC-2 解除矫正' })
export class DischargeSubjectInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field(() => DischargeReason)
  @IsEnum(DischargeReason)
  reason: DischargeReason;

  @Field()
  @IsLocalDate(DATE_WINDOWS.recorded)
  on: string;
}

@InputType({ description: 'CC-2 终止矫正' })
export class TerminateSubjectInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field(() => TerminationReason)
  @IsEnum(TerminationReason)
  reason: TerminationReason;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'ended because of a new offence (K-CC5 re-offending) / 因重新犯罪' })
  @IsOptional()
  @IsBoolean()
  newOffence?: boolean;

  @Field()
  @IsLocalDate(DATE_WINDOWS.recorded)
  on: string;
}

@InputType({ description: 'CC-2 脱管: contact lost' })
export class MarkAbscondedInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field()
  @IsLocalDate(DATE_WINDOWS.recorded)
  lostContactOn: string;
}

@InputType({ description: 'CC-2: absconded subject found' })
export class ClearAbscondedInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field()
  @IsLocalDate(DATE_WINDOWS.recorded)
  foundOn: string;
}
