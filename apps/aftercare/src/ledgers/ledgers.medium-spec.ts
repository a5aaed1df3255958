import { DrugTestResult, FollowUpKind } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { findClearPii } from '@homeward/testing';
import { idNumberOf, useAftercareApp } from '../../test/aftercare-station-harness';
import { AftercareCasesService } from '../cases/aftercare-cases.service';
import { FollowUpsService } from '../follow-ups/follow-ups.service';

jest.setTimeout(120_000);

const LEDGER = `query($kind: AftercareLedgerKind!, $town: String, $from: String, $to: String, $first: Int, $after: String) {
  aftercareLedger(kind: $kind, town: $town, from: $from, to: $to, first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage } edges { node { kind kindLabel caseId town { code } person { key } maskedIdNumber date code description } }
  } }`;
const ADD = `mutation($i: AddWorkLogEntryInput!) { addWorkLogEntry(input: $i) { id town { code } entryDate kind kindLabel note recordedBy } }`;
const LOG = `query($town: String, $from: String, $to: String, $first: Int, $after: String) { workLog(town: $town, from: $from, to: $to, first: $first, after: $after) { totalCount pageInfo { endCursor hasNextPage } edges { node { entryDate kind note } } } }`;

/** AC-7 the station's ledgers (台账) and work log (工作日志), town-filtered and audited (real PostgreSQL + Redis). */
describe('AC-7 ledgers and work log', () => {
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  const h = useAftercareApp({ label: 'ac7', clock });
  const { tokens, principals, ok, errorCode } = h;
  let a: string;
  let b: string;

  beforeAll(async () => {
    [a, b] = await h.notices([
      { n: 11, town: '104', releaseDate: '2027-03-05' },
      { n: 12, town: '104', releaseDate: '2027-03-05' },
    ]);
    await h.notices([{ n: 13, town: '107', releaseDate: '2027-03-05' }]);
    clock.set('2027-04-30T02:00:00Z');
    const cases = h.svc().app.get(AftercareCasesService);
    const followUps = h.svc().app.get(FollowUpsService);
    await cases.recordFirstContact(principals.officer104, { caseId: a, contactedOn: '2027-03-06', contactCardIssued: true });
    await cases.recordFirstContact(principals.officer104, { caseId: b, contactedOn: '2027-03-20', contactCardIssued: false });
    for (const [caseId, heldOn, drugTest] of [
      [a, '2027-03-15', DrugTestResult.NEGATIVE],
      [a, '2027-04-15', DrugTestResult.NOT_TESTED],
      [b, '2027-03-25', DrugTestResult.POSITIVE],
    ] as const) {
      await followUps.record(principals.officer104, { caseId, kind: FollowUpKind.PHONE, heldOn, contactMade: true, situation: '稳定', drugTest });
    }
  });

  it('AC-7: the contact ledger tells in-time from late contacts, with the masked ID number; the relapse ledger has the positive test', async () => {
    const contacts = (await ok(tokens.officer104, LEDGER, { kind: 'CONTACTS' })).aftercareLedger;
    expect(contacts.totalCount).toBe(2);
    expect(contacts.edges.map((e: { node: { caseId: string; code: string; description: string; date: string } }) => [e.node.caseId, e.node.date, e.node.code, e.node.description])).toEqual([
      [b, '2027-03-20', 'LATE', '解戒日期 2027-03-05，超期对接'],
      [a, '2027-03-06', 'IN_TIME', '解戒日期 2027-03-05，7日内对接，已发放联系卡'],
    ]);
    const masked = contacts.edges[0].node.maskedIdNumber as string;
    expect(masked).not.toBe(idNumberOf(12));
    expect(masked).toMatch(/\*/);
    const relapses = (await ok(tokens.officer104, LEDGER, { kind: 'RELAPSES' })).aftercareLedger;
    expect(relapses.edges.map((e: { node: { caseId: string; date: string; kindLabel: string; description: string } }) => [e.node.caseId, e.node.date, e.node.kindLabel, e.node.description])).toEqual([
      [b, '2027-03-25', '复吸台账', '复吸：回访检测阳性'],
    ]);
    const tests = (await ok(tokens.officer104, LEDGER, { kind: 'DRUG_TESTS' })).aftercareLedger;
    expect(tests.edges.map((e: { node: { code: string } }) => e.node.code).sort()).toEqual(['NEGATIVE', 'POSITIVE']);
  });

  it('AC-7: the follow-up ledger pages newest day first, within a date range; a bad cursor is refused', async () => {
    const first = (await ok(tokens.officer104, LEDGER, { kind: 'FOLLOW_UPS', first: 2 })).aftercareLedger;
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.edges.map((e: { node: { date: string } }) => e.node.date)).toEqual(['2027-04-15', '2027-03-25']);
    expect(first.edges[0].node.description).toBe('电话回访 2027-04，已联系，尿检：未检测');
    const next = (await ok(tokens.officer104, LEDGER, { kind: 'FOLLOW_UPS', first: 2, after: first.pageInfo.endCursor })).aftercareLedger;
    expect(next.edges.map((e: { node: { date: string } }) => e.node.date)).toEqual(['2027-03-15']);
    expect(next.pageInfo.hasNextPage).toBe(false);
    const march = (await ok(tokens.officer104, LEDGER, { kind: 'FOLLOW_UPS', from: '2027-03-01', to: '2027-03-31' })).aftercareLedger;
    expect(march.totalCount).toBe(2);
    expect(await errorCode(tokens.officer104, LEDGER, { kind: 'FOLLOW_UPS', after: 'not-a-cursor' })).toBe('BAD_USER_INPUT');
  });

  it("AC-7: another station's officer sees none of 104's ledgers; the city office sees all stations' notices; a social worker is refused; reads are audited", async () => {
    expect((await ok(tokens.officer107, LEDGER, { kind: 'CONTACTS' })).aftercareLedger.totalCount).toBe(0);
    expect((await ok(tokens.officer107, LEDGER, { kind: 'NOTICES', town: '104' })).aftercareLedger.totalCount).toBe(0);
    const notices = (await ok(tokens.bureau, LEDGER, { kind: 'NOTICES' })).aftercareLedger;
    expect(notices.edges.map((e: { node: { town: { code: string } } }) => e.node.town.code).sort()).toEqual(['104', '104', '107']);
    expect(await errorCode(tokens.worker104, LEDGER, { kind: 'NOTICES' })).toBe('FORBIDDEN');
    const [{ n }] = await h.svc().db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'aftercare.ledger.read'`);
    expect(n).toBeGreaterThanOrEqual(5);
  });

  it('AC-7: the work log: entries by date, kind, note and who; the note is stored encrypted; bad input changes nothing; towns filter it', async () => {
    const e1 = (await ok(tokens.officer104, ADD, { i: { town: '104', entryDate: '2027-04-28', kind: 'HOME_VISIT', note: '走访张某家属，了解就业意向' } })).addWorkLogEntry;
    expect(e1).toMatchObject({ town: { code: '104' }, entryDate: '2027-04-28', kind: 'HOME_VISIT', kindLabel: '走访', recordedBy: 'officer104' });
    await ok(tokens.officer104, ADD, { i: { town: '104', entryDate: '2027-04-29', kind: 'PUBLICITY', note: '社区禁毒宣传' } });
    await ok(tokens.officer107, ADD, { i: { town: '107', entryDate: '2027-04-29', kind: 'MEETING', note: '服务站例会' } });
    expect(await findClearPii(h.svc().db.url, { note: '走访张某家属' })).toEqual([]);
    expect(await errorCode(tokens.officer104, ADD, { i: { town: '104', entryDate: '2027-05-01', kind: 'MEETING', note: '明天' } })).toBe('DATE_RANGE_INVALID');
    expect(await errorCode(tokens.officer104, ADD, { i: { town: '107', entryDate: '2027-04-29', kind: 'MEETING', note: '越权' } })).toBe('NOT_FOUND');
    await h.gql(tokens.officer104, ADD, { i: { town: '104', entryDate: '2027-04-29', kind: 'SINGING', note: 'x' } }).expect(400); // not a WorkLogKind
    expect(await errorCode(tokens.officer104, ADD, { i: { town: '104', entryDate: '2027-04-29', kind: 'OTHER', note: '   ' } })).toBe('BAD_USER_INPUT');
    const mine = (await ok(tokens.officer104, LOG, {})).workLog;
    expect(mine.totalCount).toBe(2);
    expect(mine.edges.map((e: { node: { note: string } }) => e.node.note).sort()).toEqual(['社区禁毒宣传', '走访张某家属，了解就业意向']);
    expect((await ok(tokens.officer104, LOG, { from: '2027-04-29', to: '2027-04-29' })).workLog.totalCount).toBe(1);
    expect((await ok(tokens.bureau, LOG, {})).workLog.totalCount).toBe(3);
    expect(await errorCode(tokens.officer107, `mutation($id: ID!) { deleteWorkLogEntry(id: $id) { id } }`, { id: e1.id })).toBe('NOT_FOUND');
    await ok(tokens.officer104, `mutation($id: ID!) { deleteWorkLogEntry(id: $id) { id } }`, { id: e1.id });
    expect((await ok(tokens.officer104, LOG, {})).workLog.totalCount).toBe(1);
  });
});
