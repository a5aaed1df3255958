import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { townName } from '@homeward/domain';
import { ConnectionOf, IsTownCode, PageArgs, Town } from '@homeward/platform';
import { CaseReportView } from './case-reports.service';

export enum CaseReportStatus {
  REPORTED = 'REPORTED',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
}

export const CASE_REPORT_STATUS_LABELS: Record<CaseReportStatus, string> = {
  [CaseReportStatus.REPORTED]: '已报送',
  [CaseReportStatus.ACCEPTED]: '已录用',
  [CaseReportStatus.DECLINED]: '未录用',
};

registerEnumType(CaseReportStatus, {
  name: 'CaseReportStatus',
  description: 'CC-28 REPORTED 已报送 / ACCEPTED 已录用 / DECLINED 未录用',
  valuesMap: Object.fromEntries(Object.entries(CASE_REPORT_STATUS_LABELS).map(([k, v]) => [k, { description: v }])),
});

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

@ObjectType('CaseReport', { description: 'CC-28 案例报送' })
export class CaseReportType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field({ description: 'YYYY-MM' }) month: string;
  @Field() title: string;
  @Field() narrative: string;
  @Field(() => ID, { nullable: true }) subjectId: string | null;
  @Field(() => CaseReportStatus) status: CaseReportStatus;
  @Field() statusLabel: string;
  @Field() reportedOn: string;
  @Field(() => String, { nullable: true }) decidedOn: string | null;
  @Field(() => String, { nullable: true }) decisionNote: string | null;
}

@ObjectType()
export class CaseReportConnection extends ConnectionOf(CaseReportType, 'CaseReport') {}

@ArgsType()
export class CaseReportsArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(MONTH, { message: 'month must be YYYY-MM' }) month?: string;
}

@InputType({ description: 'CC-28: report an exemplary case / 报送案例' })
export class ReportCaseInput {
  @Field() @IsTownCode() town: string;
  @Field({ description: 'YYYY-MM' }) @Matches(MONTH, { message: 'month must be YYYY-MM' }) month: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(20000) narrative: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() subjectId?: string;
}

@InputType({ description: 'CC-28: the city accepts (录用) or declines a case / 案例录用' })
export class DecideCaseReportInput {
  @Field(() => ID) @IsUUID() id: string;
  @Field() @IsBoolean() accepted: boolean;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

export function toCaseReportType(v: CaseReportView): CaseReportType {
  const r = v.report;
  return {
    id: r.id,
    town: { code: r.town, name: townName(r.town) },
    month: r.month,
    title: v.title,
    narrative: v.narrative,
    subjectId: r.subjectId,
    status: r.status as CaseReportStatus,
    statusLabel: CASE_REPORT_STATUS_LABELS[r.status as CaseReportStatus],
    reportedOn: r.reportedOn,
    decidedOn: r.decidedOn,
    decisionNote: r.decisionNote,
  };
}
