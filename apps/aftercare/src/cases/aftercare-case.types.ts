import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import {
  AFTERCARE_CASE_STATUS_LABELS,
  AftercareCaseStatus,
  CLOSURE_REASON_LABELS,
  ClosureReason,
  DRUG_TEST_RESULT_LABELS,
  DrugTestResult,
  FOLLOW_UP_KIND_LABELS,
  FollowUpKind,
  daysBetween,
  townName,
} from '@homeward/domain';
import { ConnectionOf, DATE_WINDOWS, IsLocalDate, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import { AftercareCase } from './aftercare-case.entity';

/** The Chinese label of each enum value as its GraphQL description (registerEnumType's valuesMap). */
const labelled = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, { description: v }]));

registerEnumType(AftercareCaseStatus, { name: 'AftercareCaseStatus', description: '后续照管状态', valuesMap: labelled(AFTERCARE_CASE_STATUS_LABELS) });
registerEnumType(FollowUpKind, { name: 'AftercareFollowUpKind', description: 'AC-3 回访方式', valuesMap: labelled(FOLLOW_UP_KIND_LABELS) });
registerEnumType(DrugTestResult, { name: 'DrugTestResult', description: 'AC-3 / AC-4 尿检结果', valuesMap: labelled(DRUG_TEST_RESULT_LABELS) });
registerEnumType(ClosureReason, { name: 'AftercareClosureReason', description: 'AC-5 解除原因', valuesMap: labelled(CLOSURE_REASON_LABELS) });

@ObjectType('AftercareCase', { description: '后续照管对象' })
export class AftercareCaseType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field(() => Person) person: Person;
  @Field() centre: string;
  @Field() releaseDate: string;
  @Field(() => AftercareCaseStatus) status: AftercareCaseStatus;
  @Field() statusLabel: string;
  @Field() keyPerson: boolean;
  @Field({ description: 'AC-5 社区康复' }) communityRehabilitation: boolean;
  @Field({ nullable: true, description: 'AC-2: first contact due by' }) contactDue?: string;
  @Field({ nullable: true }) firstContactOn?: string;
  @Field({ nullable: true }) lastRelapseOn?: string;
  @Field({ nullable: true }) closedOn?: string;
  @Field({ nullable: true }) closureReason?: string;
  @Field(() => Int, { description: 'days since release (negative before it) / 解戒天数' }) daysSinceRelease: number;
  /** The row itself, for the case page's fields (not in the schema). */
  row: AftercareCase;
}

export function toCaseType(c: AftercareCase, today: string): AftercareCaseType {
  // Read through the caller's towns only: a case in the city queue (town null) is never among them.
  const town = c.town as string;
  return {
    id: c.id,
    town: { code: town, name: townName(town) ?? town },
    person: { key: c.personKey },
    centre: c.centre,
    releaseDate: c.releaseDate,
    status: c.status,
    statusLabel: AFTERCARE_CASE_STATUS_LABELS[c.status] ?? c.status,
    keyPerson: c.keyPerson,
    communityRehabilitation: c.communityRehabilitation,
    contactDue: c.contactDue ?? undefined,
    firstContactOn: c.firstContactOn ?? undefined,
    lastRelapseOn: c.lastRelapseOn ?? undefined,
    closedOn: c.closedOn ?? undefined,
    closureReason: c.closureReason ?? undefined,
    daysSinceRelease: daysBetween(c.releaseDate, today),
    row: c,
  };
}

@ObjectType()
export class AftercareCaseConnection extends ConnectionOf(AftercareCaseType, 'AftercareCase') {}

@ArgsType()
export class AftercareListArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'one of the caller\'s towns / 限定镇街' }) @IsOptional() @IsTownCode() town?: string;
}

@ArgsType()
export class AftercareCasesOfPersonArgs {
  @Field({ description: 'the person key (HMAC of the ID number) / 人员键' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'personKey must be 64 hex digits / 人员键应为64位十六进制' })
  personKey: string;
}

@InputType({ description: 'AC-2: the first contact enrols the subject / 首次对接（纳管）' })
export class RecordAftercareContactInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field({ description: 'the day contact was made / 对接日期' }) @IsLocalDate(DATE_WINDOWS.recorded) contactedOn: string;
  @Field({ description: 'the contact card (联系卡) was handed over that day' }) @IsBoolean() contactCardIssued: boolean;
}

@InputType({ description: 'AC-2: the contact card handed over after the first contact / 发放联系卡' })
export class IssueAftercareContactCardInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field({ description: 'the day it was handed over / 发放日期' }) @IsLocalDate(DATE_WINDOWS.recorded) issuedOn: string;
}

@InputType({ description: 'AC-3: a monthly PHONE or quarterly FACE_TO_FACE follow-up / 登记回访' })
export class RecordAftercareFollowUpInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field(() => FollowUpKind) @IsEnum(FollowUpKind) kind: FollowUpKind;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) heldOn: string;
  @Field() @IsBoolean() contactMade: boolean;
  @Field({ description: '近况' }) @IsString() @IsNotEmpty() @MaxLength(4000) situation: string;
  @Field(() => String, { nullable: true, description: '困难' }) @IsOptional() @IsString() @MaxLength(4000) hardship?: string | null;
  @Field(() => String, { nullable: true, description: '帮扶措施' }) @IsOptional() @IsString() @MaxLength(4000) assistance?: string | null;
  @Field(() => DrugTestResult) @IsEnum(DrugTestResult) drugTest: DrugTestResult;
}

@InputType({ description: 'AC-4: a relapse police reported without a test here / 公安通报复吸' })
export class MarkAftercareRelapseInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) relapsedOn: string;
}

@InputType({ description: 'AC-5: close the case / 解除后续照管' })
export class CloseAftercareCaseInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field(() => ClosureReason) @IsEnum(ClosureReason) reason: ClosureReason;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) closedOn: string;
}
