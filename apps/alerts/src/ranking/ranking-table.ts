import { INDICATOR_AVAILABILITY_LABELS, IndicatorAvailability, RANKING_WORKSTREAM_LABELS, rankedIndicator, townName } from '@homeward/domain';
import type { TableCell } from '@homeward/platform';
import type { TownRanking } from './ranking.service';

/** 名次, 镇街代码, 镇街名称, 得分, 通报, 指标覆盖率(%), then "<条线>·<code> <label>(%)" per weighted indicator. */
export function rankingHeader(r: TownRanking): string[] {
  const codes = r.rows[0]?.indicators ?? [];
  return [
    '考评期间',
    '名次',
    '镇街代码',
    '镇街名称',
    '得分',
    '通报',
    '指标覆盖率(%)',
    ...codes.map((i) => `${RANKING_WORKSTREAM_LABELS[i.workstream]}·${i.code} ${rankedIndicator(i.code)?.label ?? ''}(%) 权重${i.weight}`),
  ];
}

const pct = (v: number) => Math.round(v * 10000) / 100;

/** One row per town, best first; an indicator left out shows why (暂未提供 / 无可统计数据). */
export function rankingTable(r: TownRanking): TableCell[][] {
  return r.rows.map((row) => [
    r.period.label,
    row.rank ?? '未排名',
    row.town,
    townName(row.town) ?? row.town,
    row.score ?? '—',
    row.flaggedForNotice ? '通报' : '',
    pct(row.coverage),
    ...row.indicators.map((i) => (i.availability === IndicatorAvailability.AVAILABLE && i.value !== null ? pct(i.value) : INDICATOR_AVAILABILITY_LABELS[i.availability])),
  ]);
}
