import { randomUUID } from 'node:crypto';
import { BaseKind, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, findClearPii, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../app.module';
import { AssistanceCase } from '../cases/assistance-case.entity';
import { ResettlementConfig } from '../config';
import { FundService } from './fund.service';

jest.setTimeout(90_000);

/** RS-11: the sunshine fund's balance and the bases' capacity hold under concurrency (real PostgreSQL). */
describe('resettlement bases and the sunshine fund (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<ResettlementConfig>;
  let fund: FundService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-10T02:00:00Z'));
  const city = staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] });
  const officer104 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] });
  const officer001 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['001'] });

  const newCase = async (town = '104'): Promise<AssistanceCase> =>
    svc.dataSource.getRepository(AssistanceCase).save({
      personKey: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      town,
      source: 'PRISON_RELEASE',
      sourceRecordId: randomUUID(),
      startDate: '2027-03-01',
      endDate: '2032-02-29',
      status: 'ACTIVE',
    });

  beforeAll(async () => {
    svc = await bootServiceApp({ name: 'resettlement', appModule: (o) => AppModule.forRoot(o), config: ResettlementConfig, keys, clock, prefix: testRedisPrefix('rs-fund') });
    fund = svc.app.get(FundService);
  });
  afterAll(async () => svc?.close());

  it('RS-11: 20 grants fired at once against a balance for 10: exactly 10 succeed, the balance ends at 0, never below', async () => {
    const f = await fund.createFund(city, '江阴市阳光帮扶基金', null);
    await fund.donate(city, { fundId: f.id, amountFen: 100_000, counterparty: '某爱心企业', purpose: '年度捐赠' });
    const kase = await newCase();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => fund.grant(city, { fundId: f.id, amountFen: 10_000, counterparty: `受助家庭${i}`, purpose: '临时困难救助', caseId: kase.id })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const r of refused) expect(String(r.reason)).toMatch(/基金余额不足/);
    expect((await fund.balance(city, f.id)).balanceFen).toBe(0);
    const rows = await svc.db.query<{ kind: string; n: number; min_after: string }>(
      `SELECT kind, count(*)::int AS n, min(balance_after_fen)::text AS min_after FROM resettlement.fund_movements WHERE fund_id = $1 GROUP BY kind ORDER BY kind`,
      [f.id],
    );
    expect(rows).toEqual([
      { kind: 'DONATION', n: 1, min_after: '100000' },
      { kind: 'GRANT', n: 10, min_after: '0' },
    ]);
  });

  it('RS-11: the database itself refuses a negative balance (the CHECK behind the lock)', async () => {
    const f = await fund.createFund(city, '测试基金', null);
    await expect(svc.db.query(`UPDATE resettlement.funds SET balance_fen = -1 WHERE id = $1`, [f.id])).rejects.toThrow(/funds_balance_never_negative/);
  });

  it('RS-11: a town fund is its town\'s: another town\'s officer cannot see or use it; amounts must be whole positive fen', async () => {
    const f = await fund.createFund(officer104, '徐霞客镇帮扶金', '104');
    await expect(fund.donate(officer001, { fundId: f.id, amountFen: 100, counterparty: 'x', purpose: 'y' })).rejects.toThrow(/未找到/);
    await expect(fund.donate(officer104, { fundId: f.id, amountFen: 0, counterparty: 'x', purpose: 'y' })).rejects.toThrow(/正整数/);
    await expect(fund.grant(officer104, { fundId: f.id, amountFen: 1, counterparty: 'x', purpose: 'y' })).rejects.toThrow(/基金余额不足/);
  });

  it('RS-11: a base takes placements up to its capacity, also when they arrive at once', async () => {
    const base = await fund.addBase(officer104, '104', '徐霞客镇过渡性安置基地', BaseKind.TRANSITIONAL, 3);
    const cases = await Promise.all(Array.from({ length: 6 }, () => newCase()));
    const results = await Promise.allSettled(cases.map((c) => fund.place(officer104, base.id, c.id, '2027-03-05')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const r of refused) expect(String(r.reason)).toMatch(/该安置基地已满/);
  });

  it('RS-11: donors and recipients are not stored in clear', async () => {
    expect(await findClearPii(svc.db.url, { donor: '某爱心企业', recipient: '受助家庭3' })).toEqual([]);
  });
});
