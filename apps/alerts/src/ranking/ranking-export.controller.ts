import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PeriodKind, PeriodRange, periodRange } from '@homeward/domain';
import { CurrentPrincipal, INDICATOR_READERS, Principal, Roles, toXlsx } from '@homeward/platform';
import { RankingService } from './ranking.service';
import { TownRankingExportQuery } from './ranking-export.dto';
import { rankingHeader, rankingTable } from './ranking-table';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Issue 11 item 6: the town ranking (考评排名) as XLSX with Chinese headers; the caller's towns' rows (CITY_ADMIN: every town). */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1/alerts/exports')
export class RankingExportController {
  constructor(private readonly ranking: RankingService) {}

  @Get('town-ranking')
  @Roles(...INDICATOR_READERS)
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'XLSX: rank, town, score, notice flag, coverage, then each weighted indicator / 镇街考评排名表' })
  async townRanking(@CurrentPrincipal() caller: Principal, @Query() q: TownRankingExportQuery, @Res() res: Response): Promise<void> {
    const period = parsePeriod(q.period);
    const ranking = q.rankingId ? await this.ranking.stored(caller, q.rankingId, period) : await this.ranking.compute(caller, period, 'alerts.ranking.export');
    const body = await toXlsx(`考评排名 ${period.label}`, rankingHeader(ranking), rankingTable(ranking));
    res
      .status(200)
      .setHeader('content-type', XLSX_TYPE)
      .setHeader('content-disposition', `attachment; filename="town-ranking-${period.label}.xlsx"`)
      .send(body);
  }
}

function parsePeriod(raw: string): PeriodRange {
  const [y, rest] = raw.split('-');
  if (!rest) return periodRange(PeriodKind.YEAR, Number(y));
  if (rest.startsWith('Q')) return periodRange(PeriodKind.QUARTER, Number(y), Number(rest.slice(1)));
  return periodRange(PeriodKind.MONTH, Number(y), Number(rest));
}
