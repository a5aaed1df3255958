/** One cell of an exported table: text or a number (blank = ''). */
export type TableCell = string | number;

function csvCell(v: TableCell): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV, UTF-8 with a BOM so Excel shows the Chinese headers correctly. */
export function toCsv(header: string[], rows: TableCell[][]): Buffer {
  const text = [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

/**
 * One sheet with a bold header row (exceljs). exceljs is loaded on the first export, not at start-up:
 * every app reaches this file through @homeward/platform, and loading it cost each of them about 29 MB
 * of RSS and 0.4–0.8 s of start-up, in the gateway and identity too, which never export (issue 13).
 */
export async function toXlsx(sheetName: string, header: string[], rows: TableCell[][]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((c) => (c.width = 14));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
