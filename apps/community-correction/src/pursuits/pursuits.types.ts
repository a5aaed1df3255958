import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DATE_WINDOWS, IsLocalDate, IsTownCode } from '@homeward/platform';

export enum PursuitKind {
  ABSCONDED = 'ABSCONDED',
  SENTENCE_NOT_EXECUTED = 'SENTENCE_NOT_EXECUTED',
}
export enum PursuitStatus {
  REQUESTED = 'REQUESTED',
  FOUND = 'FOUND',
  RETURNED = 'RETURNED',
}
export enum PursuitOutcome {
  FOUND = 'FOUND',
  RETURNED = 'RETURNED',
}
export enum CustodyProposalKind {
  REVOCATION = 'REVOCATION',
  COMMITMENT = 'COMMITMENT',
}
export enum CustodyDecision {
  GRANTED = 'GRANTED',
  REFUSED = 'REFUSED',
}

export const PURSUIT_KIND_LABELS: Record<PursuitKind, string> = { ABSCONDED: '脱管追逃', SENTENCE_NOT_EXECUTED: '判实刑未执行' };
export const PURSUIT_STATUS_LABELS: Record<PursuitStatus, string> = { REQUESTED: '已提请追逃', FOUND: '已查获', RETURNED: '已收监或归案' };
export const PURSUIT_OUTCOME_LABELS: Record<PursuitOutcome, string> = { FOUND: '已查获', RETURNED: '已收监或归案' };
export const CUSTODY_PROPOSAL_KIND_LABELS: Record<CustodyProposalKind, string> = { REVOCATION: '撤销缓刑/假释建议', COMMITMENT: '收监执行建议' };
export const CUSTODY_DECISION_LABELS: Record<CustodyDecision, string> = { GRANTED: '裁定准许', REFUSED: '裁定不予准许' };

for (const [e, name, labels] of [
  [PursuitKind, 'PursuitKind', PURSUIT_KIND_LABELS],
  [PursuitStatus, 'PursuitStatus', PURSUIT_STATUS_LABELS],
  [PursuitOutcome, 'PursuitOutcome', PURSUIT_OUTCOME_LABELS],
  [CustodyProposalKind, 'CustodyProposalKind', CUSTODY_PROPOSAL_KIND_LABELS],
  [CustodyDecision, 'CustodyDecision', CUSTODY_DECISION_LABELS],
] as const) {
  registerEnumType(e, { name, description: `CC-24 ${Object.values(labels).join(' / ')}`, valuesMap: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, { description: v }])) });
}

@ObjectType('PursuitRequest', { description: 'CC-24 追逃' })
export class PursuitRequestType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field(() => PursuitKind) kind: PursuitKind;
  @Field() kindLabel: string;
  @Field() requestedOn: string;
  @Field() policeUnit: string;
  @Field(() => PursuitStatus) status: PursuitStatus;
  @Field() statusLabel: string;
  @Field(() => String, { nullable: true }) foundOn: string | null;
  @Field(() => String, { nullable: true }) returnedOn: string | null;
}

@ObjectType('CustodyProposal', { description: 'CC-24 撤销缓刑/假释建议、收监执行建议' })
export class CustodyProposalType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field(() => CustodyProposalKind) kind: CustodyProposalKind;
  @Field() kindLabel: string;
  @Field() grounds: string;
  @Field() sentTo: string;
  @Field() sentOn: string;
  @Field(() => CustodyDecision, { nullable: true }) decision: CustodyDecision | null;
  @Field(() => String, { nullable: true }) decisionLabel: string | null;
  @Field(() => String, { nullable: true }) decidedOn: string | null;
  @Field(() => String, { nullable: true }) decisionDocumentNo: string | null;
}

@ObjectType('ResidenceDispute', { description: 'CC-24 居住地争议' })
export class ResidenceDisputeType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field() raisedOn: string;
  @Field() designatingAuthority: string;
  @Field(() => String, { nullable: true }) designatedTown: string | null;
  @Field(() => String, { nullable: true }) decision: string | null;
  @Field(() => String, { nullable: true }) decidedOn: string | null;
}

@InputType({ description: 'CC-24: report to police for pursuit / 提请追逃' })
export class RequestPursuitInput {
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field(() => PursuitKind, { defaultValue: PursuitKind.ABSCONDED }) @IsEnum(PursuitKind) kind: PursuitKind;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) policeUnit: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) requestedOn?: string;
}

@InputType()
export class RecordPursuitOutcomeInput {
  @Field(() => ID) @IsUUID() pursuitId: string;
  @Field(() => PursuitOutcome) @IsEnum(PursuitOutcome) status: PursuitOutcome;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) on: string;
}

@InputType({ description: 'CC-24: revocation or commitment proposal / 撤销缓刑假释或收监执行建议' })
export class SubmitCustodyProposalInput {
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field(() => CustodyProposalKind) @IsEnum(CustodyProposalKind) kind: CustodyProposalKind;
  @Field({ description: 'the grounds (CC-11) / 建议理由' }) @IsString() @IsNotEmpty() @MaxLength(5000) grounds: string;
  @Field({ description: 'the court or deciding body / 受理机关' }) @IsString() @IsNotEmpty() @MaxLength(200) sentTo: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) sentOn?: string;
}

@InputType()
export class RecordCustodyDecisionInput {
  @Field(() => ID) @IsUUID() proposalId: string;
  @Field() @IsBoolean() granted: boolean;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) decidedOn: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(120) documentNo?: string;
}

@InputType({ description: 'CC-24: a residence dispute / 居住地争议' })
export class RaiseResidenceDisputeInput {
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field({ description: 'the designating authority / 指定机关' }) @IsString() @IsNotEmpty() @MaxLength(200) designatingAuthority: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) raisedOn?: string;
}

@InputType()
export class DecideResidenceDisputeInput {
  @Field(() => ID) @IsUUID() disputeId: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(500) decision: string;
  @Field(() => String, { nullable: true, description: 'the Jiangyin town designated, if any' }) @IsOptional() @IsTownCode() designatedTown?: string;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) decidedOn: string;
}
