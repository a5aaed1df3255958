import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';

export class TownRankingExportQuery {
  @ApiProperty({ example: '2027-Q1', description: 'Period: YYYY-MM, YYYY-Qn or YYYY / 考评期间' })
  @Matches(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, { message: 'period must be YYYY-MM, YYYY-Qn or YYYY / 考评期间格式应为 YYYY-MM、YYYY-Qn 或 YYYY' })
  period: string;

  @ApiPropertyOptional({ description: 'a stored ranking of the history (default: computed now) / 存档排名编号' })
  @IsOptional()
  @IsUUID('all', { message: 'rankingId must be a uuid / 排名编号格式不正确' })
  rankingId?: string;
}
