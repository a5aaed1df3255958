import ExcelJS from 'exceljs';
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

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV, UTF-8 with a BOM so Excel shows the Chinese headers correctly. */
export function toCsv(header: string[], rows: (string | number)[][]): Buffer {
  const text = [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export async function toXlsx(sheetName: string, header: string[], rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((c) => (c.width = 14));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
