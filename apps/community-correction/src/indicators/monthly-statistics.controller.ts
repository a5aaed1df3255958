import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EMPTY_CORRECTION_COUNTS, addCorrectionCounts, correctionIndicators, parseMonthPeriod } from '@homeward/domain';
import { CurrentPrincipal, INDICATOR_READERS, Principal, Roles, townFilter } from '@homeward/platform';
import { IndicatorsService } from './indicators.service';
import { MonthlyStatisticsQuery } from './monthly-statistics.dto';
import { statisticsHeader, statisticsRows, toCsv, toXlsx } from './monthly-statistics';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The monthly statistics table (社区矫正月度统计): one row per town of the caller, K-CC1…K-CC7. */
@ApiTags('correction')
@ApiBearerAuth()
@Controller('api/v1/correction/exports')
export class MonthlyStatisticsController {
  constructor(private readonly indicators: IndicatorsService) {}

  @Get('monthly-statistics')
  @Roles(...INDICATOR_READERS)
  @ApiProduces('text/csv', XLSX_TYPE)
  @ApiOkResponse({ description: "CSV (UTF-8 with BOM) or XLSX; rows are the caller's towns / 月度统计表" })
  async monthlyStatistics(@CurrentPrincipal() caller: Principal, @Query() q: MonthlyStatisticsQuery, @Res() res: Response): Promise<void> {
    const period = parseMonthPeriod(q.month);
    const format = q.format ?? 'csv';
    const rows = await this.indicators.forTowns(caller, townFilter(caller), period, 'correction.indicators.export');
    const totalCounts = rows.map((r) => r.counts).reduce(addCorrectionCounts, { ...EMPTY_CORRECTION_COUNTS });
    const table = statisticsRows(period.label, rows, { town: null, counts: totalCounts, indicators: correctionIndicators(totalCounts) });
    const header = statisticsHeader();
    const file = `correction-monthly-statistics-${period.label}.${format}`;
    const body = format === 'xlsx' ? await toXlsx(`社区矫正月度统计 ${period.label}`, header, table) : toCsv(header, table);
    res
      .status(200)
      .setHeader('content-type', format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="${file}"`)
      .send(body);
  }
}
