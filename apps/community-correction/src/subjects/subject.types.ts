import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { CorrectionStatus, SentenceType, SuspendedPenalty } from '@homeward/domain';
import { ConnectionOf, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import { CorrectionPeriodConflictType } from './sentence-review.types';

registerEnumType(CorrectionStatus, { name: 'CorrectionStatus', description: 'CC-2 lifecycle' });
registerEnumType(SentenceType, { name: 'SentenceType', description: 'CC-1 sentence types' });

@ObjectType('CorrectionSubject', { description: '社区矫正对象' })
export class CorrectionSubjectType {
  @Field(() => ID)
  id: string;

  @Field(() => CorrectionStatus)
  status: CorrectionStatus;

  @Field({ description: 'Chinese label of the status' })
  statusLabel: string;

  @Field(() => SentenceType)
  sentenceType: SentenceType;

  @Field({ description: 'Chinese label of the sentence type' })
  sentenceTypeLabel: string;

  @Field()
  name: string;

  @Field()
  gender: string;

  @Field(() => Town)
  town: Town;

  @Field(() => Person)
  person: Person;

  @Field({ description: 'CC-4: last day to report in (judgment effective date + 10 days)' })
  reportDeadline: string;

  @Field()
  judgmentDocumentNo: string;

  @Field()
  judgmentEffectiveDate: string;

  @Field()
  correctionStartDate: string;

  @Field()
  correctionEndDate: string;

  @Field()
  offence: string;

  @Field()
  decidingAuthority: string;

  @Field(() => String, { nullable: true })
  reportedOn: string | null;

  @Field(() => Int, { nullable: true, description: 'CC-4: days the report-in came after the deadline (0 on time); null until reported / 逾期报到天数' })
  reportDaysLate: number | null;

  @Field(() => String, { nullable: true, description: 'CC-5: the day the subject became ACTIVE / 入矫日期' })
  activatedOn: string | null;

  @Field(() => String, { nullable: true, description: 'CC-2: the day correction ended / 解除或终止日期' })
  endedOn: string | null;

  @Field(() => String, { nullable: true, description: 'CC-2: DischargeReason (EXPIRED, PARDONED) or TerminationReason (REVOKED, COMMITTED, DECEASED)' })
  endReason: string | null;

  @Field(() => String, { nullable: true, description: 'Chinese label of the end reason' })
  endReasonLabel: string | null;

  @Field({ description: 'CC-2: ABSCONDED flag (脱管) on an ACTIVE subject' })
  absconded: boolean;

  @Field(() => String, { nullable: true, description: 'CC-2: the day contact was lost, while absconded / 失去联系日期' })
  lostContactOn: string | null;

  @Field({ description: 'CC-25: convicted in an organised-crime case (涉黑涉恶): STRICT for the whole term' })
  organisedCrime: boolean;

  @Field(() => SuspendedPenalty, { nullable: true, description: 'CC-6, PROBATION: the penalty suspended; null = not stated / 缓刑所附主刑' })
  suspendedPenalty: SuspendedPenalty | null;

  @Field(() => Int, { nullable: true, description: 'CC-6: the suspended term in months / 原判刑期（月）' })
  suspendedTermMonths: number | null;

  @Field({ description: 'CC-6: a probation whose suspended penalty is still to be completed by the officer / 待补录所附主刑' })
  sentenceDetailsMissing: boolean;

  @Field({ description: 'CC-6: 管制 for several offences combined (数罪并罚)' })
  combinedSentences: boolean;

  @Field(() => Int, { description: 'CC-6: days of 管制 credited for pre-trial detention / 羁押折抵天数' })
  detentionCreditDays: number;

  @Field(() => CorrectionPeriodConflictType, { nullable: true, description: 'CC-6: the stored period does not fit the sentence / 矫正期限冲突' })
  periodConflict: CorrectionPeriodConflictType | null;

  @Field(() => String, { nullable: true, description: 'CC-3: the day the enrolment notice arrived / 通知送达日期' })
  notifiedOn: string | null;

  @Field(() => String, { nullable: true, description: 'CC-3: last day of the 5-day notice / 通知期限' })
  noticeDeadline: string | null;

  @Field(() => Int, { nullable: true, description: 'CC-3: days the notice came late (0 on time) / 通知逾期天数' })
  noticeDaysLate: number | null;

  @Field()
  enrolledAt: Date;
}

@ObjectType()
export class CorrectionSubjectConnection extends ConnectionOf(CorrectionSubjectType, 'CorrectionSubject') {}

@ArgsType()
export class CorrectionSubjectsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'town code; default all towns of the caller' })
  @IsOptional()
  @IsString()
  @IsTownCode()
  town?: string;

  @Field(() => CorrectionStatus, { nullable: true })
  @IsOptional()
  @IsEnum(CorrectionStatus)
  status?: CorrectionStatus;
}
