import ExcelJS from 'exceljs';
import request from 'supertest';
import { ClosureReason, DrugTestResult, FollowUpKind, PeriodKind, periodRange } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { idNumberOf, useAftercareApp } from '../../test/aftercare-station-harness';
import { AftercareCasesService } from '../cases/aftercare-cases.service';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { AftercareIndicatorSnapshotPublisher } from './indicator-snapshot.publisher';

jest.setTimeout(120_000);

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

type Indicator = { code: string; numerator: number; denominator: number; value: number | null };
type IndicatorSet = { period: string; town: { code: string } | null; indicators: Indicator[] };
const Q = `query($p: AftercarePeriodInput!) { aftercareIndicators(period: $p) { period periodKindLabel town { code } indicators { code label numerator denominator value target } } }`;

/**
 * K-AC1 … K-AC4 and the AC-7 monthly statistics, with hand-computed values (real PostgreSQL + Redis).
 * Station 104: A, B, C released 03-05 / 03-05 / 03-10, D 03-28; A contacted 03-08 (in time), B 03-20
 * (late), C never, D 04-02 (in time). Station 107: E released 03-05, contacted 03-06, police positive
 * 04-20, closed (moved) 06-20. F names no Jiangyin town: the city queue. Follow-ups (PHONE unless
 * said): A 03-15 NEGATIVE, 04-10, 05-10, visit 05-20 NEGATIVE; B 03-25 REFUSED, 05-15 POSITIVE
 * (relapse), 06-15 NEGATIVE; D 04-05, 05-05, 06-05, visit 06-06 NEGATIVE; E 03-10. 104 names one
 * success case on 06-01. The figures are read on 2027-07-15.
 */
