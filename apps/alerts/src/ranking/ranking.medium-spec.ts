/**
 * Issue 11 item 6 "Done when": the town ranking (考评排名) for a quarter over seeded indicator
 * snapshots matches a hand-computed table. The workstreams' snapshots arrive as events
 * (`correction.indicators.published`, `resettlement.indicators.published`); aftercare publishes none,
 * so its indicators are "not yet available" and their weight is left out (never 0). Weights for 2027
 * and the bottom N come from configuration. Real PostgreSQL + Redis + BullMQ.
 */
import ExcelJS from 'exceljs';
import request from 'supertest';
import { IndicatorSnapshotPayload, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';

jest.setTimeout(60_000);

const WEIGHTS_2027 = { 'K-CC1': 2, 'K-CC4': 1, 'K-CC5': 1, 'K-RS3': 2, 'K-AC1': 4 };

const Q1 = { periodKind: 'QUARTER', period: '2027-Q1', start: '2027-01-01', end: '2027-03-31' } as const;
const ind = (code: string, numerator: number, denominator: number) => ({ code, numerator, denominator });

const CORRECTION_Q1: IndicatorSnapshotPayload = {
  ...Q1,
  towns: [
    { town: '001', indicators: [ind('K-CC1', 9, 10), ind('K-CC4', 4, 4), ind('K-CC5', 0, 10), ind('K-CC2', 1, 10)] },
    { town: '104', indicators: [ind('K-CC1', 8, 10), ind('K-CC4', 1, 2), ind('K-CC5', 1, 10)] },
    { town: '107', indicators: [ind('K-CC1', 10, 10), ind('K-CC4', 0, 0), ind('K-CC5', 0, 5)] },
    { town: '110', indicators: [ind('K-CC1', 5, 10), ind('K-CC4', 3, 4), ind('K-CC5', 2, 10)] },
  ],
};
const RESETTLEMENT_Q1: IndicatorSnapshotPayload = {
  ...Q1,
  towns: [
    { town: '001', indicators: [ind('K-RS3', 1, 2)] },
    { town: '104', indicators: [ind('K-RS3', 3, 3)] },
    { town: '107', indicators: [ind('K-RS3', 0, 1)] },
  ],
};

/**
 * By hand (docs/domain.md "The town ranking as built"): score = 100 × Σ w·a / Σ w over the available
 * weighted indicators; a = value for K-CC1/K-CC4/K-RS3 (target 100%), 1 − value for K-CC5.
 * 001: (2·0.9 + 1·1 + 1·1 + 2·0.5) / 6 = 4.8 / 6 → 80.00, coverage 6/10
 * 104: (2·0.8 + 1·0.5 + 1·0.9 + 2·1) / 6 = 5.0 / 6 → 83.33, coverage 6/10
 * 107: K-CC4 0/0 has no data: (2·1 + 1·1 + 2·0) / 5 = 3 / 5 → 60.00, coverage 5/10
 * 110: no resettlement snapshot for 110: (2·0.5 + 1·0.75 + 1·0.8) / 4 = 2.55 / 4 → 63.75, coverage 4/10
 * K-AC1 (weight 4) is not yet available everywhere; K-CC2 weighs nothing in 2027. Bottom 2 flagged.
 */
const EXPECTED = [
  { town: '104', rank: 1, score: 83.33, coverage: 0.6, flaggedForNotice: false },
  { town: '001', rank: 2, score: 80, coverage: 0.6, flaggedForNotice: false },
  { town: '110', rank: 3, score: 63.75, coverage: 0.4, flaggedForNotice: true },
  { town: '107', rank: 4, score: 60, coverage: 0.5, flaggedForNotice: true },
];

const RANKING = `query($p: RankingPeriodInput!) { townRanking(period: $p) {
  id period periodKind periodKindLabel weightsYear bottomN
  workstreams { workstream workstreamLabel available }
  rows { town { code } score rank flaggedForNotice coverage indicators { code label workstream weight value availability availabilityLabel attainment } }
} }`;
const QUARTER = { kind: 'QUARTER', year: 2027, number: 1 };

describe('issue 11 item 6: the town ranking 考评排名 (real PostgreSQL + Redis)', () => {
  let harness: AlertsHarness;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-04-02T02:00:00Z'));
  const cityAdmin = () => keys.mint(staffPrincipal({ username: 'admin.city', roles: [Role.CITY_ADMIN], towns: ['*'] }), { now: clock.now() });
  const officer = (town: string) => keys.mint(staffPrincipal({ username: `officer.${town}`, roles: [Role.TOWN_OFFICER], towns: [town] }), { now: clock.now() });
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(harness.app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const snapshotCount = async () => Number((await harness.db.query<{ n: string }>(`SELECT count(*) AS n FROM alerts.indicator_snapshots`))[0].n);

  beforeAll(async () => {
    harness = await bootAlertsApp({
      label: 'alranking',
      clock,
      keys,
      env: { RANKING_WEIGHTS: JSON.stringify({ '2027': WEIGHTS_2027 }), RANKING_NOTICE_BOTTOM_N: '2' },
    });
    await harness.deliver('correction.indicators.published', CORRECTION_Q1);
    await harness.deliver('resettlement.indicators.published', RESETTLEMENT_Q1);
    // A month snapshot is another period: it does not touch the quarter.
    await harness.deliver('correction.indicators.published', { periodKind: 'MONTH', period: '2027-03', start: '2027-03-01', end: '2027-03-31', towns: [{ town: '107', indicators: [ind('K-CC1', 0, 10)] }] });
    await eventually(snapshotCount, (n) => n === 3);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('issue 11 item 6: the 2027-Q1 ranking matches the hand-computed table; aftercare is not yet available, never 0; unscored towns come last', async () => {
    const res = await gql(cityAdmin(), RANKING, { p: QUARTER });
    expect(res.body.errors).toBeUndefined();
    const r = res.body.data.townRanking;
    expect(r).toMatchObject({ id: null, period: '2027-Q1', periodKind: 'QUARTER', periodKindLabel: '季度', weightsYear: 2027, bottomN: 2 });
    expect(r.workstreams).toEqual([
      { workstream: 'CORRECTION', workstreamLabel: '社区矫正', available: true },
      { workstream: 'RESETTLEMENT', workstreamLabel: '安置帮教', available: true },
      { workstream: 'AFTERCARE', workstreamLabel: '后续照管', available: false },
    ]);
    const scored = r.rows.slice(0, 4).map((row: { town: { code: string }; rank: number; score: number; coverage: number; flaggedForNotice: boolean }) => ({
      town: row.town.code,
      rank: row.rank,
      score: row.score,
      coverage: row.coverage,
      flaggedForNotice: row.flaggedForNotice,
    }));
    expect(scored).toEqual(EXPECTED);
    // The other towns of Jiangyin published nothing: unscored, unranked, not flagged.
    const rest = r.rows.slice(4);
    expect(rest.length).toBeGreaterThan(10);
    expect(rest.every((row: { score: null; rank: null; flaggedForNotice: boolean }) => row.score === null && row.rank === null && !row.flaggedForNotice)).toBe(true);
    const town107 = r.rows.find((row: { town: { code: string } }) => row.town.code === '107');
    const byCode = Object.fromEntries(town107.indicators.map((i: { code: string }) => [i.code, i]));
    expect(Object.keys(byCode).sort()).toEqual(Object.keys(WEIGHTS_2027).sort()); // weight 0 (K-CC2) is not part of the score
    expect(byCode['K-AC1']).toMatchObject({ workstream: 'AFTERCARE', weight: 4, value: null, availability: 'NOT_YET_AVAILABLE', availabilityLabel: '暂未提供', attainment: null });
    expect(byCode['K-CC4']).toMatchObject({ availability: 'NO_DATA', availabilityLabel: '无可统计数据', attainment: null });
    expect(byCode['K-CC5']).toMatchObject({ value: 0, availability: 'AVAILABLE', attainment: 1 });
    expect(byCode['K-RS3']).toMatchObject({ label: '重点对象接送率', value: 0, attainment: 0 });
  });

  it('issue 11 item 6: a republished snapshot replaces the older one; an older one delivered late is ignored', async () => {
    clock.set(new Date('2027-04-03T02:00:00Z'));
    await harness.deliver('resettlement.indicators.published', { ...RESETTLEMENT_Q1, towns: [{ town: '107', indicators: [ind('K-RS3', 1, 1)] }] });
    await eventually(
      () => harness.db.query<{ numerator: number }>(`SELECT numerator FROM alerts.indicator_snapshot_values WHERE workstream = 'RESETTLEMENT' AND period = '2027-Q1' AND town = '107'`),
      (rows) => rows[0]?.numerator === 1,
    );
    clock.set(new Date('2027-04-01T02:00:00Z'));
    const late = await harness.deliver('resettlement.indicators.published', RESETTLEMENT_Q1);
    await eventually(() => harness.db.query(`SELECT 1 FROM alerts.bus_inbox WHERE event_id = $1`, [late]), (rows) => rows.length === 1);
    const stored = await harness.db.query(`SELECT town FROM alerts.indicator_snapshot_values WHERE workstream = 'RESETTLEMENT' AND period = '2027-Q1' ORDER BY town`);
    expect(stored).toEqual([{ town: '107' }]);
    // Back to the seeded table for the tests below.
    clock.set(new Date('2027-04-04T02:00:00Z'));
    await harness.deliver('resettlement.indicators.published', RESETTLEMENT_Q1);
    await eventually(
      () => harness.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts.indicator_snapshot_values WHERE workstream = 'RESETTLEMENT' AND period = '2027-Q1'`),
      (rows) => rows[0].n === 3,
    );
  });

  it("issue 11 item 6: a town officer sees its own town's row with the city's rank", async () => {
    const res = await gql(officer('107'), RANKING, { p: QUARTER });
    expect(res.body.data.townRanking.rows.map((r: { town: { code: string }; rank: number; flaggedForNotice: boolean }) => [r.town.code, r.rank, r.flaggedForNotice])).toEqual([['107', 4, true]]);
  });

  it('issue 11 item 6: CITY_ADMIN stores the ranking in the history (audited); a town officer may not; the history lists it newest first', async () => {
    const RECORD = `mutation($p: RankingPeriodInput!) { recordTownRanking(period: $p) { id computedBy rows { town { code } rank score flaggedForNotice } } }`;
    const denied = await gql(officer('104'), RECORD, { p: QUARTER });
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const first = await gql(cityAdmin(), RECORD, { p: QUARTER });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.recordTownRanking.computedBy).toBe('admin.city');
    expect(first.body.data.recordTownRanking.rows.slice(0, 4).map((r: { town: { code: string }; rank: number }) => [r.town.code, r.rank])).toEqual(EXPECTED.map((e) => [e.town, e.rank]));
    clock.set(new Date('2027-04-05T02:00:00Z'));
    const second = await gql(cityAdmin(), RECORD, { p: QUARTER });
    const history = await gql(cityAdmin(), `query($p: RankingPeriodInput) { townRankingHistory(period: $p) { id period computedAt rows { town { code } score } } }`, { p: QUARTER });
    expect(history.body.data.townRankingHistory.map((h: { id: string }) => h.id)).toEqual([second.body.data.recordTownRanking.id, first.body.data.recordTownRanking.id]);
    expect(history.body.data.townRankingHistory[1].rows[0]).toEqual({ town: { code: '104' }, score: 83.33 });
    const audit = await harness.db.query(`SELECT entity_id, details FROM audit.events WHERE action = 'alerts.ranking.record' ORDER BY id`);
    expect(audit).toHaveLength(2);
    expect(audit[0].details).toMatchObject({ period: '2027-Q1', flagged: ['110', '107'] });
  });

  it('issue 11 item 6: the XLSX export has Chinese headers and the hand-computed rows; a bad period is 400 in English and Chinese', async () => {
    const res = await request(harness.app.getHttpServer())
      .get('/api/v1/alerts/exports/town-ranking?period=2027-Q1')
      .set('authorization', `Bearer ${cityAdmin()}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 7)).toEqual(['考评期间', '名次', '镇街代码', '镇街名称', '得分', '通报', '指标覆盖率(%)']);
    expect(header).toContain('后续照管·K-AC1 照管率(%) 权重4');
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1, 7);
    expect(row(2)).toEqual(['2027-Q1', 1, '104', '徐霞客镇', 83.33, '']);
    expect(row(5)).toEqual(['2027-Q1', 4, '107', '华士镇', 60, '通报']);
    const ac1 = header.indexOf('后续照管·K-AC1 照管率(%) 权重4');
    expect((ws.getRow(2).values as unknown[])[ac1 + 1]).toBe('暂未提供');

    const bad = await request(harness.app.getHttpServer()).get('/api/v1/alerts/exports/town-ranking?period=2027-Q5').set('authorization', `Bearer ${cityAdmin()}`);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(bad.body)).toContain('考评期间格式应为');
  });
});
