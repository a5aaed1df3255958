import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RESETTLEMENT_INDICATORS, parseMonthPeriod, townName } from '@homeward/domain';
import { CurrentPrincipal, INDICATOR_READERS, Principal, Roles, toCsv, toXlsx } from '@homeward/platform';
import { ResettlementIndicatorRow, ResettlementIndicatorsService } from './indicators.service';
import { ResettlementMonthlyStatisticsQuery } from './monthly-statistics.dto';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 统计月份, 镇街代码, 镇街名称, then per indicator its rate (%), numerator and denominator (Chinese headers, as correction's table). */
export function resettlementStatisticsHeader(): string[] {
  const cols = ['统计月份', '镇街代码', '镇街名称'];
  for (const d of RESETTLEMENT_INDICATORS) cols.push(`${d.label}(%)`, `${d.label}分子`, `${d.label}分母`);
  return cols;
}

function statisticsRows(month: string, rows: readonly ResettlementIndicatorRow[], city: ResettlementIndicatorRow): (string | number)[][] {
  const line = (code: string, name: string, row: ResettlementIndicatorRow) => {
    const out: (string | number)[] = [month, code, name];
    for (const i of row.indicators) out.push(i.value === null ? '' : Math.round(i.value * 10_000) / 100, i.numerator, i.denominator);
    return out;
  };
  return [...rows.map((r) => line(r.town ?? '', townName(r.town ?? '') ?? '', r)), line('', '合计', city)];
}

/** The monthly resettlement statistics (安置帮教月度统计): one row per town of the caller and the total, K-RS1…K-RS12. */
@ApiTags('resettlement')
@ApiBearerAuth()
@Controller('api/v1/resettlement/exports')
export class ResettlementMonthlyStatisticsController {
  constructor(private readonly indicators: ResettlementIndicatorsService) {}

  @Get('monthly-statistics')
  @Roles(...INDICATOR_READERS)
  @ApiProduces('text/csv', XLSX_TYPE)
  @ApiOkResponse({ description: "CSV (UTF-8 with BOM) or XLSX; rows are the caller's towns and the total / 安置帮教月度统计表" })
  async monthlyStatistics(@CurrentPrincipal() caller: Principal, @Query() q: ResettlementMonthlyStatisticsQuery, @Res() res: Response): Promise<void> {
    const period = parseMonthPeriod(q.month);
    const format = q.format ?? 'csv';
    const rows = await this.indicators.forTowns(caller, period, 'resettlement.indicators.export');
    const table = statisticsRows(period.label, rows, this.indicators.city(rows));
    const header = resettlementStatisticsHeader();
    const file = `resettlement-monthly-statistics-${period.label}.${format}`;
    const body = format === 'xlsx' ? await toXlsx(`安置帮教月度统计 ${period.label}`, header, table) : toCsv(header, table);
    res
      .status(200)
      .setHeader('content-type', format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="${file}"`)
      .send(body);
  }
}
