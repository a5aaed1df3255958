import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { townName } from '@homeward/domain';
import { ConnectionOf, DATE_WINDOWS, IsLocalDate, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import {
  PROCURATORATE_NOTICE_KIND_LABELS,
  PROCURATORATE_NOTICE_STATUS_LABELS,
  ProcuratorateNotice,
  ProcuratorateNoticeKind,
  ProcuratorateNoticeStatus,
} from './procuratorate-notice.entity';

const labelled = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, { description: v }]));
registerEnumType(ProcuratorateNoticeKind, { name: 'ProcuratorateNoticeKind', valuesMap: labelled(PROCURATORATE_NOTICE_KIND_LABELS) });
registerEnumType(ProcuratorateNoticeStatus, { name: 'ProcuratorateNoticeStatus', valuesMap: labelled(PROCURATORATE_NOTICE_STATUS_LABELS) });

@ObjectType('ProcuratorateNotice', { description: 'CC-16 检察建议 / 纠正违法通知书' })
export class ProcuratorateNoticeType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field(() => Town) town: Town;
  @Field(() => Person) person: Person;
  @Field(() => ProcuratorateNoticeKind) kind: ProcuratorateNoticeKind;
  @Field() kindLabel: string;
  @Field() documentNo: string;
  @Field() issuedDate: string;
  @Field() content: string;
  @Field() replyDue: string;
  @Field(() => ProcuratorateNoticeStatus) status: ProcuratorateNoticeStatus;
  @Field() statusLabel: string;
  @Field({ description: 'not replied and past replyDue / 逾期未回复' }) overdue: boolean;
  @Field(() => String, { nullable: true }) reply: string | null;
  @Field(() => String, { nullable: true }) repliedOn: string | null;
  @Field() receivedAt: Date;
}

@ObjectType()
export class ProcuratorateNoticeConnection extends ConnectionOf(ProcuratorateNoticeType, 'ProcuratorateNotice') {}

@ArgsType()
export class ProcuratorateNoticesArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => ProcuratorateNoticeStatus, { nullable: true }) @IsOptional() @IsEnum(ProcuratorateNoticeStatus) status?: ProcuratorateNoticeStatus;
}

@InputType({ description: 'CC-16: the reply / 回复' })
export class ReplyProcuratorateNoticeInput {
  @Field(() => ID) @IsUUID() noticeId: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(20_000) reply: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' })
  @IsOptional()
  @IsLocalDate(DATE_WINDOWS.recorded)
  repliedOn?: string;
}

export function toNoticeType(n: ProcuratorateNotice, today: string): ProcuratorateNoticeType {
  return {
    id: n.id,
    subjectId: n.subjectId,
    town: { code: n.town, name: townName(n.town) },
    person: { key: n.personKey } as Person,
    kind: n.kind,
    kindLabel: PROCURATORATE_NOTICE_KIND_LABELS[n.kind],
    documentNo: n.documentNo,
    issuedDate: n.issuedDate,
    content: n.content,
    replyDue: n.replyDue,
    status: n.status,
    statusLabel: PROCURATORATE_NOTICE_STATUS_LABELS[n.status],
    overdue: n.status === ProcuratorateNoticeStatus.RECEIVED && n.replyDue < today,
    reply: n.reply,
    repliedOn: n.repliedOn,
    receivedAt: n.createdAt,
  };
}
