import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AgencyKind, Role, VerificationItem } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, findClearPii, personNeedles, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../app.module';
import { ResettlementConfig } from '../config';
import { NoticesService } from './notices.service';

jest.setTimeout(90_000);

const ID = '11010519491231002X';
const NAME = '预释甲';

/** RS-1 … RS-3 through the partner REST routes (real PostgreSQL + Redis). */
describe('resettlement pre-release notices and receipts (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<ResettlementConfig>;
  let app: NestExpressApplication;
  let notices: NoticesService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-01-20T02:00:00Z'));
  const mint = (p: Parameters<TestKeys['mint']>[0]) => keys.mint(p, { expiresInSeconds: 30 * 86_400, now: clock.now() });
  const prison = mint(partnerPrincipal(AgencyKind.PRISON, { agencyId: 'jiangsu-prison-1' }));
  const otherPrison = mint(partnerPrincipal(AgencyKind.PRISON, { agencyId: 'jiangsu-prison-2' }));
  const court = mint(partnerPrincipal(AgencyKind.COURT, { agencyId: 'jiangyin-court' }));
  const officer104 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] });
  const officer001 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['001'] });
  const city = staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] });

  const body = (over: Record<string, unknown> = {}, person: Record<string, unknown> = {}) => ({
    person: { idNumber: ID, name: NAME, residenceTown: '104', residenceAddress: '徐霞客镇马镇村1号', ...person },
    prisonerNo: 'JS-2021-00417',
    expectedReleaseDate: '2027-03-01',
    offence: '盗窃罪',
    sentence: '有期徒刑三年',
    conductInPrison: '改造表现一般',
    keyCategories: [],
    ...over,
  });
  const post = (token: string, key: string, payload: unknown) =>
    request(app.getHttpServer()).post('/api/v1/resettlement/pre-release-notices').set('authorization', `Bearer ${token}`).set('idempotency-key', key).send(payload as object);
  const receipt = (token: string, id: string) => request(app.getHttpServer()).get(`/api/v1/resettlement/pre-release-notices/${id}/receipt`).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    svc = await bootServiceApp({
      name: 'resettlement',
      appModule: (overrides) => AppModule.forRoot(overrides),
      config: ResettlementConfig,
      keys,
      clock,
      prefix: testRedisPrefix('rs-notices'),
    });
    app = svc.app;
    notices = app.get(NoticesService);
  });
  afterAll(async () => svc?.close());

  it('RS-1: a prison\'s notice is matched to the town of actual residence: 201 { id, town, keyPerson } with a Location', async () => {
    const res = await post(prison, 'PRN-1', body()).expect(201);
    expect(res.body).toEqual({ id: expect.any(String), town: '104', keyPerson: false });
    expect(res.headers.location).toBe(`/api/v1/resettlement/pre-release-notices/${res.body.id}/receipt`);
    const [row] = await svc.db.query<{ matched_by: string; verification_due: string; received_on: string }>(
      `SELECT matched_by, verification_due::text, received_on::text FROM resettlement.pre_release_notices WHERE id = $1`,
      [res.body.id],
    );
    expect(row).toEqual({ matched_by: 'RESIDENCE', verification_due: '2027-02-22', received_on: '2027-01-20' });
  });

  it('RS-1: the same Idempotency-Key and body answers the first notice again; another body with it is 409', async () => {
    const first = await post(prison, 'PRN-2', body({ prisonerNo: 'JS-2', expectedReleaseDate: '2027-04-01' })).expect(201);
    const again = await post(prison, 'PRN-2', body({ prisonerNo: 'JS-2', expectedReleaseDate: '2027-04-01' })).expect(201);
    expect(again.body.id).toBe(first.body.id);
    await post(prison, 'PRN-2', body({ prisonerNo: 'JS-2', expectedReleaseDate: '2027-04-02' })).expect(409);
    const [{ n }] = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.pre_release_notices WHERE expected_release_date = '2027-04-01'`);
    expect(n).toBe(1);
  });

  it('RS-1: a second notice for the same prisoner and release date under a new key is 409 and stores nothing', async () => {
    const res = await post(prison, 'PRN-1-again', body()).expect(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/已报送/);
  });

  it('RS-1: a notice naming no Jiangyin town is kept in the city queue (town null), never refused or lost', async () => {
    const res = await post(prison, 'PRN-3', body({ prisonerNo: 'JS-3' }, { residenceTown: '999' })).expect(201);
    expect(res.body.town).toBeNull();
    expect((await notices.list(city, { limit: 50 }, true)).map((n) => n.id)).toContain(res.body.id);
    // A town officer sees nothing of the queue.
    expect(await notices.list(officer104, { limit: 50 }, true)).toEqual([]);
    // The city office gives it a town; from then on it is that office's notice.
    await notices.assignTown(city, res.body.id, '001', '户籍核实在澄江街道');
    expect((await notices.list(officer001, { limit: 50 })).map((n) => n.id)).toContain(res.body.id);
    expect((await notices.list(city, { limit: 50 }, true)).map((n) => n.id)).not.toContain(res.body.id);
  });

  it('RS-1 / RS-3: actual residence outside Jiangyin falls back to the registered town, and 人户分离 is added', async () => {
    const res = await post(prison, 'PRN-4', body({ prisonerNo: 'JS-4' }, { residenceTown: '999', registeredTown: '107' })).expect(201);
    expect(res.body).toMatchObject({ town: '107', keyPerson: true });
    const [row] = await svc.db.query<{ key_categories: string[]; matched_by: string }>(`SELECT key_categories, matched_by FROM resettlement.pre_release_notices WHERE id = $1`, [res.body.id]);
    expect(row).toEqual({ key_categories: ['RESIDENCE_MISMATCH'], matched_by: 'REGISTRATION' });
  });

  it('RS-3: the prison\'s categories make a key person; an unknown category is a 400 naming the field', async () => {
    const key = await post(prison, 'PRN-5', body({ prisonerNo: 'JS-5', keyCategories: ['POOR_CONDUCT', 'NATIONAL_SECURITY'] })).expect(201);
    expect(key.body.keyPerson).toBe(true);
    const bad = await post(prison, 'PRN-6', body({ prisonerNo: 'JS-6', keyCategories: ['DANGEROUS'] })).expect(400);
    expect(JSON.stringify(bad.body.errors)).toMatch(/keyCategories/);
  });

  it('RS-1: bad input changes nothing: wrong check digit 422, missing field 400, release already past 422, a court 403', async () => {
    const before = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.pre_release_notices`);
    await post(prison, 'BAD-1', body({ prisonerNo: 'B1' }, { idNumber: '110105194912310021' })).expect(422);
    await post(prison, 'BAD-2', { ...body({ prisonerNo: 'B2' }), offence: undefined }).expect(400);
    const past = await post(prison, 'BAD-3', body({ prisonerNo: 'B3', expectedReleaseDate: '2027-01-19' })).expect(422);
    expect(past.body.detail).toMatch(/预计释放日期早于通知日期/);
    await post(court, 'BAD-4', body({ prisonerNo: 'B4' })).expect(403);
    const after = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.pre_release_notices`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('RS-2: the receipt is PENDING until the office verifies and sends it; then SENT with the result and notes', async () => {
    const { body: created } = await post(prison, 'PRN-7', body({ prisonerNo: 'JS-7' })).expect(201);
    expect((await receipt(prison, created.id).expect(200)).body).toEqual({ status: 'PENDING' });

    // Sending before verifying is refused.
    await expect(notices.sendReceipt(officer104, created.id)).rejects.toThrow(/请先完成核查/);
    const items = Object.values(VerificationItem).map((item) => ({ item, matches: item !== VerificationItem.FAMILY, note: item === VerificationItem.FAMILY ? '父母已迁居' : null }));
    const verified = await notices.verify(officer104, { noticeId: created.id, items, notes: '家庭住址有变化，已核实新址' });
    expect(verified.verification).toBe('DISCREPANCY');
    // Still PENDING for the prison: the result travels with the receipt.
    expect((await receipt(prison, created.id).expect(200)).body).toEqual({ status: 'PENDING' });

    clock.set(new Date('2027-01-22T01:30:00Z'));
    await notices.sendReceipt(officer104, created.id);
    expect((await receipt(prison, created.id).expect(200)).body).toEqual({
      status: 'SENT',
      verification: 'DISCREPANCY',
      notes: '家庭住址有变化，已核实新址',
      sentAt: '2027-01-22T01:30:00.000Z',
    });
    // Sent is final: the verification can no longer change.
    await expect(notices.verify(officer104, { noticeId: created.id, items, notes: null })).rejects.toThrow(/回执已发送/);
  });

  it('RS-2: another prison, and an officer of another town, get "not found" — and the denial is audited', async () => {
    const { body: created } = await post(prison, 'PRN-8', body({ prisonerNo: 'JS-8' })).expect(201);
    await receipt(otherPrison, created.id).expect(404);
    await receipt(prison, 'not-a-uuid').expect(404);
    await expect(notices.verify(officer001, { noticeId: created.id, items: [], notes: null })).rejects.toThrow();
    await expect(notices.findOne(officer001, created.id)).rejects.toThrow(/未找到/);
    const rows = await svc.db.query<{ outcome: string }>(
      `SELECT outcome FROM audit.events WHERE action = 'resettlement.notice.read' AND entity_id = $1`,
      [created.id],
    );
    expect(rows.map((r) => r.outcome)).toContain('DENIED');
  });

  it('RS-3: the office changes the categories with a reason; the history keeps before and after', async () => {
    const { body: created } = await post(prison, 'PRN-9', body({ prisonerNo: 'JS-9' })).expect(201);
    await expect(notices.changeKeyCategories(officer104, created.id, ['HIGH_REOFFENDING_RISK'], ' ')).rejects.toThrow(/须说明变更理由/);
    const changed = await notices.changeKeyCategories(officer104, created.id, ['HIGH_REOFFENDING_RISK'], '多次盗窃前科');
    expect(changed.keyPerson).toBe(true);
    const history = await notices.keyCategoryHistory(created.id);
    expect(history.map((h) => [h.before, h.after, h.reason])).toEqual([[[], ['HIGH_REOFFENDING_RISK'], '多次盗窃前科']]);
  });

  it('RS-1: the notice is written, published and audited in one go; nothing naming the person is stored in clear', async () => {
    const events = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.bus_outbox WHERE name = 'resettlement.notice.received'`);
    const stored = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.pre_release_notices`);
    expect(events[0].n).toBe(stored[0].n);
    const audited = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'resettlement.notice.receive'`);
    expect(audited[0].n).toBe(stored[0].n);
    const hits = await findClearPii(svc.db.url, {
      ...personNeedles(ID, NAME, 'person.'),
      prisonerNo: 'JS-2021-00417',
      address: '徐霞客镇马镇村1号',
      notes: '家庭住址有变化',
      reason: '多次盗窃前科',
    });
    expect(hits).toEqual([]);
  });
});
