import { idNumberCheckChar } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { findClearPii, testCast } from '@homeward/testing';
import { assignSocialWorker, enrolActiveSubject, useCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

/** A valid ID number (check digit computed) for the n-th subject of this file. */
const idNumber = (n: number): string => {
  const first17 = `11010519850202${String(200 + n).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};

describe('CC-26 intensive training and education activities (real PostgreSQL + Redis)', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-08-03T02:00:00Z'));
  const { court, bureau, officer104, officer107, worker104Principal, worker104 } = testCast(keys, clock);
  const { svc, ok, errorCode, gql } = useCorrectionApp({ label: 'cceduc', clock, keys });

  const SESSION = `mutation($input: RecordEducationSessionInput!) { recordEducationSession(input: $input) { id kind kindLabel heldOn hours town { code } } }`;
  const ATTEND = `mutation($input: RecordEducationAttendanceInput!) { recordEducationAttendance(input: $input) { id subjectId activityHoursId reflection } }`;
  const DUE = `query($town: String) { intensiveTrainingDue(town: $town) { totalCount edges { node { subjectId supervisionStart firstMonthEndsOn town { code } } } } }`;
  const EDUCATION_DONE = `query($id: ID!) { correctionSubject(id: $id) { compliance { month educationHoursDone } } }`;
  const refusal = async (token: string, query: string, variables: Record<string, unknown>) => {
    const res = await gql(token, query, variables).expect(200);
    return { code: res.body.errors?.[0]?.extensions?.code as string | undefined, message: (res.body.errors?.[0]?.message ?? '') as string };
  };
  const hoursRows = (subjectId: string): Promise<Array<{ kind: string; hours: string; on_date: string; note: string }>> =>
    svc().dataSource.query(`SELECT kind, hours::text AS hours, on_date::text AS on_date, note FROM correction.activity_hours WHERE subject_id = $1 ORDER BY created_at`, [subjectId]);

  it('CC-26: intensive training for a subject in the first month logs education hours (CC-9 counts them); others refused unless a key person; the "not yet trained" list', async () => {
    const newcomer = await enrolActiveSubject(svc(), court, { idNumber: idNumber(1), on: '2026-07-20' }); // first month to 2026-08-19
    const settled = await enrolActiveSubject(svc(), court, { idNumber: idNumber(2), on: '2026-05-04' });
    const keyPerson = await enrolActiveSubject(svc(), court, { idNumber: idNumber(3), on: '2026-05-04' });
    const newcomer107 = await enrolActiveSubject(svc(), court, { idNumber: idNumber(4), on: '2026-07-25', town: '107' });

    // the list of first-month subjects not yet at an intensive training: the newcomer (not the settled ones, not 107's)
    const before = await ok(officer104, DUE, {});
    expect(before.intensiveTrainingDue).toEqual({ totalCount: 1, edges: [{ node: { subjectId: newcomer, supervisionStart: '2026-07-20', firstMonthEndsOn: '2026-08-19', town: { code: '104' } } }] });
    expect((await ok(bureau, DUE, {})).intensiveTrainingDue.totalCount).toBe(2);
    expect((await ok(officer107, DUE, { town: '104' })).intensiveTrainingDue.totalCount).toBe(0);
    // a social worker sees its caseload only
    expect((await ok(worker104, DUE, {})).intensiveTrainingDue.totalCount).toBe(0);
    await assignSocialWorker(svc(), officer104, newcomer, worker104Principal.sub);
    expect((await ok(worker104, DUE, {})).intensiveTrainingDue.totalCount).toBe(1);

    const { recordEducationSession: s } = await ok(officer104, SESSION, {
      input: { town: '104', kind: 'INTENSIVE_TRAINING', title: '入矫教育集训', heldOn: '2026-08-01', place: '澄江司法所', hours: 6 },
    });
    expect(s).toMatchObject({ kind: 'INTENSIVE_TRAINING', kindLabel: '短期集训', heldOn: '2026-08-01', hours: 6, town: { code: '104' } });

    const { recordEducationAttendance: a } = await ok(officer104, ATTEND, { input: { sessionId: s.id, subjectId: newcomer } });
    expect(a.subjectId).toBe(newcomer);
    // CC-9: the session's hours on its day, kind EDUCATION, the note naming the session; compliance counts them
    expect(await hoursRows(newcomer)).toEqual([{ kind: 'EDUCATION', hours: '6.00', on_date: '2026-08-01', note: 'CC-26 短期集训「入矫教育集训」' }]);
    const [{ id: hoursId }] = await svc().dataSource.query(`SELECT id FROM correction.activity_hours WHERE subject_id = $1`, [newcomer]);
    expect(a.activityHoursId).toBe(hoursId);
    expect((await ok(officer104, EDUCATION_DONE, { id: newcomer })).correctionSubject.compliance).toEqual({ month: '2026-08', educationHoursDone: 6 });
    // once per session
    expect(await errorCode(officer104, ATTEND, { input: { sessionId: s.id, subjectId: newcomer } })).toBe('CONFLICT');
    expect((await ok(officer104, DUE, {})).intensiveTrainingDue.totalCount).toBe(0);

    // past the first month and not a key person: refused, in English and Chinese, and no hours logged
    expect(await refusal(officer104, ATTEND, { input: { sessionId: s.id, subjectId: settled } })).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'intensive training is for subjects in their first month of supervision or key persons / 短期集训仅限入矫首月的社区矫正对象或重点人员参加',
    });
    expect(await hoursRows(settled)).toEqual([]);
    // a key person of the town (CC-10, this month's determination) may attend
    await ok(officer104, `mutation($i: RecordKeyPersonDeterminationInput!) { recordKeyPersonDetermination(input: $i) { id } }`, {
      i: { town: '104', month: '2026-08', entries: [{ subjectId: keyPerson, reasons: ['重新犯罪风险'], flagLevel: 'TOWN', transformationProgress: 'IN_PROGRESS', released: false }] },
    });
    await ok(officer104, ATTEND, { input: { sessionId: s.id, subjectId: keyPerson } });
    expect((await hoursRows(keyPerson)).map((r) => r.hours)).toEqual(['6.00']);

    // another town: its officer does not see the session (NOT_FOUND); a 107 subject cannot attend 104's session
    expect(await errorCode(officer107, ATTEND, { input: { sessionId: s.id, subjectId: newcomer107 } })).toBe('NOT_FOUND');
    expect(await errorCode(officer107, `query($id: ID!) { educationSession(id: $id) { session { id } } }`, { id: s.id })).toBe('NOT_FOUND');
    expect(await errorCode(bureau, ATTEND, { input: { sessionId: s.id, subjectId: newcomer107 } })).toBe('BAD_USER_INPUT');

    const detail = await ok(officer104, `query($id: ID!) { educationSession(id: $id) { session { title } attendances { subjectId } } }`, { id: s.id });
    expect(detail.educationSession.attendances.map((x: { subjectId: string }) => x.subjectId).sort()).toEqual([newcomer, keyPerson].sort());
  });

  it('CC-26: a reading activity needs each attendee\'s written reflection (encrypted at rest); a session not yet held takes no attendance', async () => {
    const s1 = await enrolActiveSubject(svc(), court, { idNumber: idNumber(11), on: '2026-03-02' });
    const { recordEducationSession: reading } = await ok(officer104, SESSION, {
      input: { town: '104', kind: 'READING', title: '《平凡的世界》读书会', heldOn: '2026-08-02', place: '城东社区图书室', hours: 2 },
    });
    expect(reading.kindLabel).toBe('读书活动');
    expect(await refusal(officer104, ATTEND, { input: { sessionId: reading.id, subjectId: s1 } })).toEqual({
      code: 'BAD_USER_INPUT',
      message: "a reading activity needs the attendee's written reflection / 读书活动须提交读后感",
    });
    expect(await errorCode(officer104, ATTEND, { input: { sessionId: reading.id, subjectId: s1, reflection: '   ' } })).toBe('BAD_USER_INPUT');
    const REFLECTION = '读了孙少平的故事，我决心踏实做人';
    const { recordEducationAttendance: a } = await ok(officer104, ATTEND, { input: { sessionId: reading.id, subjectId: s1, reflection: REFLECTION } });
    expect(a.reflection).toBe(REFLECTION);
    expect(await findClearPii(svc().db.url, { name: REFLECTION })).toEqual([]);
    expect((await hoursRows(s1)).map((r) => [r.kind, r.hours, r.note])).toEqual([['EDUCATION', '2.00', 'CC-26 读书活动「《平凡的世界》读书会」']]);

    const { recordEducationSession: culture } = await ok(officer104, SESSION, {
      input: { town: '104', kind: 'CULTURE', title: '中秋文艺汇演', heldOn: '2026-09-25', place: '澄江文化站', hours: 3 },
    });
    expect(await errorCode(officer104, ATTEND, { input: { sessionId: culture.id, subjectId: s1 } })).toBe('DATE_INVALID');
    const list = await ok(officer104, `query { educationSessions(kind: READING) { totalCount edges { node { title kindLabel } } } }`);
    expect(list.educationSessions).toEqual({ totalCount: 1, edges: [{ node: { title: '《平凡的世界》读书会', kindLabel: '读书活动' } }] });
    expect((await ok(officer107, `query { educationSessions { totalCount } }`)).educationSessions.totalCount).toBe(0);
    const audited: Array<{ n: number }> = await svc().db.query(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'correction.education-session.attend' AND outcome = 'SUCCESS'`);
    expect(audited[0].n).toBeGreaterThanOrEqual(3);
  });
});
