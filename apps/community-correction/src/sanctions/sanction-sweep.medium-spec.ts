import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { enrolmentPayload } from '@homeward/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';
import { SanctionsService } from './sanctions.service';

jest.setTimeout(90_000);

/**
 * CC-11 as time passes (issue 7 item 1): the ladder is re-evaluated by a sweep, so a report-in that
 * grows late or contact lost for more than a month publishes threshold-reached without anything
 * being recorded. The FixedClock is moved; the sweep is called as the scheduler would.
 */
describe('CC-11 ladder sweep (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  let sanctions: SanctionsService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
  const court = () => keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: 3600, now: clock.now() });
  const officer = () => keys.mint(staffPrincipal({ towns: ['104'] }), { now: clock.now() });
  const gql = (query: string, variables: Record<string, unknown>) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${officer()}`).send({ query, variables }).expect(200);
  const thresholds = async (subjectId: string) =>
    (
      await ds.query(`SELECT payload FROM correction.bus_outbox WHERE name = 'correction.sanction.threshold-reached' AND payload->>'subjectId' = $1 ORDER BY seq`, [
        subjectId,
      ])
    ).map((r: { payload: { suggested: string; lateOrLostContactDays: number } }) => [r.payload.suggested, r.payload.lateOrLostContactDays]);
  const at = (iso: string) => clock.set(new Date(iso));

  async function enrol(idNumber: string, judgment: string): Promise<string> {
    const res = await request(app.getHttpServer())
      .post('/api/v1/correction/enrolments')
      .set('authorization', `Bearer ${court()}`)
      .set('idempotency-key', `SWEEP-${idNumber}`)
      .send(enrolmentPayload({ idNumber, on: judgment, until: '2027-03-01' }))
      .expect(201);
    return res.body.id as string;
  }

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc11-sweep', clock, keys, env: { SANCTION_SWEEP_INTERVAL_SECONDS: '3600' } });
    ({ app, dataSource: ds } = svc);
    sanctions = app.get(SanctionsService);
  });

  afterAll(async () => {
    await svc?.close();
  });

  let waiting: string;
  let gone: string;

  it('CC-11: a subject still not reported 5 days after the deadline gets 训诫 suggested by the sweep; 19 days → 警告; each once', async () => {
    waiting = await enrol('11010519491231002X', '2026-03-02'); // report by 2026-03-12
    at('2026-03-12T02:00:00Z');
    await sanctions.sweep();
    expect(await thresholds(waiting)).toEqual([]);
    at('2026-03-17T02:00:00Z');
    await sanctions.sweep();
    await sanctions.sweep();
    expect(await thresholds(waiting)).toEqual([['ADMONITION', 5]]);
    at('2026-03-31T02:00:00Z');
    await sanctions.sweep();
    expect(await thresholds(waiting)).toEqual([
      ['ADMONITION', 5],
      ['WARNING', 19],
    ]);
  });

  it('CC-11: lost contact growing past a month → propose revocation, published by the sweep', async () => {
    at('2026-03-02T02:00:00Z');
    gone = await enrol('110105198001010016', '2026-03-02');
    await ds.query(`UPDATE correction.subjects SET status = 'ACTIVE', reported_on = '2026-03-05', activated_on = '2026-03-05' WHERE id = $1`, [gone]);
    at('2026-03-10T02:00:00Z');
    const marked = await gql(`mutation($i: MarkAbscondedInput!) { markAbsconded(input: $i) { absconded } }`, { i: { subjectId: gone, lostContactOn: '2026-03-10' } });
    expect(marked.body.errors).toBeUndefined();
    const afterMark = (await thresholds(gone)).length;
    at('2026-04-09T02:00:00Z'); // 30 days: not more than a month yet
    await sanctions.sweep();
    expect((await thresholds(gone)).map((t: [string, number]) => t[0])).not.toContain('REVOCATION_PROPOSAL');
    at('2026-04-10T02:00:00Z'); // 31 days
    await sanctions.sweep();
    const after = await thresholds(gone);
    expect(after.length).toBeGreaterThan(afterMark);
    expect(after[after.length - 1]).toEqual(['REVOCATION_PROPOSAL', 31]);
  });

  it('CC-11: another sweep on the same day publishes nothing new', async () => {
    const before = [...(await thresholds(waiting)), ...(await thresholds(gone))].length;
    expect(await sanctions.sweep()).toBe(0);
    expect([...(await thresholds(waiting)), ...(await thresholds(gone))]).toHaveLength(before);
  });
});
