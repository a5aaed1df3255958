import ExcelJS from 'exceljs';
import request from 'supertest';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { idNumberOf, noticeBody, useResettlementApp } from '../../test/resettlement-harness';

jest.setTimeout(90_000);

/** Raw body of a download (supertest buffers binary only when asked). */
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

type IndicatorSet = { town: { code: string } | null; period: string; indicators: { code: string; label: string; numerator: number; denominator: number; value: number | null }[] };

/** K-RS1 … K-RS12 through the staff GraphQL and the monthly statistics export (real PostgreSQL + Redis). */
describe('resettlement staff GraphQL: K-RS indicators and the monthly statistics export', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-08T02:00:00Z'));
  const { prison, bureau, officer104, worker104, http, ok, errorCode, post } = useResettlementApp({ label: 'rs-gql-kpi', clock, keys });
  const Q = `query($p: ResettlementPeriodInput!) { resettlementIndicators(period: $p) { period town { code } indicators { code label numerator denominator value } } }`;
  const march = { kind: 'MONTH', year: 2027, number: 3 };
  const url = (q: string) => `/api/v1/resettlement/exports/monthly-statistics?${q}`;

  beforeAll(async () => {
    const key = (await post('pre-release-notices', prison, 'N-1', noticeBody('P-1', idNumberOf(31), { expectedReleaseDate: '2027-03-08', keyCategories: ['POOR_CONDUCT'] })).expect(201)).body.id;
    const other = (await post('pre-release-notices', prison, 'N-2', noticeBody('P-2', idNumberOf(32), { expectedReleaseDate: '2027-03-08', keyCategories: ['POOR_CONDUCT'] })).expect(201)).body.id;
    const r1 = (await post('releases', prison, 'R-1', { preReleaseNoticeId: key, actualReleaseDate: '2027-03-08' }).expect(201)).body.id;
    await post('releases', prison, 'R-2', { preReleaseNoticeId: other, actualReleaseDate: '2027-03-08' }).expect(201);
    await ok(officer104, `mutation($input: RecordPickUpInput!) { recordPickUp(input: $input) { id } }`, {
      input: { releaseId: r1, by: 'FAMILY', collectorName: '父亲', relationship: '父子', place: '监狱门口', at: '2027-03-08T01:00:00Z' },
    });
  });

  it('K-RS3: the town row and the city row carry K-RS1 … K-RS12 with Chinese labels; one of two key persons picked up', async () => {
    const sets: IndicatorSet[] = (await ok(officer104, Q, { p: march })).resettlementIndicators;
    expect(sets.map((s) => s.town?.code ?? null)).toEqual(['104', null]);
    for (const s of sets) {
      expect(s.period).toBe('2027-03');
      expect(s.indicators.map((i) => i.code)).toEqual(Array.from({ length: 12 }, (_, i) => `K-RS${i + 1}`));
      expect(s.indicators.every((i) => /[\u4e00-\u9fa5]/.test(i.label))).toBe(true);
      expect(s.indicators.find((i) => i.code === 'K-RS3')).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    }
    const city: IndicatorSet[] = (await ok(bureau, Q, { p: march })).resettlementIndicators;
    expect(city[city.length - 1].town).toBeNull();
    expect(city.length).toBeGreaterThan(2);
    expect(await errorCode(worker104, Q, { p: march })).toBe('FORBIDDEN');
    expect(await errorCode(officer104, Q, { p: { kind: 'MONTH', year: 2027, number: 13 } })).toBe('BAD_USER_INPUT');
  });

  it('K-RS3: the CSV export has Chinese headers, the caller\'s towns and the total (合计)', async () => {
    const res = await http().get(url('month=2027-03&format=csv')).set('authorization', `Bearer ${officer104}`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('resettlement-monthly-statistics-2027-03.csv');
    const lines = (res.body as Buffer).subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['统计月份', '镇街代码', '镇街名称']);
    const header = lines[0].split(',');
    const col = header.indexOf('重点对象接送率(%)');
    expect(col).toBeGreaterThan(2);
    expect(lines).toHaveLength(3);
    expect(lines[1].split(',').slice(0, 2)).toEqual(['2027-03', '104']);
    expect(lines[1].split(',').slice(col, col + 3)).toEqual(['50', '1', '2']);
    expect(lines[2].split(',')[2]).toBe('合计');
  });

  it('the XLSX export opens with exceljs; a bad month is a 400 problem, a social worker 403', async () => {
    const res = await http().get(url('month=2027-03&format=xlsx')).set('authorization', `Bearer ${bureau}`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as Parameters<typeof wb.xlsx.load>[0]);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('统计月份');
    const bad = await http().get(url('month=2027-13')).set('authorization', `Bearer ${officer104}`).expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(bad.body)).toMatch(/[\u4e00-\u9fa5]/);
    await http().get(url('month=2027-03')).set('authorization', `Bearer ${worker104}`).expect(403);
  });
});
