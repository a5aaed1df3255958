import ExcelJS from 'exceljs';
import { toCsv, toXlsx } from './table-export';

describe('table-export', () => {
  describe(toXlsx.name, () => {
    it('issue 13: writes one sheet with a bold header (exceljs is loaded on the first call, not at import)', async () => {
      const buffer = await toXlsx('名单', ['镇街', '人数'], [['澄江', 3], ['', 0]]);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(buffer as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('名单');
      expect(ws?.getRow(1).values).toEqual([undefined, '镇街', '人数']);
      expect(ws?.getRow(1).font?.bold).toBe(true);
      expect(ws?.getRow(2).values).toEqual([undefined, '澄江', 3]);
    });
  });

  describe(toCsv.name, () => {
    it('starts with a UTF-8 BOM and quotes cells with commas', () => {
      const csv = toCsv(['a', 'b'], [['x,y', 1]]);
      expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(csv.subarray(3).toString('utf8')).toBe('a,b\r\n"x,y",1\r\n');
    });
  });
});
