import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { rowCounts } from '@homeward/testing';
import { idNumberOf, noticeBody, useResettlementApp } from '../../test/resettlement-harness';

jest.setTimeout(90_000);

/** RS-11 the sunshine fund and resettlement bases, RS-9 outreach, RS-12 the social-worker roster (staff GraphQL, real PostgreSQL + Redis). */
describe('resettlement staff GraphQL: RS-11 fund and bases, RS-9 outreach, RS-12 social workers', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  const { svc, prison, officer104, officer107, ok, errorCode, post } = useResettlementApp({ label: 'rs-gql-fund', clock, keys });
  let caseId: string;
  let fundId: string;

  beforeAll(async () => {
    const notice = (await post('pre-release-notices', prison, 'N-F', noticeBody('P-F', idNumberOf(21), { expectedReleaseDate: '2027-03-01' })).expect(201)).body.id;
    const release = (await post('releases', prison, 'R-F', { preReleaseNoticeId: notice, actualReleaseDate: '2027-03-01' }).expect(201)).body.id;
    [{ case_id: caseId }] = await svc().db.query<{ case_id: string }>(`SELECT case_id FROM resettlement.releases WHERE id = $1`, [release]);
  });

  const MOVE = (m: string) => `mutation($input: FundMovementInput!) { ${m}(input: $input) { kind kindLabel amountFen balanceAfterFen } }`;

  it('RS-11: a town fund takes donations and grants; a grant beyond the balance is refused and changes nothing', async () => {
    const CREATE = `mutation($input: CreateFundInput!) { createFund(input: $input) { id name balanceFen town { code } } }`;
    expect(await errorCode(officer104, CREATE, { input: { name: '城市基金' } })).toMatch(/FORBIDDEN|NOT_FOUND/);
    const fund = (await ok(officer104, CREATE, { input: { name: '澄江阳光基金', town: '104' } })).createFund;
    expect(fund).toMatchObject({ name: '澄江阳光基金', balanceFen: 0, town: { code: '104' } });
    fundId = fund.id;
    expect((await ok(officer104, MOVE('donate'), { input: { fundId, amountFen: 10_000, counterparty: '某企业', purpose: '捐赠' } })).donate).toMatchObject({ kind: 'DONATION', balanceAfterFen: 10_000 });
    expect((await ok(officer104, MOVE('grant'), { input: { fundId, amountFen: 3_000, counterparty: '释放甲', purpose: '临时生活补助', caseId } })).grant).toMatchObject({ kind: 'GRANT', balanceAfterFen: 7_000 });
    const before = await rowCounts(svc().db, ['resettlement']);
    expect(await errorCode(officer104, MOVE('grant'), { input: { fundId, amountFen: 7_001, counterparty: '释放甲', purpose: '补助' } })).toBe('CONFLICT');
    expect(await errorCode(officer104, MOVE('grant'), { input: { fundId, amountFen: 0, counterparty: '释放甲', purpose: '补助' } })).toBe('BAD_USER_INPUT');
    expect(await errorCode(officer107, MOVE('donate'), { input: { fundId, amountFen: 100, counterparty: 'x', purpose: 'y' } })).toMatch(/FORBIDDEN|NOT_FOUND/);
    expect(await rowCounts(svc().db, ['resettlement'])).toEqual(before);
    const [{ balance_fen }] = await svc().db.query<{ balance_fen: string }>(`SELECT balance_fen FROM resettlement.funds WHERE id = $1`, [fundId]);
    expect(Number(balance_fen)).toBe(7_000);
  });

  it('RS-11: a base with its capacity takes placements of the town\'s subjects, not twice', async () => {
    const ADD = `mutation($input: AddBaseInput!) { addBase(input: $input) { id kind kindLabel capacity } }`;
    const base = (await ok(officer104, ADD, { input: { town: '104', name: '过渡性安置基地', kind: 'TRANSITIONAL', capacity: 1 } })).addBase;
    expect(base).toMatchObject({ kind: 'TRANSITIONAL', capacity: 1, kindLabel: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    const PLACE = `mutation($input: PlaceAtBaseInput!) { placeAtBase(input: $input) { baseId caseId startedOn endedOn } }`;
    expect(await errorCode(officer107, PLACE, { input: { baseId: base.id, caseId, startedOn: '2027-03-01' } })).toMatch(/FORBIDDEN|NOT_FOUND/);
    expect((await ok(officer104, PLACE, { input: { baseId: base.id, caseId, startedOn: '2027-03-01' } })).placeAtBase).toEqual({ baseId: base.id, caseId, startedOn: '2027-03-01', endedOn: null });
    expect(await errorCode(officer104, PLACE, { input: { baseId: base.id, caseId, startedOn: '2027-03-01' } })).toBe('CONFLICT');
  });

  it('RS-9: the office records a prison outreach visit; a future day is refused', async () => {
    const VISIT = `mutation($input: RecordOutreachVisitInput!) { recordOutreachVisit(input: $input) { prisonName visitedOn participants town { code } } }`;
    const input = { town: '104', prisonName: '江苏省某监狱', visitedOn: '2027-02-20', participants: 3 };
    expect((await ok(officer104, VISIT, { input })).recordOutreachVisit).toEqual({ prisonName: '江苏省某监狱', visitedOn: '2027-02-20', participants: 3, town: { code: '104' } });
    expect(await errorCode(officer104, VISIT, { input: { ...input, visitedOn: '2027-03-02' } })).toBe('DATE_INVALID');
    expect(await errorCode(officer107, VISIT, { input })).toMatch(/FORBIDDEN|NOT_FOUND/);
  });

  it('RS-12: a social worker joins and leaves the town\'s roster; the end cannot precede the start', async () => {
    const ADD = `mutation($input: AddSocialWorkerInput!) { addResettlementSocialWorker(input: $input) { id name startedOn endedOn } }`;
    const w = (await ok(officer104, ADD, { input: { town: '104', name: '社工丙', startedOn: '2027-01-01' } })).addResettlementSocialWorker;
    expect(w).toMatchObject({ name: '社工丙', startedOn: '2027-01-01', endedOn: null });
    const END = `mutation($input: EndSocialWorkerInput!) { endResettlementSocialWorker(input: $input) { endedOn } }`;
    expect(await errorCode(officer104, END, { input: { id: w.id, endedOn: '2026-12-31' } })).toBe('DATE_RANGE_INVALID');
    expect(await errorCode(officer107, END, { input: { id: w.id, endedOn: '2027-02-28' } })).toMatch(/FORBIDDEN|NOT_FOUND/);
    expect((await ok(officer104, END, { input: { id: w.id, endedOn: '2027-02-28' } })).endResettlementSocialWorker).toEqual({ endedOn: '2027-02-28' });
  });
});
