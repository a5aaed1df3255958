/**
 * Issue 11 item 2: AL-4 sensitive periods — a calendar kept by CITY_ADMIN; during a period covering
 * the town, every alert about a key person (as alerts heard it from the events that carry keyPerson)
 * is raised one colour higher. The clock is moved across the start and end. Real PostgreSQL + Redis.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { RiskColour, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { AlertsService } from '../alerts/alerts.service';

jest.setTimeout(60_000);

const KEY_PERSON = 'c'.repeat(64);
const ORDINARY = 'd'.repeat(64);

describe('AL-4 sensitive periods (real PostgreSQL + Redis)', () => {
  let harness: AlertsHarness;
  let app: NestExpressApplication;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-02-20T02:00:00Z'));
  const cityAdmin = () => keys.mint(staffPrincipal({ username: 'admin.city', roles: [Role.CITY_ADMIN], towns: ['*'] }), { now: clock.now() });
  const officer = (town: string) => keys.mint(staffPrincipal({ username: `officer.${town}`, roles: [Role.TOWN_OFFICER], towns: [town] }), { now: clock.now() });
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const CREATE = `mutation($input: CreateSensitivePeriodInput!) { createSensitivePeriod(input: $input) { id name startsOn endsOn towns { code } createdBy } }`;
  const create = (token: string, input: Record<string, unknown>) => gql(token, CREATE, { input });
  const periodCount = async () => Number((await harness.db.query<{ n: string }>(`SELECT count(*) AS n FROM alerts.sensitive_periods`))[0].n);

  /** Raises a CC-4 "not reported" alert (ORANGE by rule, or `colour`) about `personKey` in `town` now; returns its colour, due-by and details. */
  const raise = async (personKey: string, town = '104', colour?: RiskColour) => {
    const alert = await harness.dataSource.transaction((m) =>
      app.get(AlertsService).raise(m, { rule: 'CC-4.NOT_REPORTED', personKey, town, recordType: 'Subject', recordId: randomUUID(), colour }),
    );
    return alert!;
  };

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alerts-periods', clock, keys });
    app = harness.app;
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('AL-4: CITY_ADMIN adds the national sessions (every town) and a one-day period for town 107; both audited', async () => {
    const all = await create(cityAdmin(), { name: '全国两会', startsOn: '2027-03-03', endsOn: '2027-03-15' });
    expect(all.body.errors).toBeUndefined();
    expect(all.body.data.createSensitivePeriod).toMatchObject({ name: '全国两会', startsOn: '2027-03-03', endsOn: '2027-03-15', towns: null, createdBy: 'admin.city' });
    const one = await create(cityAdmin(), { name: '地方纪念日', startsOn: '2027-04-01', endsOn: '2027-04-01', towns: ['107'] });
    expect(one.body.data.createSensitivePeriod.towns).toEqual([{ code: '107' }]);
    const audit = await harness.db.query(`SELECT entity_id FROM audit.events WHERE action = 'alerts.sensitive-period.create' AND outcome = 'SUCCESS'`);
    expect(audit).toHaveLength(2);
  });

  it('AL-4: a town officer may not add one; an end before the start or an unknown town is refused in English and Chinese; nothing is stored', async () => {
    const byOfficer = await create(officer('104'), { name: '某节日', startsOn: '2027-05-01', endsOn: '2027-05-03' });
    expect(byOfficer.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const backwards = await create(cityAdmin(), { name: '某节日', startsOn: '2027-05-03', endsOn: '2027-05-01' });
    expect(backwards.body.errors[0].extensions.code).toBe('DATE_RANGE_INVALID');
    expect(backwards.body.errors[0].message).toMatch(/ends before it starts \/ 重点时期的结束日期早于开始日期/);
    const unknownTown = await create(cityAdmin(), { name: '某节日', startsOn: '2027-05-01', endsOn: '2027-05-03', towns: ['999'] });
    expect(unknownTown.body.errors[0].extensions.code).toBe('TOWN_UNKNOWN');
    expect(await periodCount()).toBe(2);
  });

  it("AL-4: a town officer's calendar shows the periods covering its towns only", async () => {
    const q = `{ sensitivePeriods(from: "2027-03-01", to: "2027-12-31") { name } }`;
    expect((await gql(officer('104'), q)).body.data.sensitivePeriods).toEqual([{ name: '全国两会' }]);
    expect((await gql(officer('107'), q)).body.data.sensitivePeriods).toEqual([{ name: '全国两会' }, { name: '地方纪念日' }]);
  });

  it('AL-4: a release of a key person tells alerts who is a key person', async () => {
    await harness.deliver('resettlement.person.released', {
      releaseId: randomUUID(),
      personKey: KEY_PERSON,
      town: null,
      releaseDate: '2027-02-19',
      keyPerson: true,
      pickUpDue: '2027-02-19',
      riskAssessmentDue: '2027-03-19',
      policeHandOverDue: '2027-02-26',
      caseId: null,
    });
    await eventually(
      () => harness.db.query(`SELECT key_person FROM alerts.person_flags WHERE person_key = $1`, [KEY_PERSON]),
      (r) => r.length === 1 && r[0].key_person === true,
    );
  });

  it('AL-4: the evening before the period starts, a key person\'s ORANGE alert stays ORANGE', async () => {
    clock.set(new Date('2027-03-02T15:59:59Z')); // 23:59:59 on 2 March in Shanghai
    expect((await raise(KEY_PERSON)).colour).toBe(RiskColour.ORANGE);
  });

  it("AL-4: from the period's first day a key person's ORANGE alert is raised RED (1 h to acknowledge, AL-2), YELLOW becomes ORANGE; others are unchanged", async () => {
    clock.set(new Date('2027-03-02T16:00:00Z')); // 00:00 on 3 March in Shanghai
    const red = await raise(KEY_PERSON);
    expect(red.colour).toBe(RiskColour.RED);
    expect(red.dueBy?.toISOString()).toBe('2027-03-02T17:00:00.000Z');
    expect(red.details).toMatchObject({ sensitivePeriod: '全国两会', ruledColour: 'ORANGE' });
    expect((await raise(KEY_PERSON, '104', RiskColour.YELLOW)).colour).toBe(RiskColour.ORANGE);
    expect((await raise(ORDINARY)).colour).toBe(RiskColour.ORANGE);
  });

  it('AL-4: on the last day it still holds; the day after, the colour is the rule\'s again', async () => {
    clock.set(new Date('2027-03-15T15:59:59Z'));
    expect((await raise(KEY_PERSON)).colour).toBe(RiskColour.RED);
    clock.set(new Date('2027-03-15T16:00:00Z'));
    expect((await raise(KEY_PERSON)).colour).toBe(RiskColour.ORANGE);
  });

  it("AL-4: a period for town 107 raises a key person's alert in 107 only", async () => {
    clock.set(new Date('2027-04-01T02:00:00Z'));
    expect((await raise(KEY_PERSON, '107')).colour).toBe(RiskColour.RED);
    expect((await raise(KEY_PERSON, '104')).colour).toBe(RiskColour.ORANGE);
  });

  it('AL-4: CITY_ADMIN removes a period (audited with its name); removing it again, or an id that never was, is NOT_FOUND and audits nothing', async () => {
    const DELETE = `mutation($id: ID!) { deleteSensitivePeriod(id: $id) }`;
    const made = (await create(cityAdmin(), { name: '临时时期', startsOn: '2027-06-01', endsOn: '2027-06-02' })).body.data.createSensitivePeriod;
    const before = await periodCount();
    expect((await gql(cityAdmin(), DELETE, { id: made.id })).body.data.deleteSensitivePeriod).toBe(true);
    expect(await periodCount()).toBe(before - 1);
    const audit = await harness.db.query<{ details: { name: string } }>(`SELECT details FROM audit.events WHERE action = 'alerts.sensitive-period.delete' AND entity_id = $1`, [made.id]);
    expect(audit).toEqual([{ details: expect.objectContaining({ name: '临时时期' }) }]);
    for (const id of [made.id, '00000000-0000-4000-8000-000000000000']) {
      const again = await gql(cityAdmin(), DELETE, { id });
      expect(again.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    expect(await harness.db.query(`SELECT 1 FROM audit.events WHERE action = 'alerts.sensitive-period.delete' AND entity_id = '00000000-0000-4000-8000-000000000000'`)).toEqual([]);
  });
});
