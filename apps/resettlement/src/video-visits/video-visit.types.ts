import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsDate, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { VIDEO_VISIT_STATUS_LABELS, VideoVisitOrigin, VideoVisitStatus, townName } from '@homeward/domain';
import { ConnectionOf, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import { labelled } from '../cases/labelled';
import { VideoVisit, VisitTerminal } from './video-visit.entity';

registerEnumType(VideoVisitStatus, { name: 'VideoVisitStatus', description: 'RS-10 会见状态', valuesMap: labelled(VIDEO_VISIT_STATUS_LABELS) });
registerEnumType(VideoVisitOrigin, { name: 'VideoVisitOrigin', description: 'FAMILY 家属申请 / PRISON 监狱提议' });

const town = (code: string): Town => ({ code, name: townName(code) ?? code });

@ObjectType('VisitTerminal', { description: 'RS-10 会见终端' })
export class VisitTerminalType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field() name: string;
  @Field() active: boolean;
}

@ObjectType('VideoVisit', { description: 'RS-10 远程亲情视频会见' })
export class VideoVisitType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field(() => VideoVisitOrigin) origin: VideoVisitOrigin;
  @Field(() => String, { nullable: true }) prisonName: string | null;
  @Field(() => Person, { nullable: true }) person: Person | null;
  @Field() startsAt: Date;
  @Field() endsAt: Date;
  @Field(() => VideoVisitStatus) status: VideoVisitStatus;
  @Field() statusLabel: string;
  @Field(() => ID, { nullable: true }) terminalId: string | null;
  @Field(() => String, { nullable: true }) outcome: string | null;
}

@ObjectType()
export class VideoVisitConnection extends ConnectionOf(VideoVisitType, 'VideoVisit') {}

@ArgsType()
export class VideoVisitsTodayArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
}

@InputType({ description: 'RS-10: a terminal at a town office / 新增会见终端' })
export class AddVisitTerminalInput {
  @Field() @IsTownCode() town: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(100) name: string;
}

@InputType({ description: 'RS-10: a family asks for a visit at the office\'s terminal / 家属申请会见' })
export class RequestFamilyVisitInput {
  @Field() @IsTownCode() town: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) prisonName: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(40) prisonerNo: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) familyContact: string;
  @Field() @IsDate() startsAt: Date;
  @Field(() => Int) @IsInt() @Min(10) @Max(240) durationMinutes: number;
}

@InputType({ description: 'RS-10: confirm a visit on a terminal (one visit per terminal at a time) / 确认会见' })
export class ConfirmVideoVisitInput {
  @Field(() => ID) @IsUUID() visitId: string;
  @Field(() => ID) @IsUUID() terminalId: string;
}

@InputType({ description: 'RS-10: the visit took place, failed or was cancelled / 会见结果' })
export class FinishVideoVisitInput {
  @Field(() => ID) @IsUUID() visitId: string;
  @Field(() => VideoVisitStatus, { description: 'COMPLETED, FAILED or CANCELLED' })
  @IsIn([VideoVisitStatus.COMPLETED, VideoVisitStatus.FAILED, VideoVisitStatus.CANCELLED])
  status: VideoVisitStatus.COMPLETED | VideoVisitStatus.FAILED | VideoVisitStatus.CANCELLED;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) outcome?: string | null;
}

export const toTerminalType = (t: VisitTerminal): VisitTerminalType => ({ id: t.id, town: town(t.town), name: t.name, active: t.active });
export const toVideoVisitType = (v: VideoVisit): VideoVisitType => ({
  id: v.id,
  town: town(v.town),
  origin: v.origin,
  prisonName: v.prisonName,
  person: v.personKey ? { key: v.personKey } : null,
  startsAt: v.startsAt,
  endsAt: v.endsAt,
  status: v.status,
  statusLabel: VIDEO_VISIT_STATUS_LABELS[v.status],
  terminalId: v.terminalId,
  outcome: v.outcome,
});
