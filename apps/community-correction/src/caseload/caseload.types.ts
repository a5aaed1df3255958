import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { CorrectionStatus, SupervisionLevel } from '@homeward/domain';
import { IsTownCode, PageArgs, PageArgsUpTo, Town } from '@homeward/platform';

/** The largest page of dueToday / overdue when `first` is given. */
export const DUE_MAX_PAGE = 500;

/** What falls due on a day in a justice office (issue 3 item 15: due today / overdue). */
export enum DueItemKind {
  REPORT_IN = 'REPORT_IN',
  CHECK_IN = 'CHECK_IN',
  MONITORING_END = 'MONITORING_END',
  LEAVE_END = 'LEAVE_END',
  ASSESSMENT = 'ASSESSMENT',
  PROCURATORATE_REPLY = 'PROCURATORATE_REPLY',
}

export const DUE_ITEM_KIND_LABELS: Record<DueItemKind, string> = {
  [DueItemKind.REPORT_IN]: '报到期限',
  [DueItemKind.CHECK_IN]: '定期报告',
  [DueItemKind.MONITORING_END]: '电子定位到期',
  [DueItemKind.LEAVE_END]: '外出/变更执行地到期返回',
  [DueItemKind.ASSESSMENT]: '调查评估到期',
  [DueItemKind.PROCURATORATE_REPLY]: '检察建议回复期限',
};

registerEnumType(DueItemKind, {
  name: 'DueItemKind',
  description: 'What falls due: report-in (CC-4), check-in (CC-9), end of electronic location (CC-12), end of leave (CC-13), investigation assessment (CC-14), procuratorate reply (CC-16)',
});

@ObjectType('DueItem', { description: '待办事项（今日到期 / 已逾期）' })
export class DueItemType {
  @Field(() => DueItemKind)
  kind: DueItemKind;

  @Field({ description: 'Chinese label of the kind' })
  kindLabel: string;

  @Field(() => ID, { nullable: true, description: 'the correction subject; null for an investigation assessment (no subject yet)' })
  subjectId: string | null;

  @Field(() => ID, { description: 'the record that falls due (subject, monitoring, leave, investigation or notice)' })
  recordId: string;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => Town)
  town: Town;

  @Field({ description: 'the due date (YYYY-MM-DD)' })
  dueOn: string;

  @Field({ description: 'pass as `after` to continue the list after this item / 作为 after 传入以取下一页' })
  cursor: string;
}

@ArgsType()
export class CaseloadArgs extends PageArgsUpTo(200) {
  @Field(() => CorrectionStatus, { nullable: true, description: 'default: the open cases (PENDING_REPORT and ACTIVE)' })
  @IsOptional()
  @IsEnum(CorrectionStatus)
  status?: CorrectionStatus;

  @Field(() => SupervisionLevel, { nullable: true, description: 'CC-8 level in force (STRICT before any decision)' })
  @IsOptional()
  @IsEnum(SupervisionLevel)
  level?: SupervisionLevel;

  @Field(() => Boolean, { nullable: true, description: 'CC-10: true = key persons only, false = the others' })
  @IsOptional()
  @IsBoolean()
  keyPerson?: boolean;

  @Field(() => String, { nullable: true, description: 'town code; default all towns of the caller' })
  @IsOptional()
  @IsString()
  @IsTownCode()
  town?: string;
}

@ArgsType()
export class DueArgs {
  @Field(() => String, { nullable: true, description: 'town code; default all towns of the caller' })
  @IsOptional()
  @IsString()
  @IsTownCode()
  town?: string;

  @Field(() => Int, {
    nullable: true,
    description: `at most this many items (1–${DUE_MAX_PAGE}); omitted: the whole list / 每次最多返回条数，不填则返回全部`,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(DUE_MAX_PAGE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'the `cursor` of the last item of the previous page / 上一页最后一条的 cursor' })
  @IsOptional()
  @IsString()
  after?: string;
}

@ArgsType()
export class SearchSubjectsArgs extends PageArgs {
  @Field({ description: 'an 18-character ID number (matched by personKey) or a full name (exact, matched by its keyed blind index)' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  query: string;
}
