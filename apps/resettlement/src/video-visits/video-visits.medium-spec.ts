import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AgencyKind, Role, VideoVisitStatus } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, testRedisPrefix, untilALockIsAwaited } from '@homeward/testing';
import { AppModule } from '../app.module';
import { ResettlementConfig } from '../config';
import { VideoVisitsService } from './video-visits.service';

jest.setTimeout(90_000);

/** RS-10 remote family video visits: one terminal, one visit at a time, enforced by the database. */
describe('resettlement video visits (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<ResettlementConfig>;
  let app: NestExpressApplication;
  let visits: VideoVisitsService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-02-01T01:00:00Z'));
  const prison = keys.mint(partnerPrincipal(AgencyKind.PRISON, { agencyId: 'jiangsu-prison-1' }), { expiresInSeconds: 30 * 86_400, now: clock.now() });
  const otherPrison = keys.mint(partnerPrincipal(AgencyKind.PRISON, { agencyId: 'jiangsu-prison-2' }), { expiresInSeconds: 30 * 86_400, now: clock.now() });
  const officer104 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] });
  const officer001 = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['001'] });

  const propose = (key: string, start: string, minutes = 30, town = '104', token = prison) =>
    request(app.getHttpServer())
      .post('/api/v1/resettlement/video-visit-proposals')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', key)
      .send({ prisonerNo: `P-${key}`, town, proposedStart: start, durationMinutes: minutes });

  beforeAll(async () => {
    svc = await bootServiceApp({ name: 'resettlement', appModule: (o) => AppModule.forRoot(o), config: ResettlementConfig, keys, clock, prefix: testRedisPrefix('rs-visits') });
    app = svc.app;
    visits = app.get(VideoVisitsService);
  });
  afterAll(async () => svc?.close());

  it('RS-10: a prison proposes a visit: 201 REQUESTED; bad town 422, too long 400, in the past 422; another prison cannot read it', async () => {
    const res = await propose('A', '2027-02-10T09:00:00+08:00').expect(201);
    expect(res.body).toEqual({ id: expect.any(String), status: 'REQUESTED' });
    await request(app.getHttpServer()).get(res.headers.location).set('authorization', `Bearer ${prison}`).expect(200);
    await request(app.getHttpServer()).get(res.headers.location).set('authorization', `Bearer ${otherPrison}`).expect(404);
    await propose('B', '2027-02-10T09:00:00+08:00', 30, '999').expect(422);
    await propose('C', '2027-02-10T09:00:00+08:00', 121).expect(400);
    await propose('D', '2027-01-31T09:00:00+08:00').expect(422);
  });

  it('RS-10: two confirmations of overlapping visits on one terminal at once: exactly one wins, the other gets 409 (sixteen terminals, never a deadlock)', async () => {
    // Sixteen pairs at once. Without the terminal's row lock the two UPDATEs can insert their index
    // entries at the same moment, each then waits on the other to decide the exclusion constraint, and
    // PostgreSQL aborts one as a deadlock: the loser got a 500 (seen in CI; rare on a quiet machine,
    // hence the next test, which shows the turn-taking itself).
    const rounds: { terminal: { id: string }; a: string; b: string }[] = [];
    for (let i = 0; i < 16; i++) {
      const terminal = await visits.addTerminal(officer104, '104', `徐霞客镇并发${i + 1}号终端`);
      const a = (await propose(`E${i}`, '2027-02-11T09:00:00+08:00', 60).expect(201)).body.id as string;
      const b = (await propose(`F${i}`, '2027-02-11T09:30:00+08:00', 30).expect(201)).body.id as string;
      rounds.push({ terminal, a, b });
    }
    const results = await Promise.all(
      rounds.map(({ terminal, a, b }) => Promise.allSettled([visits.confirm(officer104, a, terminal.id), visits.confirm(officer104, b, terminal.id)])),
    );
    for (const [i, pair] of results.entries()) {
      expect(pair.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const loser = pair.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(String(loser?.reason)).toMatch(/该终端此时段已有确认的会见/);
      const rows = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.video_visits WHERE terminal_id = $1 AND status = 'CONFIRMED'`, [rounds[i].terminal.id]);
      expect(rows[0].n).toBe(1);
    }
  });

  it('RS-10: a confirmation waits its turn while another confirmation on the same terminal is in flight, then goes through', async () => {
    const terminal = await visits.addTerminal(officer104, '104', '徐霞客镇轮候终端');
    const v = (await propose('W', '2027-02-14T09:00:00+08:00', 30).expect(201)).body.id as string;
    // Another confirmation on this terminal, not yet committed, holds the terminal's row. FOR NO KEY
    // UPDATE conflicts with the confirmation's FOR UPDATE but not with the FOR KEY SHARE that the
    // foreign key's check takes, so only the confirmation's own turn-taking can make it wait here.
    const other = svc.dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    try {
      await other.query(`SELECT id FROM resettlement.visit_terminals WHERE id = $1 FOR NO KEY UPDATE`, [terminal.id]);
      let settled = false;
      const confirming = visits.confirm(officer104, v, terminal.id).finally(() => (settled = true));
      await untilALockIsAwaited(svc.db);
      expect(settled).toBe(false);
      await other.commitTransaction();
      expect((await confirming).status).toBe('CONFIRMED');
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
  });

  it('RS-10: back-to-back visits both fit; a cancelled one frees its slot; another terminal takes the overlap', async () => {
    const t1 = await visits.addTerminal(officer104, '104', '徐霞客镇2号终端');
    const t2 = await visits.addTerminal(officer104, '104', '徐霞客镇3号终端');
    const first = (await propose('G', '2027-02-12T09:00:00+08:00', 30).expect(201)).body.id as string;
    const next = (await propose('H', '2027-02-12T09:30:00+08:00', 30).expect(201)).body.id as string;
    const overlap = (await propose('I', '2027-02-12T09:15:00+08:00', 30).expect(201)).body.id as string;
    await visits.confirm(officer104, first, t1.id);
    await visits.confirm(officer104, next, t1.id);
    await expect(visits.confirm(officer104, overlap, t1.id)).rejects.toThrow(/已有确认的会见/);
    await visits.confirm(officer104, overlap, t2.id);
    await visits.finish(officer104, first, VideoVisitStatus.CANCELLED, '家属临时有事');
    const again = (await propose('J', '2027-02-12T09:00:00+08:00', 20).expect(201)).body.id as string;
    expect((await visits.confirm(officer104, again, t1.id)).status).toBe('CONFIRMED');
  });

  it('RS-10: REQUESTED → CONFIRMED → COMPLETED | FAILED, nothing else; not completed before it starts; other towns see nothing', async () => {
    const t = await visits.addTerminal(officer104, '104', '徐霞客镇4号终端');
    const v = (await propose('K', '2027-02-13T09:00:00+08:00').expect(201)).body.id as string;
    await expect(visits.finish(officer104, v, VideoVisitStatus.COMPLETED)).rejects.toThrow(/不能由已申请变为已完成/);
    await visits.confirm(officer104, v, t.id);
    await expect(visits.finish(officer104, v, VideoVisitStatus.COMPLETED)).rejects.toThrow(/尚未开始/);
    await expect(visits.confirm(officer001, v, t.id)).rejects.toThrow(/未找到/);
    clock.set(new Date('2027-02-13T01:40:00Z'));
    expect((await visits.finish(officer104, v, VideoVisitStatus.COMPLETED, '会见顺利')).status).toBe('COMPLETED');
    await expect(visits.finish(officer104, v, VideoVisitStatus.FAILED)).rejects.toThrow();
    const ledger = await visits.demandLedger(officer104);
    expect(ledger).toEqual([expect.objectContaining({ prison: 'PRISON:jiangsu-prison-1', completed: 1, cancelled: 1 })]);
    expect(await visits.demandLedger(officer001)).toEqual([]);
  });
});
