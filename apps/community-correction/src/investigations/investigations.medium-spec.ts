import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { investigationPayload, testCast } from '@homeward/testing';
import { useCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

describe('CC-14 investigation assessments (real PostgreSQL + Redis)', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const { court, otherCourt, platform, bureau, officer104, officer107 } = testCast(keys, clock);
  const { http, gql, post, outbox } = useCorrectionApp({ label: 'ccinv', clock, keys });

  const body = investigationPayload;
  let id: string;

  it('CC-14: 201 with dueDate = received + 10 working days (the received day not counted), PENDING', async () => {
    const res = await post('investigation-requests', court, body(), 'INV-1').expect(201);
    expect(res.body).toEqual({ id: expect.any(String), dueDate: '2026-12-04', status: 'PENDING' });
    expect(res.headers.location).toBe(`/api/v1/correction/investigation-requests/${res.body.id}`);
    id = res.body.id;
    const [event] = await outbox('correction.investigation.received');
    expect(event.payload).toMatchObject({ investigationId: id, town: '104', dueDate: '2026-12-04', remindOn: '2026-12-02' });
    const same = await post('investigation-requests', court, body(), 'INV-1').expect(201);
    expect(same.body.id).toBe(id);
  });

  it('CC-14: expedited (速裁) is due in 5 working days; a default receivedDate is today', async () => {
    const res = await post('investigation-requests', court, body({ expedited: true, receivedDate: undefined }, { idNumber: '11010119900307029X' })).expect(201);
    expect(res.body.dueDate).toBe('2026-11-27');
  });

  it.each([
    ['a wrong check digit', body({}, { idNumber: '110105194912310021' }), 422],
    ['an unknown town', body({}, { residenceTown: '999' }), 422],
    ['a sentence type outside CC-1', body({ proposedSentenceType: 'FINE' }), 422],
    ['a missing expedited flag', body({ expedited: undefined }), 400],
  ])('%s is refused', async (_what, payload, status) => {
    const res = await post('investigation-requests', court, payload).expect(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('only courts, procuratorates, police and prisons request; only the requester reads it', async () => {
    await post('investigation-requests', platform, body()).expect(403);
    const mine = await http().get(`/api/v1/correction/investigation-requests/${id}`).set('authorization', `Bearer ${court}`).expect(200);
    expect(mine.body).toEqual({ id, status: 'PENDING', dueDate: '2026-12-04' });
    await http().get(`/api/v1/correction/investigation-requests/${id}`).set('authorization', `Bearer ${otherCourt}`).expect(404);
  });

  it('staff of the town see it; another town does not until the bureau assigns it there', async () => {
    const q = `{ investigations(first: 10) { totalCount edges { node { id dueDate statusLabel overdue } } } }`;
    expect((await gql(officer104, q).expect(200)).body.data.investigations.totalCount).toBe(2);
    expect((await gql(officer107, q).expect(200)).body.data.investigations.totalCount).toBe(0);
    const assign = await gql(bureau, `mutation($input: AssignInvestigationTownInput!) { assignInvestigationTown(input: $input) { town { code } } }`, {
      input: { investigationId: id, town: '107' },
    }).expect(200);
    expect(assign.body.data.assignInvestigationTown.town.code).toBe('107');
    expect((await gql(officer107, q).expect(200)).body.data.investigations.totalCount).toBe(1);
    const [moved] = await outbox('correction.investigation.rescheduled');
    expect(moved.payload).toMatchObject({ investigationId: id, town: '107', dueDate: '2026-12-04' });
  });

  it('CC-14: extension by agreement moves the due date later (never earlier)', async () => {
    const EXTEND = `mutation($input: ExtendInvestigationInput!) { extendInvestigation(input: $input) { dueDate originalDueDate extensionReason } }`;
    const earlier = await gql(officer107, EXTEND, { input: { investigationId: id, newDueDate: '2026-12-01', reason: 'x' } }).expect(200);
    expect(earlier.body.errors[0].extensions.code).toBe('DATE_RANGE_INVALID');
    const ok = await gql(officer107, EXTEND, { input: { investigationId: id, newDueDate: '2026-12-11', reason: '经与法院协商延期' } }).expect(200);
    expect(ok.body.data.extendInvestigation).toEqual({ dueDate: '2026-12-11', originalDueDate: '2026-12-04', extensionReason: '经与法院协商延期' });
    const events = await outbox('correction.investigation.rescheduled');
    expect(events[events.length - 1].payload).toMatchObject({ dueDate: '2026-12-11', remindOn: '2026-12-09' });
  });

  it('CC-14: completion with an opinion and report; the requester fetches them; no second completion', async () => {
    const COMPLETE = `mutation($input: CompleteInvestigationInput!) { completeInvestigation(input: $input) { status opinion opinionLabel completedOn } }`;
    const input = { investigationId: id, opinion: 'SUITABLE', summary: '居住地固定，家庭支持', report: '调查评估报告全文' };
    const foreign = await gql(officer104, COMPLETE, { input }).expect(200);
    expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const res = await gql(officer107, COMPLETE, { input }).expect(200);
    expect(res.body.data.completeInvestigation).toEqual({ status: 'COMPLETED', opinion: 'SUITABLE', opinionLabel: '适用社区矫正', completedOn: '2026-11-20' });
    const [done] = await outbox('correction.investigation.completed');
    expect(done.payload).toMatchObject({ investigationId: id, onTime: true });
    const fetched = await http().get(`/api/v1/correction/investigation-requests/${id}`).set('authorization', `Bearer ${court}`).expect(200);
    expect(fetched.body).toMatchObject({ status: 'COMPLETED', opinion: 'SUITABLE', summary: '居住地固定，家庭支持', report: '调查评估报告全文', completedAt: '2026-11-20T02:00:00.000Z' });
    const again = await gql(officer107, COMPLETE, { input }).expect(200);
    expect(again.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
  });
});
