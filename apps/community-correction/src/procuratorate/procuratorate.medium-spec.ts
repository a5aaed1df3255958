import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { testCast } from '@homeward/testing';
import { enrolActiveSubject, useCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

describe('CC-16 procuratorate notices (real PostgreSQL + Redis)', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const { court, procuratorate, officer104, officer107 } = testCast(keys, clock);
  const { svc, gql, post, outbox } = useCorrectionApp({ label: 'ccproc', clock, keys });

  let subjectId: string;
  let noticeId: string;
  const notice = (over: Record<string, unknown> = {}) => ({ subjectId, kind: 'SUGGESTION', documentNo: '澄检建〔2026〕12号', issuedDate: '2026-11-20', content: '建议加强对该对象的日常监管', ...over });

  beforeAll(async () => {
    subjectId = await enrolActiveSubject(svc(), court, { idNumber: '110101199003077758' });
  });

  it('CC-16/CC-23: 201 with replyDue = issued + 15 days (cfg), 2026-12-05 being a Saturday → Monday 12-07; the reminder day is 3 days before', async () => {
    const res = await post('procuratorate-notices', procuratorate, notice()).expect(201);
    expect(res.body).toEqual({ id: expect.any(String), replyDue: '2026-12-07' });
    noticeId = res.body.id;
    const [event] = await outbox('correction.procuratorate-notice.received');
    expect(event.payload).toMatchObject({ noticeId, subjectId, town: '104', replyDue: '2026-12-07', remindOn: '2026-12-04' });
  });

  it('an unknown subject is 422, a bad kind 400, a court 403', async () => {
    await post('procuratorate-notices', procuratorate, notice({ subjectId: '00000000-0000-4000-8000-000000000000' })).expect(422);
    await post('procuratorate-notices', procuratorate, notice({ kind: 'LETTER' })).expect(400);
    await post('procuratorate-notices', court, notice()).expect(403);
  });

  it('CC-16: the town replies once; another town cannot see or reply', async () => {
    const REPLY = `mutation($input: ReplyProcuratorateNoticeInput!) { replyProcuratorateNotice(input: $input) { status statusLabel repliedOn } }`;
    expect((await gql(officer107, `{ procuratorateNotices(first: 5) { totalCount } }`).expect(200)).body.data.procuratorateNotices.totalCount).toBe(0);
    const list = await gql(officer104, `{ procuratorateNotices(first: 5) { totalCount edges { node { kindLabel replyDue overdue } } } }`).expect(200);
    expect(list.body.data.procuratorateNotices.edges[0].node).toEqual({ kindLabel: '检察建议', replyDue: '2026-12-07', overdue: false });
    const foreign = await gql(officer107, REPLY, { input: { noticeId, reply: '已整改' } }).expect(200);
    expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const ok = await gql(officer104, REPLY, { input: { noticeId, reply: '已落实整改' } }).expect(200);
    expect(ok.body.data.replyProcuratorateNotice).toEqual({ status: 'REPLIED', statusLabel: '已回复', repliedOn: '2026-11-20' });
    expect(await outbox('correction.procuratorate-notice.replied')).toHaveLength(1);
    const again = await gql(officer104, REPLY, { input: { noticeId, reply: '再次回复' } }).expect(200);
    expect(again.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
  });
});
