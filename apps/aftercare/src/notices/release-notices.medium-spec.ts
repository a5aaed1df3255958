import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AgencyKind, Role, idNumberCheckChar } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, findClearPii, personNeedles, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../app.module';
import { AftercareConfig } from '../config';
import { ReleaseNoticesService } from './release-notices.service';

jest.setTimeout(120_000);

/** A valid ID number (Jiangyin region code), distinct per n. */
function idNumber(n: number): string {
  const day = String(1 + (n % 28)).padStart(2, '0');
  const seq = String(Math.floor(n / 28) % 1000).padStart(3, '0');
  const first17 = `320281198503${day}${seq}`;
  return first17 + idNumberCheckChar(first17);
}

/** AC-1 through the partner REST route (real PostgreSQL + Redis). */
describe('aftercare release notices in monthly batches (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<AftercareConfig>;
  let app: NestExpressApplication;
  let notices: ReleaseNoticesService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  const mint = (p: Parameters<TestKeys['mint']>[0]) => keys.mint(p, { expiresInSeconds: 30 * 86_400, now: clock.now() });
  const centre = mint(partnerPrincipal(AgencyKind.REHAB_CENTRE, { agencyId: 'wuxi-rehab-1' }));
  const prison = mint(partnerPrincipal(AgencyKind.PRISON, { agencyId: 'jiangsu-prison-1' }));
  const city = staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] });
  const officer104 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] });
  const officer001 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['001'] });

  const item = (n: number, over: Record<string, unknown> = {}, person: Record<string, unknown> = {}) => ({
    person: { idNumber: idNumber(n), name: `解戒${n}`, residenceTown: '104', residenceAddress: '徐霞客镇马镇村1号', ...person },
    centreRecordNo: `WX-2027-${n}`,
    releaseDate: '2027-03-20',
    keyPerson: false,
    communityRehabilitation: false,
    ...over,
  });
  const post = (token: string, key: string, payload: unknown) =>
    request(app.getHttpServer()).post('/api/v1/aftercare/release-notices').set('authorization', `Bearer ${token}`).set('idempotency-key', key).send(payload as object);
  const count = async (sql: string): Promise<number> => (await svc.db.query<{ n: number }>(sql))[0].n;

  beforeAll(async () => {
    svc = await bootServiceApp({
      name: 'aftercare',
      appModule: (overrides) => AppModule.forRoot(overrides),
      config: AftercareConfig,
      keys,
      clock,
      prefix: testRedisPrefix('ac-notices'),
    });
    app = svc.app;
    notices = app.get(ReleaseNoticesService);
  });
  afterAll(async () => svc?.close());

  it('AC-1: 500 notices with 3 bad rows → 207, 497 × 201 and 3 × 422 with field errors, exactly 497 cases; a replay returns the same ids', async () => {
    const batch = Array.from({ length: 500 }, (_, i) => item(i));
    const wrongCheck = idNumber(17).slice(0, 17) + (idNumber(17)[17] === '0' ? '1' : '0');
    batch[17] = item(17, {}, { idNumber: wrongCheck });
    batch[230] = item(230, {}, { residenceTown: '1O4' });
    batch[499] = item(499, { releaseDate: '2027-01-15' });
    const res = await post(centre, 'AC1-BATCH-1', { notices: batch }).expect(207);
    const results = res.body.results as { index: number; status: number; id?: string; errors?: { field: string; message: string }[] }[];
    expect(results).toHaveLength(500);
    expect(results.map((r) => r.index)).toEqual(batch.map((_, i) => i));
    expect(results.filter((r) => r.status === 201)).toHaveLength(497);
    const rejected = results.filter((r) => r.status === 422);
    expect(rejected.map((r) => [r.index, r.errors?.[0].field])).toEqual([
      [17, 'person.idNumber'],
      [230, 'person.residenceTown'],
      [499, 'releaseDate'],
    ]);
    expect(rejected[2].errors?.[0].message).toMatch(/解戒日期/);
    expect(rejected.every((r) => r.id === undefined)).toBe(true);
    expect(await count(`SELECT count(*)::int AS n FROM aftercare.cases`)).toBe(497);
    expect(await count(`SELECT count(*)::int AS n FROM aftercare.release_notices`)).toBe(497);
    expect(await count(`SELECT count(*)::int AS n FROM aftercare.bus_outbox WHERE name = 'aftercare.notice.received'`)).toBe(497);

    const replay = await post(centre, 'AC1-BATCH-1', { notices: batch }).expect(207);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(res.body);
    expect(await count(`SELECT count(*)::int AS n FROM aftercare.cases`)).toBe(497);
  });

  it('AC-1: the same notice again under a new key is that item\'s 422, not a second case', async () => {
    const res = await post(centre, 'AC1-AGAIN', { notices: [item(3), item(600)] }).expect(207);
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([422, 201]);
    expect(res.body.results[0].errors[0]).toMatchObject({ field: 'centreRecordNo', message: expect.stringMatching(/已报送/) });
    // Twice in one batch: the second is refused.
    const twice = await post(centre, 'AC1-TWICE', { notices: [item(601), item(601)] }).expect(207);
    expect(twice.body.results.map((r: { status: number }) => r.status)).toEqual([201, 422]);
  });

  it('AC-1: a batch of 0 or of more than 1000 is 400 and stores nothing; a prison is 403', async () => {
    const before = await count(`SELECT count(*)::int AS n FROM aftercare.release_notices`);
    const empty = await post(centre, 'AC1-EMPTY', { notices: [] }).expect(400);
    expect(empty.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(empty.body.errors)).toMatch(/至少/);
    const big = await post(centre, 'AC1-BIG', { notices: Array.from({ length: 1001 }, (_, i) => item(2000 + i)) }).expect(400);
    expect(JSON.stringify(big.body.errors)).toMatch(/最多1000条/);
    await post(prison, 'AC1-PRISON', { notices: [item(700)] }).expect(403);
    expect(await count(`SELECT count(*)::int AS n FROM aftercare.release_notices`)).toBe(before);
  });

  it('AC-1: a notice fewer than 3 days before release is accepted and flagged late; contact is due 7 days after release', async () => {
    const res = await post(centre, 'AC1-LATE', { notices: [item(800, { releaseDate: '2027-03-02' }), item(801, { releaseDate: '2027-03-04' })] }).expect(207);
    expect(res.body.results.map((r: { status: number; late: boolean }) => [r.status, r.late])).toEqual([
      [201, true],
      [201, false],
    ]);
    const [row] = await svc.db.query<{ late: boolean; contact_due: string; status: string }>(
      `SELECT n.late, c.contact_due::text, c.status FROM aftercare.release_notices n JOIN aftercare.cases c ON c.notice_id = n.id WHERE n.id = $1`,
      [res.body.results[0].id],
    );
    expect(row).toEqual({ late: true, contact_due: '2027-03-09', status: 'AWAITING_CONTACT' });
  });

  it('AC-1: a notice matching no station waits in the city queue (一个不漏) until the city office assigns it; no clear ID number or name stored', async () => {
    const res = await post(centre, 'AC1-QUEUE', { notices: [item(900, {}, { residenceTown: '999' })] }).expect(207);
    const { id, town } = res.body.results[0];
    expect(town).toBeNull();
    expect((await notices.cityQueue(city)).map((n) => n.id)).toContain(id);
    const page = await notices.cityQueuePage(city, { first: 20 });
    expect(page.items.map((n) => n.id)).toContain(id);
    expect(page.totalCount).toBeGreaterThanOrEqual(1);
    // never silently empty: a town officer is refused, not shown an empty queue
    await expect(notices.cityQueue(officer104)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(notices.cityQueuePage(officer104, { first: 20 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await notices.list(officer001)).toEqual([]);
    await expect(notices.assignTown(officer001, id, '001', '核实居住在澄江街道')).rejects.toThrow(/仅市局/);
    await notices.assignTown(city, id, '001', '核实居住在澄江街道');
    expect((await notices.cityQueue(city)).map((n) => n.id)).not.toContain(id);
    expect((await notices.list(officer001)).map((n) => n.id)).toEqual([id]);
    const [kase] = await svc.db.query<{ town: string }>(`SELECT town FROM aftercare.cases WHERE notice_id = $1`, [id]);
    expect(kase.town).toBe('001');
    expect(await findClearPii(svc.db.url, personNeedles(idNumber(900), '解戒900'))).toEqual([]);
  });

  it('AL-7: a batch of which no item is accepted raises the operations event (partner, endpoint, fields at fault; no person data); a partly accepted one does not', async () => {
    const outbox = () => svc.db.query<{ payload: Record<string, unknown> }>(`SELECT payload FROM aftercare.bus_outbox WHERE name = 'partner.batch.rejected' ORDER BY seq`);
    const before = (await outbox()).length;
    const bad = item(950, {}, { idNumber: '32028119850301123X' });
    const res = await post(centre, 'AL7-WHOLE', { notices: [bad, item(951, { releaseDate: '2020-01-01' })] }).expect(207);
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([422, 422]);
    const rows = await outbox();
    expect(rows).toHaveLength(before + 1);
    expect(rows[rows.length - 1].payload).toEqual({
      service: 'aftercare',
      endpoint: 'POST /api/v1/aftercare/release-notices',
      agency: 'REHAB_CENTRE:wuxi-rehab-1',
      received: 2,
      fields: expect.arrayContaining(['person.idNumber', 'releaseDate']),
    });
    expect(JSON.stringify(rows[rows.length - 1].payload)).not.toContain('32028119850301123X');
    await post(centre, 'AL7-PART', { notices: [item(952), item(953, { releaseDate: '2020-01-01' })] }).expect(207);
    expect(await outbox()).toHaveLength(before + 1);
  });
});
