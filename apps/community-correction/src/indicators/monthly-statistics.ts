import { CORRECTION_INDICATORS, townName } from '@homeward/domain';
import { IndicatorRow } from './indicators.service';

/**
 * The header row: town, then per indicator its rate (%), numerator and denominator. The columns of
 * K-CC1…K-CC8 keep their Chinese headers (consumers read them); those added since carry English too.
 */
export function statisticsHeader(): string[] {
  const cols = ['统计月份', '镇街代码', '镇街名称'];
  for (const d of CORRECTION_INDICATORS) {
    if (d.en) cols.push(`${d.label}(%) ${d.en} (%)`, `${d.label}分子 ${d.en} numerator`, `${d.label}分母 ${d.en} denominator`);
    else cols.push(`${d.label}(%)`, `${d.label}分子`, `${d.label}分母`);
  }
  return cols;
}

/** One table row per town (and 合计 for the total), values as numbers (rate in percent, 2 decimals) or blank. */
export function statisticsRows(month: string, rows: readonly IndicatorRow[], total: IndicatorRow): (string | number)[][] {
  const line = (code: string, name: string, row: IndicatorRow) => {
    const out: (string | number)[] = [month, code, name];
    for (const i of row.indicators) out.push(i.value === null ? '' : Math.round(i.value * 10_000) / 100, i.numerator, i.denominator);
    return out;
  };
  return [...rows.map((r) => line(r.town ?? '', townName(r.town ?? ''), r)), line('', '合计', total)];
}

export { toCsv, toXlsx } from '@homeward/platform';
