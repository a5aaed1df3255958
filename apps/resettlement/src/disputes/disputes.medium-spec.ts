import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DisputeCategory, Role } from '@homeward/domain';
import { FixedClock, type Principal } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, findClearPii, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../app.module';
import { AssistanceCase } from '../cases/assistance-case.entity';
import { ResettlementConfig } from '../config';
import { DisputesService } from './disputes.service';

jest.setTimeout(90_000);

const SUMMARY = '与邻居李四因宅基地界线争执，身份证号 320281199001011234';

/** RS-13 disputes (矛盾纠纷) on an assistance case: recorded, audited, town-filtered, validated, published without the summary (real PostgreSQL + Redis). */
describe('RS-13 disputes on assistance cases (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<ResettlementConfig>;
  let disputes: DisputesService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-05-10T02:00:00Z'));
  const officer = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] });
  const other = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['001'] });

  const gql = (query: string, variables: Record<string, unknown>, who: Principal = officer) =>
    request(svc.app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${keys.mint(who, { now: clock.now() })}`)
      .send({ query, variables });
  const RECORD = `mutation($input: RecordResettlementDisputeInput!) { recordResettlementDispute(input: $input) { id caseId town { code } category categoryLabel occurredOn summary } }`;

  const newCase = (status = 'ACTIVE') =>
    svc.dataSource.getRepository(AssistanceCase).save({
      personKey: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      town: '104',
      source: 'PRISON_RELEASE',
      sourceRecordId: randomUUID(),
      startDate: '2027-03-01',
      endDate: '2032-02-29',
      status,
    });
  const stored = async (caseId: string) => (await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.case_disputes WHERE case_id = $1`, [caseId]))[0].n;
  const published = (caseId: string) =>
    svc.db.query<{ payload: Record<string, unknown> }>(`SELECT payload FROM resettlement.bus_outbox WHERE name = 'resettlement.dispute.recorded' AND payload->>'caseId' = $1`, [caseId]);

  beforeAll(async () => {
    svc = await bootServiceApp({ name: 'resettlement', appModule: (o) => AppModule.forRoot(o), config: ResettlementConfig, keys, clock, prefix: testRedisPrefix('rs-dispute') });
    disputes = svc.app.get(DisputesService);
  });
  afterAll(async () => svc?.close());

  it('RS-13: the town office records a dispute (GraphQL): stored with its Chinese label, the summary encrypted, audited, published with category and day only; the case page lists it', async () => {
    const kase = await newCase();
    const res = await gql(RECORD, { input: { caseId: kase.id, category: 'LAND_HOUSING', occurredOn: '2027-05-08', summary: SUMMARY } });
    expect(res.body.errors).toBeUndefined();
    const d = res.body.data.recordResettlementDispute;
    expect(d).toMatchObject({ caseId: kase.id, town: { code: '104' }, category: 'LAND_HOUSING', categoryLabel: '土地房屋纠纷', occurredOn: '2027-05-08', summary: SUMMARY });

    const [event] = await published(kase.id);
    expect(event.payload).toEqual({ disputeId: d.id, caseId: kase.id, personKey: kase.personKey, town: '104', category: 'LAND_HOUSING', occurredOn: '2027-05-08' });
    const audited = await svc.db.query<{ action: string; person_key: string; outcome: string }>(`SELECT action, person_key, outcome FROM audit.events WHERE entity_id = $1`, [d.id]);
    expect(audited).toEqual([{ action: 'resettlement.dispute.record', person_key: kase.personKey, outcome: 'SUCCESS' }]);
    // Neither the name nor the ID number in the summary is stored (or published) in clear.
    expect(await findClearPii(svc.db.url, { name: '李四', idNumber: '320281199001011234' })).toEqual([]);

    const page = await gql(`query($id: ID!) { resettlementCase(id: $id) { id disputes { id category categoryLabel occurredOn summary } } }`, { id: kase.id });
    expect(page.body.errors).toBeUndefined();
    expect(page.body.data.resettlementCase.disputes).toEqual([{ id: d.id, category: 'LAND_HOUSING', categoryLabel: '土地房屋纠纷', occurredOn: '2027-05-08', summary: SUMMARY }]);
  });

  it('RS-13: another town\'s officer gets NOT_FOUND (the denial audited) and nothing is stored or published', async () => {
    const kase = await newCase();
    const res = await gql(RECORD, { input: { caseId: kase.id, category: 'FAMILY', occurredOn: '2027-05-08', summary: '夫妻争吵' } }, other);
    expect(res.body.errors[0].extensions).toMatchObject({ domainCode: 'NOT_FOUND' });
    expect(res.body.errors[0].message).toMatch(/not found \/ 未找到/);
    expect(await stored(kase.id)).toBe(0);
    expect(await published(kase.id)).toEqual([]);
    const denied = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'resettlement.dispute.record' AND entity_id = $1 AND outcome = 'DENIED'`, [kase.id]);
    expect(denied[0].n).toBe(1);
  });

  it('RS-13: a social worker records on a person of its caseload and not on another (NOT_FOUND, nothing stored)', async () => {
    const [mine, notMine] = [await newCase(), await newCase()];
    const worker = staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'], caseload: [mine.personKey] });
    const d = await disputes.record(worker, { caseId: mine.id, category: DisputeCategory.DEBT, occurredOn: '2027-05-01', summary: '欠款未还' });
    expect(d.town).toBe('104');
    await expect(disputes.record(worker, { caseId: notMine.id, category: DisputeCategory.DEBT, occurredOn: '2027-05-01', summary: '欠款未还' })).rejects.toThrow(/未找到/);
    expect(await stored(notMine.id)).toBe(0);
  });

  it('RS-13: bad input is a typed bilingual error and changes nothing: a future day, an empty or too long summary, an unknown category, a case no longer ACTIVE', async () => {
    const kase = await newCase();
    const input = { caseId: kase.id, category: 'NEIGHBOURHOOD', occurredOn: '2027-05-08', summary: '邻里噪音' };

    const future = await gql(RECORD, { input: { ...input, occurredOn: '2027-05-11' } });
    expect(future.body.errors[0].extensions).toMatchObject({ domainCode: 'DATE_INVALID', field: 'occurredOn' });
    expect(future.body.errors[0].message).toMatch(/future \/ .*不能晚于今天/);

    const empty = await gql(RECORD, { input: { ...input, summary: '   ' } });
    expect(empty.body.errors[0].extensions).toMatchObject({ domainCode: 'VALIDATION_FAILED', field: 'summary' });
    const long = await gql(RECORD, { input: { ...input, summary: '纠'.repeat(501) } });
    expect(long.body.errors[0].extensions.code).toMatch(/BAD_USER_INPUT/);

    const unknown = await gql(RECORD, { input: { ...input, category: 'WAR' } });
    expect(unknown.body.data ?? null).toBeNull();
    expect(unknown.body.errors[0].extensions.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);

    const ended = await newCase('ENDED');
    const closed = await gql(RECORD, { input: { ...input, caseId: ended.id } });
    expect(closed.body.errors[0].extensions).toMatchObject({ domainCode: 'ILLEGAL_TRANSITION' });
    expect(closed.body.errors[0].message).toMatch(/不能登记矛盾纠纷/);

    expect(await stored(kase.id)).toBe(0);
    expect(await stored(ended.id)).toBe(0);
    expect(await published(kase.id)).toEqual([]);
  });
});
