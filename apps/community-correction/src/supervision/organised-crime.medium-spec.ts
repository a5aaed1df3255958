import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { CorrectionApp, bootCorrectionApp, enrolActiveSubject } from '../../test/correction-harness';

jest.setTimeout(90_000);

/** CC-25 涉黑涉恶: the flag (at enrolment or by an officer) holds the subject at STRICT for the whole term. */
describe('CC-25 organised-crime flag (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
  const court = () => keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: 3600, now: clock.now() });
  const officer = () => keys.mint(staffPrincipal({ towns: ['104'] }), { now: clock.now() });
  const gql = (query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${officer()}`).send({ query, variables }).expect(200);
  const SET_LEVEL = `mutation($input: SetSupervisionLevelInput!) { setSupervisionLevel(input: $input) { level } }`;
  const FLAG = `mutation($i: SetOrganisedCrimeFlagInput!) { setOrganisedCrimeFlag(input: $i) { id organisedCrime supervision { level strictReasons { reason label } } } }`;

  /** Enrolled (with or without the court's organised-crime flag), ACTIVE from 03-03 and announced: supervision has made its level. */
  const activeSubject = (idNumber: string, organisedCrime?: boolean) =>
    enrolActiveSubject(svc, court(), {
      idNumber,
      on: '2026-03-02',
      until: '2028-03-01',
      activatedOn: '2026-03-03',
      announce: true,
      enrolment: { offence: '组织、领导黑社会性质组织罪', ...(organisedCrime === undefined ? {} : { organisedCrime }) },
    });

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc25', clock, keys });
    ({ app, dataSource: ds } = svc);
  });

  afterAll(async () => {
    await svc?.close();
  });

  it('CC-25: a subject enrolled with organisedCrime stays STRICT after the first months; one without may go ORDINARY', async () => {
    const flagged = await activeSubject('11010519491231002X', true);
    const plain = await activeSubject('110105198001010016');
    clock.set(new Date('2026-06-02T02:00:00Z'));
    const refused = await gql(SET_LEVEL, { input: { subjectId: flagged, level: 'ORDINARY', reason: '表现良好' } });
    expect(refused.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
    expect(refused.body.errors[0].message).toContain('涉黑涉恶');
    const allowed = await gql(SET_LEVEL, { input: { subjectId: plain, level: 'ORDINARY', reason: '表现良好' } });
    expect(allowed.body.errors).toBeUndefined();
  });

  it('CC-25: an officer flags an ORDINARY subject: STRICT at once, the reason shown, the flag announced to alerts and audited', async () => {
    const [{ id }] = await ds.query(`SELECT id FROM correction.subjects WHERE organised_crime = false`);
    const res = await gql(FLAG, { i: { subjectId: id, flagged: true, reason: '再审判决认定参加黑社会性质组织' } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.setOrganisedCrimeFlag).toMatchObject({ organisedCrime: true, supervision: { level: 'STRICT' } });
    expect(res.body.data.setOrganisedCrimeFlag.supervision.strictReasons).toContainEqual({ reason: 'ORGANISED_CRIME', label: '涉黑涉恶案件全程严管' });
    const events = await ds.query(`SELECT payload FROM correction.bus_outbox WHERE name = 'correction.subject.organised-crime-flag' AND payload->>'subjectId' = $1`, [id]);
    expect(events.map((e: { payload: { flagged: boolean } }) => e.payload.flagged)).toEqual([true]);
    expect(await svc.db.query(`SELECT 1 FROM audit.events WHERE action = 'correction.subject.organised-crime' AND entity_id = $1`, [id])).toHaveLength(1);
    const other = await request(app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${keys.mint(staffPrincipal({ towns: ['107'] }), { now: clock.now() })}`)
      .send({ query: FLAG, variables: { i: { subjectId: id, flagged: false, reason: 'x' } } })
      .expect(200);
    expect(other.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});
