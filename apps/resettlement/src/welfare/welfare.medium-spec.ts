import { randomUUID } from 'node:crypto';
import { Role, WelfareKind } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../app.module';
import { AssistanceCase } from '../cases/assistance-case.entity';
import { ResettlementConfig } from '../config';
import { OutreachService } from '../outreach/outreach.service';
import { WelfareService } from './welfare.service';

jest.setTimeout(90_000);

/** RS-7 welfare referrals, RS-9 outreach per quarter, RS-12 the social-worker ratio (real PostgreSQL). */
describe('resettlement welfare referrals, prison outreach and social workers (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<ResettlementConfig>;
  let welfare: WelfareService;
  let outreach: OutreachService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-05-10T02:00:00Z'));
  const officer = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] });
  const other = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['001'] });

  beforeAll(async () => {
    svc = await bootServiceApp({ name: 'resettlement', appModule: (o) => AppModule.forRoot(o), config: ResettlementConfig, keys, clock, prefix: testRedisPrefix('rs-welfare') });
    welfare = svc.app.get(WelfareService);
    outreach = svc.app.get(OutreachService);
  });
  afterAll(async () => svc?.close());

  const newCase = () =>
    svc.dataSource.getRepository(AssistanceCase).save({
      personKey: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      town: '104',
      source: 'PRISON_RELEASE',
      sourceRecordId: randomUUID(),
      startDate: '2027-03-01',
      endDate: '2032-02-29',
      status: 'ACTIVE',
    });

  it('RS-7: a referral goes REFERRED → GRANTED → ENDED (or REFUSED), nothing else; other towns cannot touch it', async () => {
    const kase = await newCase();
    const r = await welfare.refer(officer, kase.id, WelfareKind.MINIMUM_LIVING_ALLOWANCE, '家庭无收入');
    await expect(welfare.decide(other, r.id, 'GRANTED')).rejects.toThrow(/未找到/);
    await expect(welfare.decide(officer, r.id, 'ENDED')).rejects.toThrow(/不能如此变更/);
    expect((await welfare.decide(officer, r.id, 'GRANTED')).status).toBe('GRANTED');
    expect((await welfare.decide(officer, r.id, 'ENDED')).status).toBe('ENDED');
    await expect(welfare.refer(other, kase.id, WelfareKind.MEDICAL)).rejects.toThrow(/未找到/);
  });

  it('RS-9: a town without an outreach visit in the quarter is listed; a visit in it takes the town off', async () => {
    expect(await outreach.townsWithoutOutreach(['104', '001'], '2027-Q2')).toEqual(['104', '001']);
    await outreach.recordVisit(officer, '104', '苏州监狱', '2027-04-15', 3, '开展法治讲座');
    await outreach.recordVisit(officer, '104', '苏州监狱', '2027-03-30', 2);
    expect(await outreach.townsWithoutOutreach(['104', '001'], '2027-Q2')).toEqual(['001']);
    await expect(outreach.recordVisit(officer, '104', '苏州监狱', '2027-06-01', 3)).rejects.toThrow(/不能晚于今天/);
    await expect(outreach.recordVisit(other, '104', '苏州监狱', '2027-04-15', 3)).rejects.toThrow(/未找到/);
  });

  it('RS-9 / AL-3: a recorded visit publishes resettlement.outreach.visited with its town and quarter (no note); a refused one publishes nothing', async () => {
    const events = () =>
      svc.db.query<{ payload: Record<string, unknown> }>(`SELECT payload FROM resettlement.bus_outbox WHERE name = 'resettlement.outreach.visited' AND payload->>'town' = '104' ORDER BY payload->>'visitedOn'`);
    const before = (await events()).length;
    const v = await outreach.recordVisit(officer, '104', '南京监狱', '2027-05-08', 4, '张三 320281199001011234 参加');
    const after = await events();
    expect(after).toHaveLength(before + 1);
    expect(after.find((e) => e.payload.visitId === v.id)?.payload).toEqual({ visitId: v.id, town: '104', visitedOn: '2027-05-08', quarter: '2027-Q2' });
    await expect(outreach.recordVisit(officer, '104', '南京监狱', '2027-05-11', 4)).rejects.toThrow(/不能晚于今天/);
    await expect(outreach.recordVisit(other, '104', '南京监狱', '2027-05-08', 4)).rejects.toThrow(/未找到/);
    expect(await events()).toHaveLength(before + 1);
  });

  it('RS-12: social workers against 1 per 50 subjects on a day', async () => {
    for (let i = 0; i < 50; i += 1) await newCase();
    await outreach.addSocialWorker(officer, '104', '社工甲', '2027-01-01');
    const ratio = await outreach.socialWorkerRatio('104', '2027-05-10', 50);
    expect(ratio.workers).toBe(1);
    expect(ratio.subjects).toBeGreaterThan(50);
    expect(ratio.needed).toBe(2);
  });
});
