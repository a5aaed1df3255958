import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { TownKind } from '@homeward/domain';
import { IsLocalDate, IsTownCode } from '@homeward/platform';
import type { HolidayTableChange, HolidayTableView } from './reference-data.service';
import type { DatasetKind, DatasetRow } from './reference.repository';

export enum HolidayTableStatusEnum {
  PROVISIONAL = 'PROVISIONAL',
  OFFICIAL = 'OFFICIAL',
}
export const HOLIDAY_TABLE_STATUS_LABELS: Record<HolidayTableStatusEnum, string> = {
  PROVISIONAL: 'Provisional (notice not published) / 暂定（通知未发布）',
  OFFICIAL: 'Official (State Council notice) / 正式（国务院办公厅通知）',
};
registerEnumType(HolidayTableStatusEnum, {
  name: 'HolidayTableStatus',
  valuesMap: Object.fromEntries(Object.entries(HOLIDAY_TABLE_STATUS_LABELS).map(([k, v]) => [k, { description: v }])),
});

export enum ReferenceDatasetKind {
  TOWNS = 'TOWNS',
  CORRECTION_CENTRES = 'CORRECTION_CENTRES',
  COUNTY_BOUNDARY = 'COUNTY_BOUNDARY',
}
registerEnumType(ReferenceDatasetKind, {
  name: 'ReferenceDatasetKind',
  valuesMap: {
    TOWNS: { description: 'Towns / 镇街' },
    CORRECTION_CENTRES: { description: 'Correction centres / 社区矫正中心' },
    COUNTY_BOUNDARY: { description: 'County boundary / 县域边界' },
  },
});


@ObjectType('HolidayTable', { description: 'CC-23: one year of the State Council holiday arrangement / 节假日安排（一年）' })
export class HolidayTableType {
  @Field(() => Int) year: number;
  @Field(() => HolidayTableStatusEnum) status: HolidayTableStatusEnum;
  @Field() statusLabel: string;
  @Field(() => [String], { description: 'days off (YYYY-MM-DD) / 放假日' }) holidays: string[];
  @Field(() => [String], { description: 'weekend days declared working days / 调休上班日' }) workingWeekends: string[];
  @Field(() => String, { nullable: true }) source: string | null;
  @Field({ description: 'the version in force / 现行版本' }) current: boolean;
  @Field(() => Int, { nullable: true, description: 'stored version id; null: the shipped file, not seeded / 版本号' }) revision: number | null;
  @Field() validFrom: string;
  @Field() validTo: string;
  @Field(() => Date, { nullable: true }) recordedAt: Date | null;
  @Field(() => String, { nullable: true }) recordedBy: string | null;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field(() => Date, { nullable: true }) supersededAt: Date | null;
}

export function toHolidayTableType(v: HolidayTableView): HolidayTableType {
  return { ...v, status: v.status as HolidayTableStatusEnum, statusLabel: HOLIDAY_TABLE_STATUS_LABELS[v.status as HolidayTableStatusEnum] };
}

@ObjectType({ description: 'Stored deadlines moved by a holiday-table change / 因节假日表变更而调整的期限' })
export class RecomputedDeadlines {
  @Field() rule: string;
  @Field(() => Int) records: number;
}

@ObjectType({ description: 'The new holiday table and the deadlines it moved / 新节假日表及调整的期限' })
export class HolidayTableChangeType {
  @Field(() => HolidayTableType) table: HolidayTableType;
  @Field(() => [RecomputedDeadlines]) recomputed: RecomputedDeadlines[];
}

export function toHolidayTableChange(c: HolidayTableChange): HolidayTableChangeType {
  return { table: toHolidayTableType(c.table), recomputed: c.recomputed };
}

@InputType({ description: 'CC-23: replace the holiday table of a year (CITY_ADMIN) / 更新某年节假日表' })
export class SetHolidayTableInput {
  @Field(() => Int) @IsInt() @Min(2000) @Max(2100) year: number;
  @Field(() => HolidayTableStatusEnum) @IsIn(Object.values(HolidayTableStatusEnum)) status: HolidayTableStatusEnum;
  @Field(() => [String], { description: 'every day off, weekends inside a break included (YYYY-MM-DD)' })
  @IsArray() @ArrayMaxSize(120) @IsLocalDate({}, { each: true }) holidays: string[];
  @Field(() => [String], { description: 'Saturdays/Sundays that are working days (YYYY-MM-DD)' })
  @IsArray() @ArrayMaxSize(30) @IsLocalDate({}, { each: true }) workingWeekends: string[];
  @Field(() => String, { nullable: true, description: 'document number of the notice / 文号' }) @IsOptional() @IsString() @MaxLength(300) source?: string | null;
  @Field({ description: 'why it changes / 变更原因' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

@ObjectType('ReferenceDataset', { description: 'A version of a reference dataset / 参考数据版本' })
export class ReferenceDatasetType {
  @Field(() => ReferenceDatasetKind) kind: ReferenceDatasetKind;
  @Field(() => Int) revision: number;
  @Field({ description: 'the dataset as JSON / JSON 内容' }) content: string;
  @Field() validFrom: string;
  @Field(() => String, { nullable: true }) validTo: string | null;
  @Field() current: boolean;
  @Field() recordedAt: Date;
  @Field() recordedBy: string;
  @Field(() => String, { nullable: true }) reason: string | null;
}

export function toDatasetType(d: DatasetRow): ReferenceDatasetType {
  return {
    kind: d.kind as ReferenceDatasetKind,
    revision: d.id,
    content: JSON.stringify(d.content),
    validFrom: d.validFrom,
    validTo: d.validTo,
    current: d.supersededAt === null,
    recordedAt: d.recordedAt,
    recordedBy: d.recordedBy,
    reason: d.reason,
  };
}

@InputType()
export class TownEntryInput {
  @Field() @Matches(/^\d{3}$/, { message: 'code must be a three-digit town code / 镇街代码须为三位数字' }) code: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(60) name: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(120) nameEn: string;
  @Field(() => String, { description: 'STREET / TOWN / ZONE' }) @IsIn(['STREET', 'TOWN', 'ZONE']) kind: TownKind;
  @Field() @IsLocalDate() validFrom: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsLocalDate() validTo?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(300) note?: string | null;
}

@InputType({ description: 'Replace the towns (close a merged town with validTo, never delete it) / 更新镇街' })
export class SetTownsInput {
  @Field(() => [TownEntryInput]) @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => TownEntryInput) towns: TownEntryInput[];
  @Field() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

@InputType()
export class CorrectionCentreInput {
  @Field() @IsTownCode() town: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(120) name?: string | null;
  @Field() @IsLocalDate() validFrom: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsLocalDate() validTo?: string | null;
}

@InputType({ description: 'K-CC7: replace the correction centres / 更新社区矫正中心' })
export class SetCorrectionCentresInput {
  @Field(() => [CorrectionCentreInput]) @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => CorrectionCentreInput) centres: CorrectionCentreInput[];
  @Field() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

@InputType({ description: 'CC-12: replace the county boundary (GeoJSON Polygon) / 更新县域边界' })
export class SetCountyBoundaryInput {
  @Field({ description: 'a GeoJSON Feature or Polygon, one ring of [lng, lat]' }) @IsString() @IsNotEmpty() @MaxLength(2_000_000) geojson: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export type { DatasetKind };
