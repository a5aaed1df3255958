import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { rowCounts } from '@homeward/testing';
import { idNumberOf, noticeBody, useResettlementApp } from '../../test/resettlement-harness';

jest.setTimeout(90_000);

const LIST = `query($town: String, $first: Int, $after: String) { noticesToHandle(town: $town, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id name expectedReleaseDate verification receiptStatus overdue town { code } person { key } } } } }`;
const VERIFY = `mutation($input: VerifyPreReleaseNoticeInput!) { verifyPreReleaseNotice(input: $input) { verification verificationLabel verifiedOn receiptStatus } }`;
const ALL_MATCH = ['HOUSEHOLD_REGISTRATION', 'FAMILY', 'IDENTITY', 'ACTUAL_RESIDENCE'].map((item) => ({ item, matches: true }));
const RECEIPT = `mutation($id: ID!) { sendNoticeReceipt(noticeId: $id) { receiptStatus } }`;

/** The town office's RS-1 … RS-4 work on pre-release notices through the staff GraphQL (real PostgreSQL + Redis). */
describe('resettlement staff GraphQL: notices, verification, receipts, key persons, agreements', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  const { svc, prison, bureau, officer104, officer107, worker104, gql, ok, errorCode, post } = useResettlementApp({ label: 'rs-gql-notices', clock, keys });
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ids.late = (await post('pre-release-notices', prison, 'N-A', noticeBody('P-A', idNumberOf(1), { expectedReleaseDate: '2027-03-20' })).expect(201)).body.id;
    ids.soon = (await post('pre-release-notices', prison, 'N-B', noticeBody('P-B', idNumberOf(2), { expectedReleaseDate: '2027-03-05' })).expect(201)).body.id;
    ids.queue = (await post('pre-release-notices', prison, 'N-C', noticeBody('P-C', idNumberOf(3), {}, { residenceTown: '999' })).expect(201)).body.id;
  });

  it('RS-2: the town office\'s to-do list is its own towns\' notices, soonest release first, audited with the person keys', async () => {
    const page1 = (await ok(officer104, LIST, { first: 1 })).noticesToHandle;
    expect(page1.totalCount).toBe(2);
    expect(page1.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids.soon]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await ok(officer104, LIST, { first: 1, after: page1.pageInfo.endCursor })).noticesToHandle;
    expect(page2.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids.late]);
    expect(page2.edges[0].node).toMatchObject({ name: '释放甲', receiptStatus: 'PENDING', verification: null, town: { code: '104' } });
    const [audit] = await svc().db.query<{ details: { personKeys: string[] } }>(
      `SELECT details FROM audit.events WHERE action = 'resettlement.notice.list' ORDER BY id LIMIT 1`,
    );
    expect(audit.details.personKeys).toEqual([page1.edges[0].node.person.key]);
  });

  it('RS-2: another town\'s officer and a social worker see nothing; another town\'s notice is NOT_FOUND (audited)', async () => {
    expect((await ok(officer107, LIST)).noticesToHandle.totalCount).toBe(0);
    expect((await ok(officer107, LIST, { town: '104' })).noticesToHandle.totalCount).toBe(0);
    expect(await errorCode(worker104, LIST)).toBe('FORBIDDEN');
    expect(await errorCode(officer107, `query($id: ID!) { preReleaseNotice(id: $id) { id } }`, { id: ids.soon })).toBe('NOT_FOUND');
    const denied = await svc().db.query(`SELECT 1 FROM audit.events WHERE action = 'resettlement.notice.read' AND outcome = 'DENIED' AND entity_id = $1`, [ids.soon]);
    expect(denied).toHaveLength(1);
    const before = await rowCounts(svc().db, ['resettlement']);
    expect(await errorCode(officer107, VERIFY, { input: { noticeId: ids.soon, items: ALL_MATCH } })).toBe('NOT_FOUND');
    expect(await rowCounts(svc().db, ['resettlement'])).toEqual(before);
  });

  it('RS-1: the city queue is the CITY_ADMIN\'s; assigning a town moves the notice to that office\'s list', async () => {
    const QUEUE = `{ cityNoticeQueue { totalCount edges { node { id town { code } matchedBy } } } }`;
    expect((await ok(bureau, QUEUE)).cityNoticeQueue.edges).toEqual([{ node: { id: ids.queue, town: null, matchedBy: 'CITY_QUEUE' } }]);
    expect(await errorCode(officer104, QUEUE)).toBe('FORBIDDEN');
    const ASSIGN = `mutation($input: AssignNoticeTownInput!) { assignNoticeTown(input: $input) { town { code } matchedBy } }`;
    expect(await errorCode(officer104, ASSIGN, { input: { noticeId: ids.queue, town: '107', reason: '实际居住地在青阳镇' } })).toBe('FORBIDDEN');
    expect(await errorCode(bureau, ASSIGN, { input: { noticeId: ids.queue, town: '999', reason: 'x' } })).toBe('TOWN_UNKNOWN');
    expect((await ok(bureau, ASSIGN, { input: { noticeId: ids.queue, town: '107', reason: '实际居住地在青阳镇' } })).assignNoticeTown).toEqual({ town: { code: '107' }, matchedBy: 'ASSIGNED' });
    expect((await ok(bureau, QUEUE)).cityNoticeQueue.totalCount).toBe(0);
    expect((await ok(officer107, LIST)).noticesToHandle.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids.queue]);
  });

  it('RS-2: verification before the receipt; a sent receipt takes the notice off the to-do list', async () => {
    expect(await errorCode(officer104, RECEIPT, { id: ids.soon })).toBe('ILLEGAL_TRANSITION');
    expect(await errorCode(officer104, VERIFY, { input: { noticeId: ids.soon, items: [] } })).toBe('BAD_USER_INPUT');
    const verified = (
      await ok(officer104, VERIFY, {
        input: { noticeId: ids.soon, items: [...ALL_MATCH.slice(0, 3), { item: 'ACTUAL_RESIDENCE', matches: false, note: '已搬离' }], notes: '家属配合' },
      })
    ).verifyPreReleaseNotice;
    expect(verified).toEqual({ verification: 'DISCREPANCY', verificationLabel: expect.stringMatching(/[\u4e00-\u9fa5]/), verifiedOn: '2027-03-01', receiptStatus: 'PENDING' });
    expect((await ok(officer104, RECEIPT, { id: ids.soon })).sendNoticeReceipt).toEqual({ receiptStatus: 'SENT' });
    expect((await ok(officer104, LIST)).noticesToHandle.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids.late]);
  });

  it('RS-3: the office changes the key-person categories with a reason (Chinese labels); no reason is refused', async () => {
    const CHANGE = `mutation($input: ChangeKeyCategoriesInput!) { changeKeyCategories(input: $input) { keyPerson keyCategories keyCategoryLabels } }`;
    expect(await errorCode(officer104, CHANGE, { input: { noticeId: ids.late, categories: ['POOR_CONDUCT'], reason: ' ' } })).toBe('BAD_USER_INPUT');
    const changed = (await ok(officer104, CHANGE, { input: { noticeId: ids.late, categories: ['POOR_CONDUCT'], reason: '狱内表现差' } })).changeKeyCategories;
    expect(changed).toMatchObject({ keyPerson: true, keyCategories: expect.arrayContaining(['POOR_CONDUCT']) });
    expect(changed.keyCategoryLabels.every((l: string) => /[\u4e00-\u9fa5]/.test(l))).toBe(true);
  });

  it('RS-4: the application is recorded, then the 1+1+N agreement; a second agreement is a CONFLICT', async () => {
    expect((await ok(officer104, `mutation($id: ID!) { markAgreementApplied(noticeId: $id) { agreementApplied } }`, { id: ids.late })).markAgreementApplied).toEqual({ agreementApplied: true });
    const SIGN = `mutation($input: SignAgreementInput!) { signAgreement(input: $input) { noticeId signedOn parties { role name } clauses { control } } }`;
    const input = {
      noticeId: ids.late,
      parties: [{ role: 'PERSON', name: '释放甲' }, { role: 'TOWN_OFFICE', name: '澄江司法所' }, { role: 'FAMILY', name: '家属乙' }],
      clauses: { control: '定期报到', education: '法治教育', assistance: '就业帮扶' },
      signedOn: '2027-03-01',
    };
    expect(await errorCode(officer107, SIGN, { input })).toBe('NOT_FOUND');
    expect((await ok(officer104, SIGN, { input })).signAgreement).toMatchObject({ noticeId: ids.late, signedOn: '2027-03-01', clauses: { control: '定期报到' } });
    expect(await errorCode(officer104, SIGN, { input })).toBe('CONFLICT');
  });
});
