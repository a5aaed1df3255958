import ExcelJS from 'exceljs';

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

/** One sheet with a bold header row (exceljs). */
export async function toXlsx(sheetName: string, header: string[], rows: TableCell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((c) => (c.width = 14));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
