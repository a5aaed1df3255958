import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { EMPLOYMENT_SERVICE_KIND_LABELS, EmploymentServiceKind, ResettlementStatus, WELFARE_KIND_LABELS, WelfareKind, townName } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate, Town } from '@homeward/platform';
import { labelled } from '../cases/labelled';
import { EmploymentService, WelfareReferral, WelfareReferralStatus } from './welfare.entity';

registerEnumType(WelfareKind, { name: 'WelfareKind', description: 'RS-7 救助类别', valuesMap: labelled(WELFARE_KIND_LABELS) });
registerEnumType(EmploymentServiceKind, { name: 'EmploymentServiceKind', description: 'RS-7 就业服务', valuesMap: labelled(EMPLOYMENT_SERVICE_KIND_LABELS) });

export const WELFARE_REFERRAL_STATUS_LABELS: Record<WelfareReferralStatus, string> = { REFERRED: '已转介', GRANTED: '已获批', REFUSED: '未获批', ENDED: '已终止' };

@ObjectType('WelfareReferral', { description: 'RS-7 社会救助转介' })
export class WelfareReferralType {
  @Field(() => ID) id: string;
  @Field(() => ID) caseId: string;
  @Field(() => Town) town: Town;
  @Field(() => WelfareKind) kind: WelfareKind;
  @Field() kindLabel: string;
  @Field({ description: 'REFERRED, GRANTED, REFUSED or ENDED' }) status: string;
  @Field() statusLabel: string;
  @Field() referredOn: string;
  @Field(() => String, { nullable: true }) decidedOn: string | null;
  @Field(() => String, { nullable: true }) note: string | null;
}

@ObjectType('EmploymentService', { description: 'RS-7 就业服务' })
export class EmploymentServiceType {
  @Field(() => ID) id: string;
  @Field(() => ID) caseId: string;
  @Field(() => EmploymentServiceKind) kind: EmploymentServiceKind;
  @Field() kindLabel: string;
  @Field() providedOn: string;
  @Field(() => String, { nullable: true }) note: string | null;
}

@InputType({ description: 'RS-7: refer the person to a welfare scheme / 社会救助转介' })
export class ReferWelfareInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field(() => WelfareKind) @IsEnum(WelfareKind) kind: WelfareKind;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) note?: string | null;
}

@InputType({ description: 'RS-7: the scheme\'s decision (GRANTED, REFUSED; ENDED after GRANTED) / 救助结果' })
export class DecideWelfareReferralInput {
  @Field(() => ID) @IsUUID() referralId: string;
  @Field(() => String, { description: 'GRANTED, REFUSED or ENDED' }) @IsIn(['GRANTED', 'REFUSED', 'ENDED']) status: WelfareReferralStatus;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) note?: string | null;
}

@InputType({ description: 'RS-7: an employment service given / 就业服务' })
export class RecordEmploymentServiceInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field(() => EmploymentServiceKind) @IsEnum(EmploymentServiceKind) kind: EmploymentServiceKind;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) providedOn: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) note?: string | null;
}

@InputType({ description: 'RS-7: the resettlement status since a day / 安置情况' })
export class SetResettlementStatusInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field(() => ResettlementStatus) @IsEnum(ResettlementStatus) status: ResettlementStatus;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) since: string;
}

export function toWelfareReferralType(r: WelfareReferral): WelfareReferralType {
  return {
    id: r.id,
    caseId: r.caseId,
    town: { code: r.town, name: townName(r.town) ?? r.town },
    kind: r.kind,
    kindLabel: WELFARE_KIND_LABELS[r.kind],
    status: r.status,
    statusLabel: WELFARE_REFERRAL_STATUS_LABELS[r.status],
    referredOn: r.referredOn,
    decidedOn: r.decidedOn,
    note: r.note,
  };
}

export function toEmploymentServiceType(e: EmploymentService): EmploymentServiceType {
  return { id: e.id, caseId: e.caseId, kind: e.kind, kindLabel: EMPLOYMENT_SERVICE_KIND_LABELS[e.kind], providedOn: e.providedOn, note: e.note };
}
