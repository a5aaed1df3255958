import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AgencyKind, RiskLevel, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, findClearPii, testRedisPrefix } from '@homeward/testing';
import { AgreementsService } from '../agreements/agreements.service';
import { AppModule } from '../app.module';
import { ResettlementConfig } from '../config';
import { AssessmentsService } from './assessments.service';

jest.setTimeout(90_000);

/** RS-4 agreements and RS-6 assessments / police hand-overs (real PostgreSQL + Redis). */
describe('resettlement agreements, risk assessments and police hand-overs (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<ResettlementConfig>;
  let app: NestExpressApplication;
  let assessments: AssessmentsService;
  let agreements: AgreementsService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-02-20T02:00:00Z'));
  const prison = keys.mint(partnerPrincipal(AgencyKind.PRISON, { agencyId: 'jiangsu-prison-1' }), { expiresInSeconds: 60 * 86_400, now: clock.now() });
  const officer104 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] });
  const officer001 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['001'] });
  const post = (path: string, key: string, body: object) =>
    request(app.getHttpServer()).post(`/api/v1/resettlement/${path}`).set('authorization', `Bearer ${prison}`).set('idempotency-key', key).send(body);
  let noticeId: string;
  let releaseId: string;

  beforeAll(async () => {
    svc = await bootServiceApp({ name: 'resettlement', appModule: (o) => AppModule.forRoot(o), config: ResettlementConfig, keys, clock, prefix: testRedisPrefix('rs-assess') });
    app = svc.app;
    assessments = app.get(AssessmentsService);
    agreements = app.get(AgreementsService);
    noticeId = (
      await post('pre-release-notices', 'N-1', {
        person: { idNumber: '11010519491231002X', name: '评估甲', residenceTown: '104' },
        prisonerNo: 'A-1',
        expectedReleaseDate: '2027-03-01',
        offence: '抢劫罪',
        sentence: '有期徒刑五年',
        conductInPrison: '差',
        keyCategories: ['POOR_CONDUCT'],
      }).expect(201)
    ).body.id;
  });
  afterAll(async () => svc?.close());

  it('RS-4: a 1+1+N agreement needs the person, the office and one more, and all three clauses; one per notice', async () => {
    const clauses = { control: '每月报告思想动态', education: '参加法治教育', assistance: '协助就业' };
    await expect(agreements.sign(officer104, noticeId, [{ role: 'PERSON', name: '评估甲' }, { role: 'TOWN_OFFICE', name: '徐霞客司法所' }], clauses, '2027-02-20')).rejects.toThrow(/1\+1\+N/);
    await expect(agreements.sign(officer104, noticeId, [{ role: 'PERSON', name: '评估甲' }, { role: 'TOWN_OFFICE', name: '所' }, { role: 'FAMILY', name: '评估父' }], { ...clauses, education: ' ' }, '2027-02-20')).rejects.toThrow(/管控、教育和帮扶/);
    await expect(agreements.sign(officer001, noticeId, [{ role: 'PERSON', name: '评估甲' }, { role: 'TOWN_OFFICE', name: '所' }, { role: 'FAMILY', name: '评估父' }], clauses, '2027-02-20')).rejects.toThrow(/未找到/);
    const parties = [{ role: 'PERSON', name: '评估甲' }, { role: 'TOWN_OFFICE', name: '徐霞客司法所' }, { role: 'FAMILY', name: '评估父' }];
    const signed = await agreements.sign(officer104, noticeId, parties, clauses, '2027-02-20');
    expect(signed.signedOn).toBe('2027-02-20');
    await expect(agreements.sign(officer104, noticeId, parties, clauses, '2027-02-20')).rejects.toThrow(/已签订协议/);
  });

  it('RS-6: the risk assessment is on time up to 30 days after release, late after; it needs its factors; the day is not before release', async () => {
    clock.set(new Date('2027-03-01T02:00:00Z'));
    releaseId = (await post('releases', 'R-1', { preReleaseNoticeId: noticeId, actualReleaseDate: '2027-03-01' }).expect(201)).body.id;
    await expect(assessments.assess(officer104, releaseId, RiskLevel.HIGH, [])).rejects.toThrow(/评估因素/);
    await expect(assessments.assess(officer104, releaseId, RiskLevel.HIGH, ['无固定住所'], '2027-02-28')).rejects.toThrow(/早于释放日期/);
    await expect(assessments.assess(officer001, releaseId, RiskLevel.HIGH, ['无固定住所'])).rejects.toThrow(/未找到/);
    clock.set(new Date('2027-04-01T02:00:00Z'));
    const late = await assessments.assess(officer104, releaseId, RiskLevel.HIGH, ['无固定住所', '家庭关系紧张']);
    expect(late).toMatchObject({ onTime: false, level: 'HIGH' });
    const onTime = await assessments.assess(officer104, releaseId, RiskLevel.MEDIUM, ['有固定工作'], '2027-03-31');
    expect(onTime.onTime).toBe(true);
  });

  it('RS-6: the police hand-over is on time up to 7 days after release and recorded once', async () => {
    const h = await assessments.handOverToPolice(officer104, releaseId, '江阴市公安局徐霞客派出所', '2027-03-09');
    expect(h.onTime).toBe(false);
    await expect(assessments.handOverToPolice(officer104, releaseId, '江阴市公安局徐霞客派出所', '2027-03-08')).rejects.toThrow(/已移交/);
    const [{ n }] = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.bus_outbox WHERE name = 'resettlement.police.handed-over'`);
    expect(n).toBe(1);
  });

  it('RS-4 / RS-6: factors, parties and clauses are not stored in clear', async () => {
    expect(await findClearPii(svc.db.url, { factor: '家庭关系紧张', party: '评估父', clause: '每月报告思想动态', police: '徐霞客派出所' })).toEqual([]);
  });
});
