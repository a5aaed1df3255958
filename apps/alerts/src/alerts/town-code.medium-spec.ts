/**
 * Issue 8 item 3: the alerts list takes a town through the shared `@IsTownCode()`: a fake town
 * "999" is a TOWN_UNKNOWN error with a bilingual message, not an empty list that looks like "no
 * alerts in that town".
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';

jest.setTimeout(60_000);

describe('issue 8 item 3: alerts(town: "999") is refused (real PostgreSQL + Redis)', () => {
  let harness: AlertsHarness;
  let app: NestExpressApplication;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const cityAdmin = keys.mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] }), { now: clock.now() });
  const gql = (query: string) => request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${cityAdmin}`).send({ query });

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alerts-towns', clock, keys });
    app = harness.app;
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('AL-5: alerts(town: "999") is a TOWN_UNKNOWN error naming the town, in English and Chinese', async () => {
    const res = await gql('{ alerts(town: "999") { totalCount } }');
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'TOWN_UNKNOWN', field: 'town' });
    expect(res.body.errors[0].message).toMatch(/"999" is not a town code of Jiangyin .* \/ .*不是江阴市的镇（街道）代码/);
  });

  it('AL-5: alerts(town: "104") answers (a town of the reference data)', async () => {
    const res = await gql('{ alerts(town: "104") { totalCount } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.alerts.totalCount).toBe(0);
  });
});
