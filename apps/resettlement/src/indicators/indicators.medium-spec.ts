import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AgencyKind, EmploymentServiceKind, PeriodKind, PickUpBy, ResettlementStatus, Role, VerificationItem, VideoVisitStatus, periodRange } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, testRedisPrefix } from '@homeward/testing';
import { AgreementsService } from '../agreements/agreements.service';
import { AppModule } from '../app.module';
import { AssessmentsService } from '../assessments/assessments.service';
import { ResettlementConfig } from '../config';
import { NoticesService } from '../notices/notices.service';
import { OutreachService } from '../outreach/outreach.service';
import { ReleasesService } from '../releases/releases.service';
import { VideoVisitsService } from '../video-visits/video-visits.service';
import { WelfareService } from '../welfare/welfare.service';
import { ResettlementIndicatorsService } from './indicators.service';
import { ResettlementIndicatorSnapshotPublisher } from './indicator-snapshot.publisher';

jest.setTimeout(120_000);

const ID = { a: '11010519491231002X', b: '320281198001010033', c: '320281198001010041' };

/** K-RS1 … K-RS12 of one town for March 2027 and for 2027, from records made through the services (real PostgreSQL). */
describe('resettlement indicators K-RS1 … K-RS12 (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<ResettlementConfig>;
  let app: NestExpressApplication;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-02-01T02:00:00Z'));
  const prison = keys.mint(partnerPrincipal(AgencyKind.PRISON, { agencyId: 'jiangsu-prison-1' }), { expiresInSeconds: 120 * 86_400, now: clock.now() });
  const police = keys.mint(partnerPrincipal(AgencyKind.POLICE, { agencyId: 'jiangyin-police' }), { expiresInSeconds: 120 * 86_400, now: clock.now() });
  const officer = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] });
  const officer001 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['001'] });
  const post = (path: string, token: string, key: string, body: object) =>
    request(app.getHttpServer()).post(`/api/v1/resettlement/${path}`).set('authorization', `Bearer ${token}`).set('idempotency-key', key).send(body).expect(201);
  const at = (iso: string) => clock.set(new Date(iso));
  const items = Object.values(VerificationItem).map((item) => ({ item, matches: true }));
  const notice = (k: keyof typeof ID, expected: string, keyCategories: string[]) => ({
    person: { idNumber: ID[k], name: `指标${k}`, residenceTown: '104' },
    prisonerNo: `K-${k}`,
    expectedReleaseDate: expected,
    offence: '盗窃罪',
    sentence: '有期徒刑二年',
    conductInPrison: '一般',
    keyCategories,
  });
  let indicators: ResettlementIndicatorsService;

  beforeAll(async () => {
    svc = await bootServiceApp({ name: 'resettlement', appModule: (o) => AppModule.forRoot(o), config: ResettlementConfig, keys, clock, prefix: testRedisPrefix('rs-kpi') });
    app = svc.app;
    indicators = app.get(ResettlementIndicatorsService);
    const notices = app.get(NoticesService);
    const releases = app.get(ReleasesService);
    const assessments = app.get(AssessmentsService);
    const agreements = app.get(AgreementsService);
    const welfare = app.get(WelfareService);
    const outreach = app.get(OutreachService);
    const visits = app.get(VideoVisitsService);

    const a = (await post('pre-release-notices', prison, 'NA', notice('a', '2027-03-01', ['POOR_CONDUCT']))).body.id;
    const b = (await post('pre-release-notices', prison, 'NB', notice('b', '2027-03-05', []))).body.id;
    at('2027-02-10T02:00:00Z');
    await notices.verify(officer, { noticeId: a, items, notes: null });
    await notices.sendReceipt(officer, a);
    at('2027-02-20T02:00:00Z');
    await agreements.sign(officer, a, [{ role: 'PERSON', name: '指标a' }, { role: 'TOWN_OFFICE', name: '所' }, { role: 'FAMILY', name: '家属' }], { control: 'x', education: 'y', assistance: 'z' }, '2027-02-20');
    at('2027-03-01T02:00:00Z');
    const ra = (await post('releases', prison, 'RA', { preReleaseNoticeId: a, actualReleaseDate: '2027-03-01' })).body.id;
    await releases.recordPickUp(officer, { releaseId: ra, by: PickUpBy.OFFICE_STAFF, collectorName: '王', relationship: '司法所', place: '监狱' });
    const c = (await post('pre-release-notices', prison, 'NC', notice('c', '2027-03-10', ['SERIOUS_ILLNESS']))).body.id;
    const terminal = await visits.addTerminal(officer, '104', '1号终端');
    for (const [day, k] of [['15', 'V1'], ['16', 'V2'], ['17', 'V3']] as const) {
      const v = await visits.requestByFamily(officer, { town: '104', prisonName: '苏州监狱', prisonerNo: k, familyContact: '家属', startsAt: new Date(`2027-03-${day}T01:00:00Z`), durationMinutes: 30 });
      if (k !== 'V3') await visits.confirm(officer, v.id, terminal.id);
    }
    at('2027-03-03T02:00:00Z');
    await notices.verify(officer, { noticeId: c, items, notes: null });
    await notices.sendReceipt(officer, c);
    await assessments.handOverToPolice(officer, ra, '徐霞客派出所');
    at('2027-03-05T02:00:00Z');
    const rb = (await post('releases', prison, 'RB', { preReleaseNoticeId: b, actualReleaseDate: '2027-03-05' })).body.id;
    await releases.recordPickUp(officer, { releaseId: rb, by: PickUpBy.FAMILY, collectorName: '父', relationship: '父子', place: '监狱' });
    at('2027-03-10T02:00:00Z');
    await post('releases', prison, 'RC', { preReleaseNoticeId: c, actualReleaseDate: '2027-03-10' });
    const caseOf = async (releaseId: string) => (await svc.db.query<{ case_id: string }>(`SELECT case_id FROM resettlement.releases WHERE id = $1`, [releaseId]))[0].case_id;
    await welfare.setResettlementStatus(officer, await caseOf(ra), ResettlementStatus.EMPLOYED, '2027-03-08');
    await welfare.recordEmploymentService(officer, await caseOf(rb), EmploymentServiceKind.JOB_REFERRAL, '2027-03-09');
    await outreach.addSocialWorker(officer, '104', '社工甲', '2027-01-01');
    at('2027-03-20T02:00:00Z');
    const done = (await svc.db.query<{ id: string }>(`SELECT id FROM resettlement.video_visits WHERE status = 'CONFIRMED' ORDER BY starts_at LIMIT 1`))[0].id;
    await visits.finish(officer, done, VideoVisitStatus.COMPLETED);
    await post('reoffence-reports', police, 'OA', { person: { idNumber: ID.a }, offenceDate: '2027-03-20', caseNo: '澄公刑2027-9' });
    at('2027-04-02T02:00:00Z');
  });
  afterAll(async () => svc?.close());

  const valueOf = (rows: { indicators: { code: string; numerator: number; denominator: number }[] }[], code: string) => {
    const i = rows[0].indicators.find((x) => x.code === code)!;
    return [i.numerator, i.denominator];
  };

  it('K-RS1 … K-RS12 for March 2027 in 徐霞客镇: numerators and denominators from the records', async () => {
    const rows = await indicators.forTowns(officer, periodRange(PeriodKind.MONTH, 2027, 3));
    expect(rows.map((r) => r.town)).toEqual(['104']);
    expect(Object.fromEntries(rows[0].indicators.map((i) => [i.code, [i.numerator, i.denominator]]))).toEqual({
      'K-RS1': [2, 3], // A and C verified before release; B never
      'K-RS2': [1, 1], // of the notices received in March (C), receipts sent
      'K-RS3': [1, 2], // key persons A, C released; A picked up
      'K-RS4': [1, 1], // general B released and picked up
      'K-RS5': [1, 2], // A handed to police, C not
      'K-RS6': [1, 2], // agreements required for A and C; A signed before release
      'K-RS7': [1, 3], // released in the 5 years to 03-31: A, B, C; A re-offended
      'K-RS8': [1, 3],
      'K-RS9': [1, 3], // A employed
      'K-RS10': [1, 3], // B given a job referral
      'K-RS11': [1, 1], // one social worker, three subjects need one
      'K-RS12': [1, 2], // two visits confirmed in March, one completed
    });
  });

  it('K-RS7: the re-offence counts in the cohort of the release before it; February shows no release yet', async () => {
    const feb = await indicators.forTowns(officer, periodRange(PeriodKind.MONTH, 2027, 2));
    expect(valueOf(feb, 'K-RS7')).toEqual([0, 0]);
    expect(valueOf(feb, 'K-RS2')).toEqual([1, 2]); // A and B received in February; A's receipt sent
  });

  it('K-RS: another town\'s officer gets only its own (empty) town; the city row sums the towns', async () => {
    const other = await indicators.forTowns(officer001, periodRange(PeriodKind.MONTH, 2027, 3));
    expect(other.map((r) => r.town)).toEqual(['001']);
    expect(valueOf(other, 'K-RS3')).toEqual([0, 0]);
    const city = staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] });
    const all = await indicators.forTowns(city, periodRange(PeriodKind.YEAR, 2027));
    expect(indicators.city(all).indicators.find((i) => i.code === 'K-RS3')).toMatchObject({ numerator: 1, denominator: 2 });
  });

  it('issue 11 item 6: the snapshot for the town ranking carries every town in force with its K-RS counts, published through the outbox', async () => {
    const publisher = app.get(ResettlementIndicatorSnapshotPublisher);
    const payload = await publisher.publish(periodRange(PeriodKind.MONTH, 2027, 3));
    expect(payload).toMatchObject({ periodKind: 'MONTH', period: '2027-03', start: '2027-03-01', end: '2027-03-31' });
    const t104 = payload.towns.find((t) => t.town === '104')!;
    expect(t104.indicators.find((i) => i.code === 'K-RS3')).toEqual({ code: 'K-RS3', numerator: 1, denominator: 2 });
    expect(payload.towns.find((t) => t.town === '001')!.indicators.find((i) => i.code === 'K-RS3')).toEqual({ code: 'K-RS3', numerator: 0, denominator: 0 });
    expect(payload.towns.length).toBeGreaterThan(15);
    // The periodic run publishes the last closed month, quarter and year of the clock.
    at('2027-04-02T02:00:00Z');
    expect(await publisher.publishClosed()).toBe(3);
    const rows = await svc.db.query<{ payload: { period: string } }>(`SELECT payload FROM resettlement.bus_outbox WHERE name = 'resettlement.indicators.published' ORDER BY seq`);
    expect(rows.map((r) => r.payload.period)).toEqual(['2027-03', '2027-03', '2027-Q1', '2026']);
  });
});
