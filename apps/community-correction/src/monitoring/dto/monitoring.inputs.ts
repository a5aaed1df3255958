import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { MonitoringGround } from '@homeward/domain';
import { TravelAreaInput } from '../../leave/leave.types';
import { DATE_WINDOWS, IsLocalDate } from '@homeward/platform';

@InputType({ description: 'CC-12: approve electronic location (county bureau head) / 电子定位审批' })
export class ApproveMonitoringInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field(() => MonitoringGround, { description: 'one of the five legal grounds / 法定适用情形' })
  @IsEnum(MonitoringGround)
  ground: MonitoringGround;

  @Field({ description: 'device id as the monitoring platform sends it / 定位设备编号' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  deviceId: string;

  @Field({ description: 'YYYY-MM-DD' })
  @IsLocalDate(DATE_WINDOWS.period)
  startDate: string;

  @Field({ description: 'YYYY-MM-DD, inclusive; at most 3 months after the start' })
  @IsLocalDate(DATE_WINDOWS.period)
  endDate: string;

  @Field({ description: 'the county bureau head who approved / 审批负责人' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  approvedBy: string;

  @Field(() => String, { nullable: true, description: 'approval document number / 审批文号' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  approvalDocumentNo?: string;
}

@InputType({ description: 'CC-12: extend electronic location by at most 3 months / 延长电子定位期限' })
export class ExtendMonitoringInput {
  @Field(() => ID)
  @IsUUID()
  monitoringId: string;

  @Field({ description: 'YYYY-MM-DD, inclusive' })
  @IsLocalDate(DATE_WINDOWS.period)
  newEndDate: string;

  @Field({ description: 'the county bureau head who approved the extension / 审批负责人' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  approvedBy: string;

  @Field({ description: 'assessment that continued use is needed / 延长理由' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

@InputType({ description: 'CC-12: lift electronic location / 解除电子定位' })
export class EndMonitoringInput {
  @Field(() => ID)
  @IsUUID()
  monitoringId: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' })
  @IsOptional()
  @IsLocalDate(DATE_WINDOWS.recorded)
  endedOn?: string;

  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

@InputType({ description: 'CC-12: a zone a prohibition order (禁止令) forbids the subject to enter / 禁止令禁止进入的区域' })
export class AddProhibitionZoneInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field({ description: 'the place as the order names it (a school, a bar street …) / 禁止进入的场所' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  place: string;

  @Field(() => TravelAreaInput, { description: 'the zone as a box / 区域范围' })
  @ValidateNested()
  @Type(() => TravelAreaInput)
  area: TravelAreaInput;

  @Field({ description: 'YYYY-MM-DD, the first day the order applies' })
  @IsLocalDate(DATE_WINDOWS.period)
  startDate: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, inclusive; open-ended when absent' })
  @IsOptional()
  @IsLocalDate(DATE_WINDOWS.period)
  endDate?: string;
}

/** CC-12: the prohibition order no longer applies after endedOn (a zone ended on a day recorded now). */
@ArgsType()
export class EndProhibitionZoneArgs {
  @Field(() => ID)
  @IsUUID()
  zoneId: string;

  @Field({ description: 'YYYY-MM-DD, the last day the zone applies / 禁止区域结束日期' })
  @IsLocalDate(DATE_WINDOWS.recorded)
  endedOn: string;
}
