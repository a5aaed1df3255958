import { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Role, SentenceType } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../app.module';
import { ResettlementConfig } from '../config';
import { AssistanceCasesService } from './assistance-cases.service';

jest.setTimeout(60_000);

const KEY = 'c'.repeat(64);

/**
 * Issue 6 item 7 in resettlement: Person.resettlementCases shows a town officer the cases of its
 * towns; a social worker not on the case's RS-6 team (no assignment, so no caseload: teams/teams.medium-spec.ts shows one on it) and TEAM_MEMBER /
 * SUBJECT tokens get nothing.
 */
describe('resettlement: who sees a person\'s resettlement cases (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<ResettlementConfig>;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { resettlementCases { id town { code } } } } }`;
  const ask = (roles: Role[]) =>
    request(app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${keys.mint(staffPrincipal({ roles, towns: ['104'] }), { now: clock.now() })}`)
      .send({ query: QUERY, variables: { reps: [{ __typename: 'Person', key: KEY }] } })
      .expect(200);

  beforeAll(async () => {
    svc = await bootServiceApp({
      name: 'resettlement',
      appModule: (overrides) => AppModule.forRoot(overrides),
      config: ResettlementConfig,
      keys,
      clock,
      prefix: testRedisPrefix('rs-person'),
    });
    ({ app, dataSource: ds } = svc);
    const cases = app.get(AssistanceCasesService);
    await ds.transaction((m) =>
      cases.onCorrectionDischarged(
        {
          id: randomUUID(),
          name: 'correction.subject.discharged',
          version: 1,
          occurredAt: clock.now().toISOString(),
          producer: 'community-correction',
          payload: {
            subjectId: randomUUID(),
            personKey: KEY,
            town: '104',
            dischargedOn: '2026-11-19',
            reason: 'EXPIRED',
            correctionEndDate: '2026-11-19',
            sentenceType: SentenceType.PROBATION,
          },
        },
        m,
      ),
    );
  });
  afterAll(async () => svc?.close());

  it('issue 6 item 7: the town officer sees the case and the audit row names the person', async () => {
    const res = await ask([Role.TOWN_OFFICER]);
    expect(res.body.data._entities[0].resettlementCases).toEqual([{ id: expect.any(String), town: { code: '104' } }]);
    const rows: Array<{ details: { personKeys?: string[] } }> = await svc.db.query(`SELECT details FROM audit.events WHERE action = 'resettlement.case.read'`);
    expect(rows.map((r) => r.details.personKeys)).toEqual([[KEY]]);
  });

  it.each([[Role.SOCIAL_WORKER], [Role.TEAM_MEMBER], [Role.SUBJECT]])('issue 6 item 7: a %s token gets no resettlement case', async (role) => {
    const res = await ask([role]);
    expect(res.body.data?._entities?.[0]?.resettlementCases ?? []).toEqual([]);
  });
});
