import { idNumberCheckChar } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { findClearPii, testCast } from '@homeward/testing';
import { enrolActiveSubject, useCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

/** A valid ID number (check digit computed) for the n-th subject of this file. */
const idNumber = (n: number): string => {
  const first17 = `11010519900303${String(300 + n).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};

describe('CC-27 psychological services and the crisis flag (real PostgreSQL + Redis)', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-08-03T02:00:00Z'));
  const { court, bureau, officer104, officer107 } = testCast(keys, clock);
  const { svc, ok, errorCode, gql, outbox } = useCorrectionApp({ label: 'ccpsych', clock, keys });

  const REGISTER = `mutation($input: RegisterSocialOrganisationInput!) { registerSocialOrganisation(input: $input) { id } }`;
  const RECORD = `mutation($input: RecordPsychServiceInput!) { recordPsychService(input: $input) { id kind kindLabel servedOn crisis crisisFlaggedOn notes provider { id name } } }`;
  const FLAG = `mutation($input: FlagPsychCrisisInput!) { flagPsychCrisis(input: $input) { crisis crisisFlaggedOn crisisNote } }`;
  const CLEAR = `mutation($input: ClearPsychCrisisInput!) { clearPsychCrisis(input: $input) { crisis crisisClearedOn crisisNote } }`;
  const refusal = async (token: string, query: string, variables: Record<string, unknown>) => {
    const res = await gql(token, query, variables).expect(200);
    return { code: res.body.errors?.[0]?.extensions?.code as string | undefined, message: (res.body.errors?.[0]?.message ?? '') as string };
  };

  it('CC-27: a service by a registered, active organisation of the town (or city-wide); notes encrypted; another town\'s, an unknown or a stopped provider is refused', async () => {
    const subject = await enrolActiveSubject(svc(), court, { idNumber: idNumber(1), on: '2026-06-01' });
    const { registerSocialOrganisation: own } = await ok(officer104, REGISTER, { input: { town: '104', name: '澄江心理咨询服务社', registrationNo: '52320281MJ1001' } });
    const { registerSocialOrganisation: city } = await ok(bureau, REGISTER, { input: { name: '江阴市心理卫生协会', registrationNo: '51320281MJ1002' } });
    const { registerSocialOrganisation: other } = await ok(officer107, REGISTER, { input: { town: '107', name: '南闸社工站', registrationNo: '52320281MJ1003' } });

    const NOTES = '来访者自述失眠，情绪低落，已约定下次咨询';
    const { recordPsychService: r } = await ok(officer104, RECORD, { input: { subjectId: subject, kind: 'COUNSELLING', servedOn: '2026-08-01', providerId: own.id, notes: NOTES } });
    expect(r).toMatchObject({ kind: 'COUNSELLING', kindLabel: '心理咨询', servedOn: '2026-08-01', crisis: false, crisisFlaggedOn: null, notes: NOTES, provider: { id: own.id, name: '澄江心理咨询服务社' } });
    expect(await findClearPii(svc().db.url, { name: NOTES })).toEqual([]);
    await ok(officer104, RECORD, { input: { subjectId: subject, kind: 'EDUCATION', providerId: city.id, notes: '心理健康讲座' } });

    // the provider must be a registered social organisation the subject's town may use, and ACTIVE
    expect(await refusal(officer104, RECORD, { input: { subjectId: subject, kind: 'EDUCATION', providerId: other.id, notes: 'x' } })).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('未找到该镇（街道）登记的社会组织'),
    });
    expect(await errorCode(bureau, RECORD, { input: { subjectId: subject, kind: 'EDUCATION', providerId: other.id, notes: 'x' } })).toBe('NOT_FOUND');
    expect(await errorCode(officer104, RECORD, { input: { subjectId: subject, kind: 'EDUCATION', providerId: '00000000-0000-4000-8000-000000000000', notes: 'x' } })).toBe('NOT_FOUND');
    await ok(officer104, `mutation($input: SetSocialOrganisationStatusInput!) { setSocialOrganisationStatus(input: $input) { status } }`, { input: { organisationId: own.id, status: 'INACTIVE' } });
    expect(await refusal(officer104, RECORD, { input: { subjectId: subject, kind: 'COUNSELLING', providerId: own.id, notes: 'x' } })).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      message: expect.stringContaining('已停用'),
    });
    // another town does not see the subject
    expect(await errorCode(officer107, RECORD, { input: { subjectId: subject, kind: 'EDUCATION', providerId: city.id, notes: 'x' } })).toBe('NOT_FOUND');

    const list = await ok(officer104, `query($s: ID) { psychServices(subjectId: $s) { totalCount edges { node { kindLabel provider { name } } } } }`, { s: subject });
    expect(list.psychServices.totalCount).toBe(2);
    expect((await ok(officer107, `query { psychServices { totalCount } }`)).psychServices.totalCount).toBe(0);
  });

  it('CC-27: setting the crisis flag publishes the event for alerts in the same transaction (ids, person key, town — no names); clearing publishes it cleared; each once', async () => {
    const subject = await enrolActiveSubject(svc(), court, { idNumber: idNumber(2), on: '2026-06-01' });
    const { registerSocialOrganisation: own } = await ok(officer104, REGISTER, { input: { town: '104', name: '澄江阳光心理工作室', registrationNo: '52320281MJ2001' } });
    const { recordPsychService: r } = await ok(officer104, RECORD, { input: { subjectId: subject, kind: 'CRISIS_INTERVENTION', providerId: own.id, notes: '家庭变故后出现自伤念头' } });
    expect(r.kindLabel).toBe('危机干预');
    const events = async () => (await outbox('correction.psych-service.crisis-flag')).map((e) => e.payload).filter((p) => p.recordId === r.id);
    expect(await events()).toEqual([]);

    // another town cannot flag it
    expect(await errorCode(officer107, FLAG, { input: { recordId: r.id } })).toBe('NOT_FOUND');
    const flagged = await ok(officer104, FLAG, { input: { recordId: r.id, note: '已转介精神卫生中心' } });
    expect(flagged.flagPsychCrisis).toEqual({ crisis: true, crisisFlaggedOn: '2026-08-03', crisisNote: '已转介精神卫生中心' });
    const [{ person_key: personKey }] = await svc().dataSource.query(`SELECT person_key FROM correction.subjects WHERE id = $1`, [subject]);
    expect(await events()).toEqual([{ recordId: r.id, subjectId: subject, personKey, town: '104', flagged: true, flagVersion: 2, on: '2026-08-03' }]);
    expect(await errorCode(officer104, FLAG, { input: { recordId: r.id } })).toBe('ILLEGAL_TRANSITION');
    expect((await ok(officer104, `query { psychServices(crisis: true) { edges { node { id } } } }`)).psychServices.edges).toEqual([{ node: { id: r.id } }]);

    const cleared = await ok(officer104, CLEAR, { input: { recordId: r.id, note: '情绪稳定，危机解除' } });
    expect(cleared.clearPsychCrisis).toEqual({ crisis: false, crisisClearedOn: '2026-08-03', crisisNote: '情绪稳定，危机解除' });
    expect((await events()).map((p) => [p.flagged, p.flagVersion])).toEqual([
      [true, 2],
      [false, 3],
    ]);
    expect(await refusal(officer104, CLEAR, { input: { recordId: r.id, note: 'again' } })).toEqual({ code: 'ILLEGAL_TRANSITION', message: 'the crisis flag is not set / 该记录未标记心理危机' });
    expect((await events()).length).toBe(2);

    // a record flagged on creation publishes at once
    const { recordPsychService: r2 } = await ok(officer104, RECORD, { input: { subjectId: subject, kind: 'CRISIS_INTERVENTION', providerId: own.id, notes: '夜间来电求助', crisis: true } });
    expect(r2).toMatchObject({ crisis: true, crisisFlaggedOn: '2026-08-03' });
    expect((await outbox('correction.psych-service.crisis-flag')).filter((e) => e.payload.recordId === r2.id).map((e) => e.payload.flagged)).toEqual([true]);
    const audits: Array<{ action: string }> = await svc().db.query(
      `SELECT action FROM audit.events WHERE entity_id = $1 AND outcome = 'SUCCESS' ORDER BY id`,
      [r.id],
    );
    expect(audits.map((a) => a.action)).toEqual(['correction.psych-service.record', 'correction.psych-service.flag-crisis', 'correction.psych-service.clear-crisis']);
  });
});