describe('K-AC indicators and the AC-7 monthly statistics (real PostgreSQL + Redis)', () => {
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  const h = useAftercareApp({ label: 'ac-kpi', clock });
  const { tokens, principals, ok, http } = h;
  const byTown = (sets: IndicatorSet[], town: string | null) => Object.fromEntries(sets.find((s) => (s.town?.code ?? null) === town)!.indicators.map((i) => [i.code, [i.numerator, i.denominator, i.value]]));
  const url = (q: string) => `/api/v1/aftercare/exports/monthly-statistics?${q}`;

  beforeAll(async () => {
    const [a, b, c, d] = await h.notices([
      { n: 1, town: '104', releaseDate: '2027-03-05' },
      { n: 2, town: '104', releaseDate: '2027-03-05' },
      { n: 3, town: '104', releaseDate: '2027-03-10' },
      { n: 4, town: '104', releaseDate: '2027-03-28' },
    ]);
    const [e] = await h.notices([{ n: 5, town: '107', releaseDate: '2027-03-05' }]);
    await h.notices([{ n: 6, town: '999', releaseDate: '2027-03-20' }]);
    void c;
    clock.set('2027-07-15T02:00:00Z');
    const cases = h.svc().app.get(AftercareCasesService);
    const followUps = h.svc().app.get(FollowUpsService);
    const { officer104, officer107 } = principals;
    await cases.recordFirstContact(officer104, { caseId: a, contactedOn: '2027-03-08', contactCardIssued: true });
    await cases.recordFirstContact(officer104, { caseId: b, contactedOn: '2027-03-20', contactCardIssued: false });
    await cases.recordFirstContact(officer104, { caseId: d, contactedOn: '2027-04-02', contactCardIssued: true });
    await cases.recordFirstContact(officer107, { caseId: e, contactedOn: '2027-03-06', contactCardIssued: true });
    const fu = (who: typeof officer104, caseId: string, heldOn: string, drugTest: DrugTestResult, kind = FollowUpKind.PHONE) =>
      followUps.record(who, { caseId, kind, heldOn, contactMade: true, situation: '情况稳定', drugTest });
    await fu(officer104, a, '2027-03-15', DrugTestResult.NEGATIVE);
    await fu(officer104, a, '2027-04-10', DrugTestResult.NOT_TESTED);
    await fu(officer104, a, '2027-05-10', DrugTestResult.NOT_TESTED);
    await fu(officer104, a, '2027-05-20', DrugTestResult.NEGATIVE, FollowUpKind.FACE_TO_FACE);
    await fu(officer104, b, '2027-03-25', DrugTestResult.REFUSED);
    await fu(officer104, b, '2027-05-15', DrugTestResult.POSITIVE);
    await fu(officer104, b, '2027-06-15', DrugTestResult.NEGATIVE);
    await fu(officer104, d, '2027-04-05', DrugTestResult.NOT_TESTED);
    await fu(officer104, d, '2027-05-05', DrugTestResult.NOT_TESTED);
    await fu(officer104, d, '2027-06-05', DrugTestResult.NOT_TESTED);
    await fu(officer104, d, '2027-06-06', DrugTestResult.NEGATIVE, FollowUpKind.FACE_TO_FACE);
    await fu(officer107, e, '2027-03-10', DrugTestResult.NOT_TESTED);
    await http()
      .post('/api/v1/aftercare/drug-test-results')
      .set('authorization', `Bearer ${tokens.police}`)
      .set('idempotency-key', 'DT-E-1')
      .send({ person: { idNumber: idNumberOf(5), name: '照管对象5', residenceTown: '107' }, testedAt: '2027-04-20', result: 'POSITIVE' })
      .expect(201);
    await cases.close(officer107, e, ClosureReason.MOVED, '2027-06-20');
    clock.set('2027-06-01T02:00:00Z');
    await ok(tokens.officer104, `mutation($i: NameSuccessCaseInput!) { nameSuccessCase(input: $i) { id } }`, { i: { caseId: a, year: 2027, title: '典型一', summary: '事迹' } });
    clock.set('2027-07-15T02:00:00Z');
  });

  it('K-AC1 … K-AC4 for March 2027: coverage anchored on the release (2 of 4 at 104), abstinence and follow-ups on 03-31, success cases named by then', async () => {
    const sets: IndicatorSet[] = (await ok(tokens.bureau, Q, { p: { kind: 'MONTH', year: 2027, number: 3 } })).aftercareIndicators;
    expect(sets[sets.length - 1].town).toBeNull();
    expect(byTown(sets, '104')).toEqual({
      'K-AC1': [2, 4, 0.5],
      'K-AC2': [2, 2, 1],
      'K-AC3-PHONE': [2, 2, 1],
      'K-AC3-VISIT': [0, 2, 0],
      'K-AC4': [0, 1, 0],
    });
    expect(byTown(sets, '107')).toEqual({ 'K-AC1': [1, 1, 1], 'K-AC2': [1, 1, 1], 'K-AC3-PHONE': [1, 1, 1], 'K-AC3-VISIT': [0, 1, 0], 'K-AC4': [0, 1, 0] });
    expect(byTown(sets, null)).toEqual({ 'K-AC1': [3, 5, 0.6], 'K-AC2': [3, 3, 1], 'K-AC3-PHONE': [3, 3, 1], 'K-AC3-VISIT': [0, 3, 0], 'K-AC4': [0, 2, 0] });
  });

  it('issue 11 item 6: the March snapshot for the town ranking carries the same K-AC counts per town (counts only); the periodic run publishes the last closed month, quarter and year', async () => {
    const publisher = h.svc().app.get(AftercareIndicatorSnapshotPublisher);
    const payload = await publisher.publish(periodRange(PeriodKind.MONTH, 2027, 3));
    expect(payload).toMatchObject({ periodKind: 'MONTH', period: '2027-03', start: '2027-03-01', end: '2027-03-31' });
    const t104 = payload.towns.find((t) => t.town === '104')!;
    expect(t104.indicators.find((i) => i.code === 'K-AC1')).toMatchObject({ code: 'K-AC1', numerator: 2, denominator: 4 });
    expect(t104.indicators.find((i) => i.code === 'K-AC3-VISIT')).toMatchObject({ numerator: 0, denominator: 2 });
    expect(JSON.stringify(payload)).not.toMatch(/personKey|idNumber|name/);
    const before = (await h.svc().db.query(`SELECT 1 FROM aftercare.bus_outbox WHERE name = 'aftercare.indicators.published'`)).length;
    expect(await publisher.publishClosed()).toBe(3);
    expect((await h.svc().db.query(`SELECT 1 FROM aftercare.bus_outbox WHERE name = 'aftercare.indicators.published'`)).length).toBe(before + 3);
  });

  it('K-AC1 … K-AC4 for 2027-Q2: no release in the quarter is "not available" (null), never 0; a relapse in May, a closed case, a success case named', async () => {
    const sets: IndicatorSet[] = (await ok(tokens.bureau, Q, { p: { kind: 'QUARTER', year: 2027, number: 2 } })).aftercareIndicators;
    expect(sets[0].period).toBe('2027-Q2');
    const t104 = byTown(sets, '104');
    expect(t104['K-AC1']).toEqual([0, 0, null]);
    expect(t104['K-AC2'][0]).toBe(2);
    expect(t104['K-AC2'][1]).toBe(3);
    expect(t104['K-AC2'][2]).toBeCloseTo(2 / 3);
    expect(t104['K-AC3-PHONE'][0]).toBe(7);
    expect(t104['K-AC3-PHONE'][1]).toBe(9);
    expect(t104['K-AC3-VISIT']).toEqual([2, 3, expect.closeTo(2 / 3)]);
    expect(t104['K-AC4']).toEqual([1, 1, 1]);
    // 107: E closed 06-20 is no subject on 06-30 (K-AC2 null) but owed April … June and Q2 before it closed.
    expect(byTown(sets, '107')).toEqual({ 'K-AC1': [0, 0, null], 'K-AC2': [0, 0, null], 'K-AC3-PHONE': [0, 3, 0], 'K-AC3-VISIT': [0, 1, 0], 'K-AC4': [0, 1, 0] });
    const city = byTown(sets, null);
    expect([city['K-AC1'], city['K-AC3-PHONE'].slice(0, 2), city['K-AC3-VISIT'].slice(0, 2), city['K-AC4']]).toEqual([[0, 0, null], [7, 12], [2, 4], [1, 2, 0.5]]);
  });

  it("K-AC: a town officer gets its own station and the city row of its towns only; a social worker is refused", async () => {
    const sets: IndicatorSet[] = (await ok(tokens.officer107, Q, { p: { kind: 'YEAR', year: 2027 } })).aftercareIndicators;
    expect(sets.map((s) => s.town?.code ?? null)).toEqual(['107', null]);
    const res = await h.gql(tokens.worker104, Q, { p: { kind: 'YEAR', year: 2027 } }).expect(200);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('AC-7: the March statistics as CSV with Chinese headers: per town and the city total (with the city queue\'s notice)', async () => {
    const res = await http().get(url('month=2027-03&format=csv')).set('authorization', `Bearer ${tokens.bureau}`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('aftercare-monthly-statistics-2027-03.csv');
    const lines = (res.body as Buffer).subarray(3).toString('utf8').trim().split('\r\n').map((l) => l.split(','));
    expect(lines[0]).toEqual(['统计月份', '镇街代码', '镇街名称', '收到解戒通知数', '已匹配服务站数', '7日内对接数', '电话回访数', '见面回访数', '尿检次数', '阴性', '阳性', '拒绝检测', '未检测', '复吸人次', '解除照管数', '成功戒毒典型数']);
    const row = (code: string) => lines.find((l) => l[1] === code)!.slice(3).map(Number);
    expect(row('104')).toEqual([4, 4, 1, 2, 0, 2, 1, 0, 1, 0, 0, 0, 0]);
    expect(row('107')).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    const total = lines[lines.length - 1];
    expect(total.slice(0, 3)).toEqual(['2027-03', '', '合计']);
    expect(total.slice(3).map(Number)).toEqual([6, 5, 2, 3, 0, 2, 1, 0, 1, 1, 0, 0, 0]);
  });

  it('AC-7: the June statistics as XLSX: relapses counted in their month, the closure, the success case; bad month 400, social worker 403', async () => {
    const res = await http().get(url('month=2027-06&format=xlsx')).set('authorization', `Bearer ${tokens.officer104}`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as Parameters<typeof wb.xlsx.load>[0]);
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(1).getCell(16).value).toBe('成功戒毒典型数');
    const values = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
    // officer104: its row and the total only. June at 104: phones B 06-15, D 06-05; visit D 06-06; tests B, D negative; D's phone untested; one success case.
    expect(values(2)).toEqual(['2027-06', '104', expect.any(String), 0, 0, 0, 2, 1, 2, 2, 0, 0, 1, 0, 0, 1]);
    expect(values(3).slice(2)).toEqual(['合计', 0, 0, 0, 2, 1, 2, 2, 0, 0, 1, 0, 0, 1]);
    const may = await http().get(url('month=2027-05&format=csv')).set('authorization', `Bearer ${tokens.officer104}`).buffer(true).parse(binary).expect(200);
    const mayRow = (may.body as Buffer).subarray(3).toString('utf8').trim().split('\r\n')[1].split(',');
    expect(mayRow.slice(13, 14)).toEqual(['1']); // 复吸人次: B's positive test of 05-15
    const bad = await http().get(url('month=2027-13')).set('authorization', `Bearer ${tokens.officer104}`).expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    await http().get(url('month=2027-03')).set('authorization', `Bearer ${tokens.worker104}`).expect(403);
  });
});
