import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class AftercareMonthlyStatisticsQuery {
  @ApiProperty({ example: '2027-03', description: 'Month YYYY-MM / 统计月份' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM / 月份格式应为 YYYY-MM' })
  month: string;

  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or xlsx / 格式应为 csv 或 xlsx' })
  format?: ExportFormat;
}
