import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

/** CC-28 case reports (案例报送) and K-CC8 (案例录用率 = accepted / reported), through the staff GraphQL API. */
describe('CC-28 case reports and K-CC8 (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-06-20T02:00:00Z'));
  const officer104 = () => keys.mint(staffPrincipal({ towns: ['104'], username: 'officer104' }), { now: clock.now() });
  const officer107 = () => keys.mint(staffPrincipal({ towns: ['107'], username: 'officer107' }), { now: clock.now() });
  const city = () => keys.mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'], username: 'city' }), { now: clock.now() });
  const socialWorker = () => keys.mint(staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'] }), { now: clock.now() });
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables }).expect(200);

  const REPORT = `mutation($i: ReportCaseInput!) { reportCase(input: $i) { id town { code } month title narrative status statusLabel reportedOn } }`;
  const DECIDE = `mutation($i: DecideCaseReportInput!) { decideCaseReport(input: $i) { id status statusLabel decidedOn decisionNote } }`;
  const K = `query($reps: [_Any!]!, $p: PeriodInput!) { _entities(representations: $reps) { ... on Town { code correctionIndicators(period: $p) { indicators { code label numerator denominator value } } } } }`;
  const k8 = async (town: string, p: Record<string, unknown>) => {
    const res = await gql(city(), K, { reps: [{ __typename: 'Town', code: town }], p });
    expect(res.body.errors).toBeUndefined();
    return res.body.data._entities[0].correctionIndicators.indicators.find((i: { code: string }) => i.code === 'K-CC8');
  };

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc28', clock, keys });
    ({ app, dataSource: ds } = svc);
  });

  afterAll(async () => {
    await svc?.close();
  });

  const ids: string[] = [];

  it('CC-28: a town office reports cases for a month; the title and narrative are stored encrypted', async () => {
    for (const title of ['帮扶就业典型案例', '家庭矛盾化解案例', '心理矫治案例']) {
      const res = await gql(officer104(), REPORT, { i: { town: '104', month: '2026-06', title, narrative: `${title}：矫正对象张某经帮扶后顺利就业。` } });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.reportCase).toMatchObject({ town: { code: '104' }, month: '2026-06', title, status: 'REPORTED', statusLabel: '已报送', reportedOn: '2026-06-20' });
      ids.push(res.body.data.reportCase.id);
    }
    const raw = JSON.stringify(await ds.query(`SELECT * FROM correction.case_reports`));
    expect(raw).not.toContain('张某');
    expect(raw).not.toContain('帮扶就业');
  });

  it('CC-28: bad input and other towns are refused and write nothing', async () => {
    const before = (await ds.query(`SELECT count(*)::int AS n FROM correction.case_reports`))[0].n;
    expect((await gql(officer107(), REPORT, { i: { town: '104', month: '2026-06', title: 't', narrative: 'n' } })).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await gql(officer104(), REPORT, { i: { town: '999', month: '2026-06', title: 't', narrative: 'n' } })).body.errors[0].extensions.code).toBe('TOWN_UNKNOWN');
    expect((await gql(officer104(), REPORT, { i: { town: '104', month: '2026-07', title: 't', narrative: 'n' } })).body.errors[0].extensions.code).toBe('DATE_INVALID');
    expect((await gql(officer104(), REPORT, { i: { town: '104', month: '2026-6', title: 't', narrative: 'n' } })).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await gql(socialWorker(), REPORT, { i: { town: '104', month: '2026-06', title: 't', narrative: 'n' } })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await ds.query(`SELECT count(*)::int AS n FROM correction.case_reports`))[0].n).toBe(before);
  });

  it('CC-28: only the city decides, once; a town officer cannot accept its own case', async () => {
    expect((await gql(officer104(), DECIDE, { i: { id: ids[0], accepted: true } })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    const ok = await gql(city(), DECIDE, { i: { id: ids[0], accepted: true, note: '录用' } });
    expect(ok.body.data.decideCaseReport).toMatchObject({ status: 'ACCEPTED', statusLabel: '已录用', decidedOn: '2026-06-20', decisionNote: '录用' });
    expect((await gql(city(), DECIDE, { i: { id: ids[0], accepted: false } })).body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
    await gql(city(), DECIDE, { i: { id: ids[1], accepted: false } });
  });

  it('K-CC8 案例录用率 = accepted / reported for the period; another town sees none of the cases', async () => {
    expect(await k8('104', { kind: 'MONTH', year: 2026, number: 6 })).toEqual({ code: 'K-CC8', label: '案例录用率', numerator: 1, denominator: 3, value: 1 / 3 });
    expect(await k8('104', { kind: 'MONTH', year: 2026, number: 5 })).toMatchObject({ numerator: 0, denominator: 0, value: null });
    expect(await k8('104', { kind: 'QUARTER', year: 2026, number: 2 })).toMatchObject({ numerator: 1, denominator: 3 });
    const list = await gql(officer104(), `{ caseReports(first: 10) { totalCount edges { node { title status } } } }`);
    expect(list.body.data.caseReports.totalCount).toBe(3);
    const other = await gql(officer107(), `{ caseReports(first: 10) { totalCount } }`);
    expect(other.body.data.caseReports.totalCount).toBe(0);
    const audited = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'correction.case-report.list'`);
    expect(audited[0].n).toBe(2);
  });
});
