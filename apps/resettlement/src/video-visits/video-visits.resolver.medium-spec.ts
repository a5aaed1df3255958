import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { useResettlementApp } from '../../test/resettlement-harness';

jest.setTimeout(90_000);

/** RS-10 remote family video visits through the staff GraphQL (real PostgreSQL + Redis). */
describe('resettlement staff GraphQL: RS-10 video visits', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  const { officer104, officer107, ok, errorCode } = useResettlementApp({ label: 'rs-gql-visits', clock, keys });
  const TODAY = `{ videoVisitsToday { totalCount edges { node { id status statusLabel origin startsAt terminalId } } } }`;
  const REQUEST = `mutation($input: RequestFamilyVisitInput!) { requestFamilyVisit(input: $input) { id status } }`;
  const FINISH = `mutation($input: FinishVideoVisitInput!) { finishVideoVisit(input: $input) { status statusLabel outcome } }`;
  const request = (startsAt: string) => ({ town: '104', prisonName: '江苏省某监狱', prisonerNo: 'P-900', familyContact: '母亲 13800000000', startsAt, durationMinutes: 30 });
  let terminalId: string;
  let visitId: string;

  it('RS-10: the office adds a terminal; another town\'s officer cannot add one to this office; a duplicate name is a CONFLICT', async () => {
    const ADD = `mutation($input: AddVisitTerminalInput!) { addVisitTerminal(input: $input) { id name active town { code } } }`;
    expect(await errorCode(officer107, ADD, { input: { town: '104', name: '一号终端' } })).toMatch(/NOT_FOUND|FORBIDDEN/);
    const t = (await ok(officer104, ADD, { input: { town: '104', name: '一号终端' } })).addVisitTerminal;
    expect(t).toMatchObject({ name: '一号终端', active: true, town: { code: '104' } });
    terminalId = t.id;
    expect(await errorCode(officer104, ADD, { input: { town: '104', name: '一号终端' } })).toBe('CONFLICT');
  });

  it('RS-10: a family\'s request today is on today\'s list (earliest first), tomorrow\'s is not; another town sees none', async () => {
    visitId = (await ok(officer104, REQUEST, { input: request('2027-03-01T06:00:00Z') })).requestFamilyVisit.id;
    const laterToday = (await ok(officer104, REQUEST, { input: request('2027-03-01T08:00:00Z') })).requestFamilyVisit.id;
    await ok(officer104, REQUEST, { input: request('2027-03-02T06:00:00Z') });
    expect(await errorCode(officer104, REQUEST, { input: { ...request('2027-03-01T06:00:00Z'), durationMinutes: 5 } })).toBe('BAD_USER_INPUT');
    const today = (await ok(officer104, TODAY)).videoVisitsToday;
    expect(today.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([visitId, laterToday]);
    expect(today.edges[0].node).toMatchObject({ status: 'REQUESTED', statusLabel: '已申请', origin: 'FAMILY', terminalId: null });
    expect((await ok(officer107, TODAY)).videoVisitsToday.totalCount).toBe(0);
    const PAGE = `query($after: String) { videoVisitsToday(first: 1, after: $after) { pageInfo { endCursor hasNextPage } edges { node { id } } } }`;
    const first = (await ok(officer104, PAGE)).videoVisitsToday;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await ok(officer104, PAGE, { after: first.pageInfo.endCursor })).videoVisitsToday;
    expect(second.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([laterToday]);
    expect(await errorCode(officer104, PAGE, { after: 'not-a-cursor' })).toBe('BAD_USER_INPUT');
  });

  it('RS-10: confirmed on the terminal (not twice at the same time), completed only once started', async () => {
    const CONFIRM = `mutation($input: ConfirmVideoVisitInput!) { confirmVideoVisit(input: $input) { id status terminalId } }`;
    expect(await errorCode(officer107, CONFIRM, { input: { visitId, terminalId } })).toBe('NOT_FOUND');
    expect((await ok(officer104, CONFIRM, { input: { visitId, terminalId } })).confirmVideoVisit).toEqual({ id: visitId, status: 'CONFIRMED', terminalId });
    const clash = (await ok(officer104, REQUEST, { input: request('2027-03-01T06:10:00Z') })).requestFamilyVisit.id;
    expect(await errorCode(officer104, CONFIRM, { input: { visitId: clash, terminalId } })).toBe('CONFLICT');
    expect(await errorCode(officer104, FINISH, { input: { visitId, status: 'COMPLETED' } })).toBe('ILLEGAL_TRANSITION');
    expect(await errorCode(officer104, FINISH, { input: { visitId, status: 'REQUESTED' } })).toBe('BAD_USER_INPUT');
    clock.set('2027-03-01T06:40:00Z');
    expect((await ok(officer104, FINISH, { input: { visitId, status: 'COMPLETED', outcome: '会见顺利' } })).finishVideoVisit).toEqual({ status: 'COMPLETED', statusLabel: '已完成', outcome: '会见顺利' });
    expect((await ok(officer104, TODAY)).videoVisitsToday.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(visitId);
  });
});
