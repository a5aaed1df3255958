import { ArgsType, Field, Float, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, IsUUID } from 'class-validator';
import { MONITORING_GROUND_LABELS, MONITORING_STATUS_LABELS, MonitoringGround, MonitoringStatus, townName } from '@homeward/domain';
import { ConnectionOf, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import { ElectronicMonitoring, MonitoringExtension } from './monitoring.entity';
import { ProhibitionZone } from './prohibition-zone.entity';

registerEnumType(MonitoringGround, {
  name: 'MonitoringGround',
  description: 'CC-12: the five legal grounds for electronic location / 电子定位法定适用情形',
  valuesMap: Object.fromEntries(Object.entries(MONITORING_GROUND_LABELS).map(([k, v]) => [k, { description: v }])),
});
registerEnumType(MonitoringStatus, {
  name: 'MonitoringStatus',
  description: 'ACTIVE 使用中 / ENDED 已解除',
  valuesMap: Object.fromEntries(Object.entries(MONITORING_STATUS_LABELS).map(([k, v]) => [k, { description: v }])),
});

@ObjectType('MonitoringExtension', { description: '电子定位延长记录' })
export class MonitoringExtensionType {
  @Field() previousEndDate: string;
  @Field() endDate: string;
  @Field() approvedBy: string;
  @Field() reason: string;
  @Field() recordedAt: Date;
}

@ObjectType('ProhibitionZone', { description: 'CC-12 禁止令禁止进入的区域' })
export class ProhibitionZoneType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field({ description: 'the place / 场所' }) place: string;
  @Field({ description: 'PostgreSQL polygon literal, x = longitude, y = latitude / 区域' }) area: string;
  @Field() startDate: string;
  @Field(() => String, { nullable: true, description: 'inclusive; null = open-ended' }) endDate: string | null;
  @Field({ description: 'in force today / 今日有效' }) inForce: boolean;
}

export function toProhibitionZoneType(z: ProhibitionZone, today: string): ProhibitionZoneType {
  return {
    id: z.id,
    subjectId: z.subjectId,
    place: z.place,
    area: z.area,
    startDate: z.startDate,
    endDate: z.endDate,
    inForce: z.startDate <= today && (z.endDate === null || today <= z.endDate),
  };
}

@ObjectType('LocationFix', { description: '定位点' })
export class LocationFixType {
  @Field() at: Date;
  @Field(() => Float) lat: number;
  @Field(() => Float) lng: number;
  @Field(() => Float, { nullable: true }) accuracyM: number | null;
  @Field({ description: 'outside the allowed area / 越界' }) outside: boolean;
}

@ObjectType('ElectronicMonitoring', { description: 'CC-12 电子定位' })
export class ElectronicMonitoringType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field(() => Town) town: Town;
  @Field(() => Person) person: Person;
  @Field(() => MonitoringGround) ground: MonitoringGround;
  @Field({ description: 'Chinese label of the ground' }) groundLabel: string;
  @Field() deviceId: string;
  @Field({ description: 'county bureau head who approved / 审批负责人' }) approvedBy: string;
  @Field(() => String, { nullable: true }) approvalDocumentNo: string | null;
  @Field() startDate: string;
  @Field({ description: 'last day, inclusive' }) endDate: string;
  @Field(() => MonitoringStatus) status: MonitoringStatus;
  @Field() statusLabel: string;
  @Field({ description: 'ACTIVE but past its end date (neither extended nor lifted) / 已到期未解除' }) expired: boolean;
  @Field(() => String, { nullable: true }) endedOn: string | null;
  @Field(() => String, { nullable: true }) endReason: string | null;
  @Field(() => Date, { nullable: true }) lastFixAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'silent since (no fix for the configured time) / 信号中断起始' }) silentSince: Date | null;
  @Field(() => Date, { nullable: true, description: 'outside the allowed area since / 越界起始' }) breachSince: Date | null;
  @Field() approvedAt: Date;
}

@ObjectType()
export class ElectronicMonitoringConnection extends ConnectionOf(ElectronicMonitoringType, 'ElectronicMonitoring') {}

@ArgsType()
export class ElectronicMonitoringsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'town code; default all towns of the caller' })
  @IsOptional()
  @IsString()
  @IsTownCode()
  town?: string;

  @Field(() => MonitoringStatus, { nullable: true })
  @IsOptional()
  @IsEnum(MonitoringStatus)
  status?: MonitoringStatus;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  subjectId?: string;
}

export function toMonitoringType(m: ElectronicMonitoring, today: string): ElectronicMonitoringType {
  return {
    id: m.id,
    subjectId: m.subjectId,
    town: { code: m.town, name: townName(m.town) ?? m.town },
    person: { key: m.personKey } as Person,
    ground: m.ground,
    groundLabel: MONITORING_GROUND_LABELS[m.ground],
    deviceId: m.deviceId,
    approvedBy: m.approvedBy,
    approvalDocumentNo: m.approvalDocumentNo,
    startDate: m.startDate,
    endDate: m.endDate,
    status: m.status,
    statusLabel: MONITORING_STATUS_LABELS[m.status],
    expired: m.status === MonitoringStatus.ACTIVE && m.endDate < today,
    endedOn: m.endedOn,
    endReason: m.endReason,
    lastFixAt: m.lastFixAt,
    silentSince: m.silentSince,
    breachSince: m.breachSince,
    approvedAt: m.createdAt,
  };
}

export function toExtensionType(e: MonitoringExtension): MonitoringExtensionType {
  return { previousEndDate: e.previousEndDate, endDate: e.endDate, approvedBy: e.approvedBy, reason: e.reason, recordedAt: e.createdAt };
}
