import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { SENTENCE_TYPE_LABELS, townName } from '@homeward/domain';
import { ConnectionOf, DATE_WINDOWS, IsLocalDate, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import {
  INVESTIGATION_OPINION_LABELS,
  INVESTIGATION_STATUS_LABELS,
  Investigation,
  InvestigationOpinion,
  InvestigationStatus,
} from './investigation.entity';

const labelled = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, { description: v }]));
registerEnumType(InvestigationStatus, { name: 'InvestigationStatus', valuesMap: labelled(INVESTIGATION_STATUS_LABELS) });
registerEnumType(InvestigationOpinion, { name: 'InvestigationOpinion', description: 'CC-14 评估意见', valuesMap: labelled(INVESTIGATION_OPINION_LABELS) });

@ObjectType('Investigation', { description: 'CC-14 调查评估' })
export class InvestigationType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field(() => Person) person: Person;
  @Field() name: string;
  @Field() maskedIdNumber: string;
  @Field() requesterAgencyKind: string;
  @Field() requestingDocumentNo: string;
  @Field() proposedSentenceType: string;
  @Field() proposedSentenceTypeLabel: string;
  @Field() expedited: boolean;
  @Field() offence: string;
  @Field() receivedDate: string;
  @Field() originalDueDate: string;
  @Field() dueDate: string;
  @Field(() => String, { nullable: true }) extensionReason: string | null;
  @Field(() => InvestigationStatus) status: InvestigationStatus;
  @Field() statusLabel: string;
  @Field({ description: 'pending and past the due date / 逾期' }) overdue: boolean;
  @Field(() => InvestigationOpinion, { nullable: true }) opinion: InvestigationOpinion | null;
  @Field(() => String, { nullable: true }) opinionLabel: string | null;
  @Field(() => String, { nullable: true }) summary: string | null;
  @Field(() => String, { nullable: true }) report: string | null;
  @Field(() => String, { nullable: true }) completedOn: string | null;
  @Field() receivedAt: Date;
}

@ObjectType()
export class InvestigationConnection extends ConnectionOf(InvestigationType, 'Investigation') {}

@ArgsType()
export class InvestigationsArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => InvestigationStatus, { nullable: true }) @IsOptional() @IsEnum(InvestigationStatus) status?: InvestigationStatus;
}

@InputType()
export class AssignInvestigationTownInput {
  @Field(() => ID) @IsUUID() investigationId: string;
  @Field() @IsTownCode() town: string;
}

@InputType({ description: 'CC-14: a new due date agreed with the requester / 经协商延期' })
export class ExtendInvestigationInput {
  @Field(() => ID) @IsUUID() investigationId: string;
  @Field() @IsLocalDate(DATE_WINDOWS.schedule) newDueDate: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

@InputType({ description: 'CC-14: the opinion and the report / 评估意见与报告' })
export class CompleteInvestigationInput {
  @Field(() => ID) @IsUUID() investigationId: string;
  @Field(() => InvestigationOpinion) @IsEnum(InvestigationOpinion) opinion: InvestigationOpinion;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) summary: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(100_000) report: string;
}

export function toInvestigationType(i: Investigation, today: string): InvestigationType {
  return {
    id: i.id,
    town: { code: i.town, name: townName(i.town) },
    person: { key: i.personKey, maskedIdNumber: i.maskedIdNumber } as Person,
    name: i.name,
    maskedIdNumber: i.maskedIdNumber,
    requesterAgencyKind: i.requesterAgencyKind,
    requestingDocumentNo: i.requestingDocumentNo,
    proposedSentenceType: i.proposedSentenceType,
    proposedSentenceTypeLabel: SENTENCE_TYPE_LABELS[i.proposedSentenceType],
    expedited: i.expedited,
    offence: i.offence,
    receivedDate: i.receivedDate,
    originalDueDate: i.originalDueDate,
    dueDate: i.dueDate,
    extensionReason: i.extensionReason,
    status: i.status,
    statusLabel: INVESTIGATION_STATUS_LABELS[i.status],
    overdue: i.status === InvestigationStatus.PENDING && i.dueDate < today,
    opinion: i.opinion,
    opinionLabel: i.opinion ? INVESTIGATION_OPINION_LABELS[i.opinion] : null,
    summary: i.summary,
    report: i.report,
    completedOn: i.completedOn,
    receivedAt: i.createdAt,
  };
}
