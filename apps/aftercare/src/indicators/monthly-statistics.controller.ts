import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { parseMonthPeriod, townName } from '@homeward/domain';
import { CurrentPrincipal, INDICATOR_READERS, Principal, Roles, toCsv, toXlsx } from '@homeward/platform';
import { AftercareIndicatorsService, MonthlyStatisticsLine } from './indicators.service';
import { AftercareMonthlyStatisticsQuery } from './monthly-statistics.dto';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** AC-7 the columns of the monthly report, in order: the line's field and its Chinese header. */
export const AFTERCARE_STATISTICS_COLUMNS: ReadonlyArray<[keyof Omit<MonthlyStatisticsLine, 'town'>, string]> = [
  ['noticesReceived', '收到解戒通知数'],
  ['noticesMatched', '已匹配服务站数'],
  ['contactedWithin7Days', '7日内对接数'],
  ['phoneFollowUps', '电话回访数'],
  ['visits', '见面回访数'],
  ['drugTests', '尿检次数'],
  ['negative', '阴性'],
  ['positive', '阳性'],
  ['refused', '拒绝检测'],
  ['notTested', '未检测'],
  ['relapses', '复吸人次'],
  ['closures', '解除照管数'],
  ['successCases', '成功戒毒典型数'],
];

export function aftercareStatisticsHeader(): string[] {
  return ['统计月份', '镇街代码', '镇街名称', ...AFTERCARE_STATISTICS_COLUMNS.map(([, h]) => h)];
}

function statisticsRows(month: string, towns: readonly MonthlyStatisticsLine[], city: MonthlyStatisticsLine): (string | number)[][] {
  const line = (code: string, name: string, l: MonthlyStatisticsLine) => [month, code, name, ...AFTERCARE_STATISTICS_COLUMNS.map(([k]) => l[k])];
  return [...towns.map((l) => line(l.town ?? '', townName(l.town ?? '') ?? '', l)), line('', '合计', city)];
}

/** AC-7 the monthly aftercare statistics (后续照管月度统计) for the Wuxi guidance station: one row per town of the caller and the total. */
@ApiTags('aftercare')
@ApiBearerAuth()
@Controller('api/v1/aftercare/exports')
export class AftercareMonthlyStatisticsController {
  constructor(private readonly indicators: AftercareIndicatorsService) {}

  @Get('monthly-statistics')
  @Roles(...INDICATOR_READERS)
  @ApiProduces('text/csv', XLSX_TYPE)
  @ApiOkResponse({ description: "CSV (UTF-8 with BOM) or XLSX; rows are the caller's towns and the total / 后续照管月度统计表" })
  async monthlyStatistics(@CurrentPrincipal() caller: Principal, @Query() q: AftercareMonthlyStatisticsQuery, @Res() res: Response): Promise<void> {
    const period = parseMonthPeriod(q.month);
    const format = q.format ?? 'csv';
    const { towns, city } = await this.indicators.monthlyStatistics(caller, period);
    const table = statisticsRows(period.label, towns, city);
    const header = aftercareStatisticsHeader();
    const file = `aftercare-monthly-statistics-${period.label}.${format}`;
    const body = format === 'xlsx' ? await toXlsx(`后续照管月度统计 ${period.label}`, header, table) : toCsv(header, table);
    res
      .status(200)
      .setHeader('content-type', format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="${file}"`)
      .send(body);
  }
}
