import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AgencyKind, PickUpBy, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, eventually, findClearPii, personNeedles, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../app.module';
import { ResettlementConfig } from '../config';
import { NoticesService } from '../notices/notices.service';
import { ReleasesService } from './releases.service';

jest.setTimeout(90_000);

const ID = '11010519491231002X';
const ID2 = '11010519491231010X';

/** RS-5, RS-6 and RS-8 through the partner REST routes and the bus (real PostgreSQL + Redis). */
describe('resettlement releases, pick-ups and re-offence reports (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<ResettlementConfig>;
  let app: NestExpressApplication;
  let releases: ReleasesService;
  let notices: NoticesService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  const mint = (p: Parameters<TestKeys['mint']>[0]) => keys.mint(p, { expiresInSeconds: 30 * 86_400, now: clock.now() });
  const prison = mint(partnerPrincipal(AgencyKind.PRISON, { agencyId: 'jiangsu-prison-1' }));
  const otherPrison = mint(partnerPrincipal(AgencyKind.PRISON, { agencyId: 'jiangsu-prison-2' }));
  const police = mint(partnerPrincipal(AgencyKind.POLICE, { agencyId: 'jiangyin-police' }));
  const officer104 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] });
  const officer001 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['001'] });
  const city = staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] });

  const post = (path: string, token: string, key: string, payload: object) =>
    request(app.getHttpServer()).post(`/api/v1/resettlement/${path}`).set('authorization', `Bearer ${token}`).set('idempotency-key', key).send(payload);
  const notice = (prisonerNo: string, over: Record<string, unknown> = {}, person: Record<string, unknown> = {}) => ({
    person: { idNumber: ID, name: '释放甲', residenceTown: '104', ...person },
    prisonerNo,
    expectedReleaseDate: '2027-03-01',
    offence: '盗窃罪',
    sentence: '有期徒刑三年',
    conductInPrison: '一般',
    keyCategories: ['POOR_CONDUCT'],
    ...over,
  });

  beforeAll(async () => {
    svc = await bootServiceApp({ name: 'resettlement', appModule: (o) => AppModule.forRoot(o), config: ResettlementConfig, keys, clock, prefix: testRedisPrefix('rs-releases') });
    app = svc.app;
    releases = app.get(ReleasesService);
    notices = app.get(NoticesService);
  });
  afterAll(async () => svc?.close());

  it('RS-5 / RS-6: a release of a notice opens a 5-year assistance case and sets the pick-up, hand-over and assessment dates', async () => {
    const { body: n } = await post('pre-release-notices', prison, 'N-1', notice('P-1')).expect(201);
    const res = await post('releases', prison, 'R-1', { preReleaseNoticeId: n.id, actualReleaseDate: '2027-03-01', handedOverTo: '司法所王某' }).expect(201);
    expect(res.headers.location).toBe(`/api/v1/resettlement/releases/${res.body.id}`);
    const [row] = await svc.db.query<Record<string, unknown>>(
      `SELECT r.town, r.key_person, r.pick_up_due::text, r.police_hand_over_due::text, r.risk_assessment_due::text,
              c.source, c.start_date::text, c.end_date::text
         FROM resettlement.releases r JOIN resettlement.assistance_cases c ON c.id = r.case_id WHERE r.id = $1`,
      [res.body.id],
    );
    expect(row).toEqual({
      town: '104',
      key_person: true,
      pick_up_due: '2027-03-02',
      police_hand_over_due: '2027-03-08',
      risk_assessment_due: '2027-03-31',
      source: 'PRISON_RELEASE',
      start_date: '2027-03-01',
      end_date: '2032-02-29',
    });
    // The prison reads it back; another prison does not.
    await request(app.getHttpServer()).get(res.headers.location).set('authorization', `Bearer ${prison}`).expect(200);
    await request(app.getHttpServer()).get(res.headers.location).set('authorization', `Bearer ${otherPrison}`).expect(404);
  });

  it('RS-5: a second release of the same notice is 409; another prison\'s notice id is 422; a future release is 422', async () => {
    const { body: n } = await post('pre-release-notices', prison, 'N-2', notice('P-2', {}, { idNumber: ID2 })).expect(201);
    await post('releases', prison, 'R-2', { preReleaseNoticeId: n.id, actualReleaseDate: '2027-03-01' }).expect(201);
    await post('releases', prison, 'R-2b', { preReleaseNoticeId: n.id, actualReleaseDate: '2027-03-01' }).expect(409);
    await post('releases', otherPrison, 'R-2c', { preReleaseNoticeId: n.id, actualReleaseDate: '2027-03-01' }).expect(422);
    await post('releases', prison, 'R-2d', { person: { idNumber: ID2, name: '释放乙', residenceTown: '104' }, actualReleaseDate: '2027-03-02' }).expect(422);
  });

  it('RS-5: a release given by person finds the prison\'s open notice; with no notice and no Jiangyin town it is refused', async () => {
    const { body: n } = await post('pre-release-notices', prison, 'N-3', notice('P-3', { expectedReleaseDate: '2027-03-20', keyCategories: [] }, { idNumber: '320281198001010033' })).expect(201);
    const res = await post('releases', prison, 'R-3', { person: { idNumber: '320281198001010033', name: '释放丙', residenceTown: '104' }, actualReleaseDate: '2027-03-01' }).expect(201);
    const [row] = await svc.db.query<{ notice_id: string }>(`SELECT notice_id FROM resettlement.releases WHERE id = $1`, [res.body.id]);
    expect(row.notice_id).toBe(n.id);
    const refused = await post('releases', prison, 'R-4', { person: { idNumber: '320281198001010041', name: '释放丁', residenceTown: '999' }, actualReleaseDate: '2027-03-01' }).expect(422);
    expect(refused.body.detail).toMatch(/请先报送预释放人员信息/);
  });

  it('RS-1 → RS-6 through the bus: a release whose notice waited in the city queue opens its case when the city assigns the town', async () => {
    const { body: n } = await post('pre-release-notices', prison, 'N-5', notice('P-5', {}, { idNumber: '32028119800101005X', residenceTown: '999' })).expect(201);
    expect(n.town).toBeNull();
    const { body: r } = await post('releases', prison, 'R-5', { preReleaseNoticeId: n.id, actualReleaseDate: '2027-03-01' }).expect(201);
    const before = await svc.db.query<{ town: string | null; case_id: string | null }>(`SELECT town, case_id FROM resettlement.releases WHERE id = $1`, [r.id]);
    expect(before[0]).toEqual({ town: null, case_id: null });
    await notices.assignTown(city, n.id, '001', '实际居住在澄江');
    const after = await eventually(
      () => svc.db.query<{ town: string | null; case_id: string | null }>(`SELECT town, case_id FROM resettlement.releases WHERE id = $1`, [r.id]),
      (rows) => rows[0].case_id !== null,
    );
    expect(after[0].town).toBe('001');
  });

  it('RS-5: the office of the town records the pick-up once; another town\'s officer gets "not found"', async () => {
    const { body: n } = await post('pre-release-notices', prison, 'N-6', notice('P-6', {}, { idNumber: '320281198001010068' })).expect(201);
    const { body: r } = await post('releases', prison, 'R-6', { preReleaseNoticeId: n.id, actualReleaseDate: '2027-03-01' }).expect(201);
    const cmd = { releaseId: r.id, by: PickUpBy.FAMILY, collectorName: '释放父', relationship: '父子', place: '监狱大门' };
    await expect(releases.recordPickUp(officer001, cmd)).rejects.toThrow(/未找到/);
    const done = await releases.recordPickUp(officer104, cmd);
    expect(done.pickedUpBy).toBe('FAMILY');
    await expect(releases.recordPickUp(officer104, cmd)).rejects.toThrow(/已登记/);
    const [{ n: events }] = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.bus_outbox WHERE name = 'resettlement.pickup.recorded' AND payload->>'releaseId' = $1`, [r.id]);
    expect(events).toBe(1);
  });

  it('RS-8: a re-offence after a release is matched; an unknown person\'s report is kept and matched when the person is released', async () => {
    const matched = await post('reoffence-reports', police, 'O-1', { person: { idNumber: ID }, offenceDate: '2027-03-01', caseNo: '澄公刑2027-1' }).expect(201);
    expect(matched.body).toEqual({ id: expect.any(String), matched: true });

    const stranger = '320281198001010076';
    const kept = await post('reoffence-reports', police, 'O-2', { person: { idNumber: stranger }, offenceDate: '2027-03-01', caseNo: '澄公刑2027-2' }).expect(201);
    expect(kept.body.matched).toBe(false);
    await post('reoffence-reports', police, 'O-2b', { person: { idNumber: stranger }, offenceDate: '2027-03-01', caseNo: '澄公刑2027-2' }).expect(409);
    await post('reoffence-reports', prison, 'O-3', { person: { idNumber: stranger }, offenceDate: '2027-03-01', caseNo: 'x' }).expect(403);

    // The person appears: released (by person, residence 104) on the day of the offence.
    await post('releases', prison, 'R-7', { person: { idNumber: stranger, name: '释放戊', residenceTown: '104' }, actualReleaseDate: '2027-03-01' }).expect(201);
    const read = await request(app.getHttpServer()).get(kept.headers.location).set('authorization', `Bearer ${police}`).expect(200);
    expect(read.body.matched).toBe(true);
    const [{ n }] = await svc.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM resettlement.bus_outbox WHERE name = 'resettlement.reoffence.reported' AND payload->>'reportId' = $1 AND payload->>'matched' = 'true'`,
      [kept.body.id],
    );
    expect(n).toBe(1);
  });

  it('RS-5 / RS-8: nothing naming a person is stored in clear', async () => {
    const hits = await findClearPii(svc.db.url, { ...personNeedles(ID, '释放甲', 'p.'), handedOverTo: '司法所王某', collector: '释放父', caseNo: '澄公刑2027-1' });
    expect(hits).toEqual([]);
  });
});
