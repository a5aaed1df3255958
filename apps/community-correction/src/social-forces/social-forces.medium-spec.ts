import { idNumberCheckChar } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { findClearPii, testCast } from '@homeward/testing';
import { enrolActiveSubject, useCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

/** A valid ID number (check digit computed) for the n-th subject of this file. */
const idNumber = (n: number): string => {
  const first17 = `11010519800101${String(100 + n).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};

describe('CC-22 social forces: volunteers and social organisations (real PostgreSQL + Redis)', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-08-03T02:00:00Z'));
  const { court, bureau, officer104, officer107, worker104 } = testCast(keys, clock);
  const { svc, ok, errorCode, gql } = useCorrectionApp({ label: 'ccsocial', clock, keys });

  const RECRUIT = `mutation($input: RecruitVolunteerInput!) { recruitVolunteer(input: $input) { id kind kindLabel status statusLabel town { code } name phone recruitedOn } }`;
  const TRAIN = `mutation($input: RecordVolunteerTrainingInput!) { recordVolunteerTraining(input: $input) { id hours topic trainedOn } }`;
  const ASSESS = `mutation($input: AssessVolunteerInput!) { assessVolunteer(input: $input) { year grade gradeLabel note } }`;
  const SERVE = `mutation($input: ServeSubjectInput!) { serveSubject(input: $input) { id subjectId fromDate toDate person { key } } }`;
  const END = `mutation($input: EndVolunteerServiceInput!) { endVolunteerService(input: $input) { id toDate } }`;
  const DETAIL = `query($id: ID!) { volunteer(id: $id) { volunteer { name status withdrawnOn } trainingHours trainings { topic hours } assessments { year grade gradeLabel } subjects { subjectId fromDate toDate } } }`;
  /** The code and message of a refused call's first error. */
  const refusal = async (token: string, query: string, variables: Record<string, unknown>) => {
    const res = await gql(token, query, variables).expect(200);
    return { code: res.body.errors?.[0]?.extensions?.code as string | undefined, message: (res.body.errors?.[0]?.message ?? '') as string };
  };
  const audits = async (action: string): Promise<Array<{ outcome: string; entity_id: string | null }>> =>
    svc().db.query(`SELECT outcome, entity_id FROM audit.events WHERE action = $1 ORDER BY id`, [action]);

  it('CC-22: a "五老" volunteer recruited, trained and assessed once a year — a second assessment of the year is refused; name and phone only encrypted at rest', async () => {
    const { recruitVolunteer: v } = await ok(officer104, RECRUIT, {
      input: { town: '104', name: '周建国', phone: '13912345678', kind: 'RETIRED_TEACHER', recruitedOn: '2025-03-01' },
    });
    expect(v).toMatchObject({ kind: 'RETIRED_TEACHER', kindLabel: '老教师', status: 'ACTIVE', statusLabel: '在册', town: { code: '104' }, name: '周建国', phone: '13912345678', recruitedOn: '2025-03-01' });
    expect(await findClearPii(svc().db.url, { name: '周建国', phone: '13912345678' })).toEqual([]);

    await ok(officer104, TRAIN, { input: { volunteerId: v.id, trainedOn: '2026-05-10', topic: '社区矫正法解读', hours: 3 } });
    await ok(officer104, TRAIN, { input: { volunteerId: v.id, trainedOn: '2026-07-02', topic: '谈话技巧', hours: 1.5 } });

    const first = await ok(officer104, ASSESS, { input: { volunteerId: v.id, year: 2025, grade: 'EXCELLENT', note: '帮教成效好' } });
    expect(first.assessVolunteer).toEqual({ year: 2025, grade: 'EXCELLENT', gradeLabel: '优秀', note: '帮教成效好' });
    // one per volunteer per year: the second of 2025 is a clear refusal, and nothing changed
    const again = await refusal(officer104, ASSESS, { input: { volunteerId: v.id, year: 2025, grade: 'BASIC' } });
    expect(again).toEqual({ code: 'CONFLICT', message: 'the volunteer was already assessed for 2025 / 该志愿者2025年度已考核' });
    await ok(officer104, ASSESS, { input: { volunteerId: v.id, year: 2026, grade: 'COMPETENT' } });
    // a year not yet come, or before the recruitment, is refused
    expect(await refusal(officer104, ASSESS, { input: { volunteerId: v.id, year: 2027, grade: 'COMPETENT' } })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('考核年度不能晚于本年度') });
    expect(await refusal(officer104, ASSESS, { input: { volunteerId: v.id, year: 2024, grade: 'COMPETENT' } })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('尚未招募') });

    const { volunteer: d } = await ok(officer104, DETAIL, { id: v.id });
    expect(d.trainingHours).toBe(4.5);
    expect(d.trainings).toEqual([{ topic: '谈话技巧', hours: 1.5 }, { topic: '社区矫正法解读', hours: 3 }]);
    expect(d.assessments).toEqual([
      { year: 2026, grade: 'COMPETENT', gradeLabel: '称职' },
      { year: 2025, grade: 'EXCELLENT', gradeLabel: '优秀' },
    ]);

    // another town learns nothing: NOT_FOUND for reads and changes, audited as denied; lists are empty
    expect(await errorCode(officer107, DETAIL, { id: v.id })).toBe('NOT_FOUND');
    expect(await errorCode(officer107, TRAIN, { input: { volunteerId: v.id, trainedOn: '2026-07-02', topic: 'x', hours: 1 } })).toBe('NOT_FOUND');
    expect(await errorCode(officer107, RECRUIT, { input: { town: '104', name: '某某', kind: 'ORDINARY' } })).toBe('NOT_FOUND');
    expect((await audits('correction.volunteer.read')).filter((a) => a.outcome === 'DENIED')).toEqual([{ outcome: 'DENIED', entity_id: v.id }]);
    expect((await ok(officer107, `query { volunteers { totalCount } }`)).volunteers.totalCount).toBe(0);
    // a social worker sees persons, not a town's volunteer roll
    expect((await ok(worker104, `query { volunteers { totalCount } }`)).volunteers.totalCount).toBe(0);
    const list = await ok(bureau, `query { volunteers(town: "104", kind: RETIRED_TEACHER) { totalCount edges { node { id kindLabel } } } }`);
    expect(list.volunteers).toEqual({ totalCount: 1, edges: [{ node: { id: v.id, kindLabel: '老教师' } }] });
    // every change is audited
    expect((await audits('correction.volunteer.assess')).map((a) => a.outcome)).toEqual(['SUCCESS', 'SUCCESS']);
    expect((await audits('correction.volunteer.training')).map((a) => a.outcome)).toEqual(['SUCCESS', 'SUCCESS', 'DENIED']);
  });

  it('CC-22: a volunteer serves subjects of its own town (history kept); a subject of another town is refused; withdrawal ends the service', async () => {
    const s1 = await enrolActiveSubject(svc(), court, { idNumber: idNumber(1), on: '2026-07-01' });
    const s2 = await enrolActiveSubject(svc(), court, { idNumber: idNumber(2), on: '2026-07-01' });
    const s107 = await enrolActiveSubject(svc(), court, { idNumber: idNumber(3), on: '2026-07-01', town: '107' });
    const { recruitVolunteer: v } = await ok(officer104, RECRUIT, { input: { town: '104', name: '钱卫国', kind: 'VETERAN', recruitedOn: '2026-06-01' } });
    expect(v.kindLabel).toBe('老战士（老军人）');

    const { serveSubject: l1 } = await ok(officer104, SERVE, { input: { volunteerId: v.id, subjectId: s1, fromDate: '2026-07-02' } });
    expect(l1).toMatchObject({ subjectId: s1, fromDate: '2026-07-02', toDate: null });
    expect(l1.person.key).toMatch(/^[0-9a-f]{64}$/);
    // the same pair twice while open is refused
    expect(await errorCode(officer104, SERVE, { input: { volunteerId: v.id, subjectId: s1 } })).toBe('CONFLICT');
    // a subject of another town: the bureau sees both, yet the subject must be in the volunteer's town
    expect(await refusal(bureau, SERVE, { input: { volunteerId: v.id, subjectId: s107 } })).toEqual({
      code: 'BAD_USER_INPUT',
      message: "the subject is not in the volunteer's town / 该对象不在志愿者所在镇（街道）",
    });
    // a town officer of 104 does not see 107's subject at all
    expect(await errorCode(officer104, SERVE, { input: { volunteerId: v.id, subjectId: s107 } })).toBe('NOT_FOUND');

    await ok(officer104, END, { input: { serviceId: l1.id, toDate: '2026-07-20' } });
    expect(await errorCode(officer104, END, { input: { serviceId: l1.id } })).toBe('ILLEGAL_TRANSITION');
    // served again later: a new period, the old one kept
    await ok(officer104, SERVE, { input: { volunteerId: v.id, subjectId: s1, fromDate: '2026-07-25' } });
    await ok(officer104, SERVE, { input: { volunteerId: v.id, subjectId: s2, fromDate: '2026-07-25' } });

    const withdraw = await ok(officer104, `mutation($input: WithdrawVolunteerInput!) { withdrawVolunteer(input: $input) { status statusLabel withdrawnOn } }`, {
      input: { volunteerId: v.id, withdrawnOn: '2026-08-01' },
    });
    expect(withdraw.withdrawVolunteer).toEqual({ status: 'WITHDRAWN', statusLabel: '已退出', withdrawnOn: '2026-08-01' });
    const { volunteer: d } = await ok(officer104, DETAIL, { id: v.id });
    expect(d.subjects.map((s: { subjectId: string; fromDate: string; toDate: string }) => [s.subjectId, s.fromDate, s.toDate]).sort()).toEqual(
      [
        [s1, '2026-07-02', '2026-07-20'],
        [s1, '2026-07-25', '2026-08-01'],
        [s2, '2026-07-25', '2026-08-01'],
      ].sort(),
    );
    // a withdrawn volunteer serves no one new
    expect(await errorCode(officer104, SERVE, { input: { volunteerId: v.id, subjectId: s2 } })).toBe('ILLEGAL_TRANSITION');
    // the detail read names the persons concerned in its audit row
    const [read]: Array<{ details: { personKeys: string[] } }> = await svc().db.query(`SELECT details FROM audit.events WHERE action = 'correction.volunteer.read' AND outcome = 'SUCCESS' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [v.id]);
    expect(read.details.personKeys).toHaveLength(2);
  });

  it('CC-22: organisations — a town one changed by its town, a city-wide one read by every town and changed by CITY_ADMIN only; projects, staff and outputs', async () => {
    const REGISTER = `mutation($input: RegisterSocialOrganisationInput!) { registerSocialOrganisation(input: $input) { id cityWide town { code } name registrationNo status statusLabel } }`;
    const { registerSocialOrganisation: town } = await ok(officer104, REGISTER, { input: { town: '104', name: '澄江阳光社工服务中心', registrationNo: '52320281MJ0001' } });
    expect(town).toMatchObject({ cityWide: false, town: { code: '104' }, status: 'ACTIVE', statusLabel: '正常' });
    // a town cannot register a city-wide organisation
    expect(await errorCode(officer104, REGISTER, { input: { name: '江阴市心理协会', registrationNo: '51320281MJ0002' } })).toBe('FORBIDDEN');
    const { registerSocialOrganisation: city } = await ok(bureau, REGISTER, { input: { name: '江阴市心理协会', registrationNo: '51320281MJ0002' } });
    expect(city).toMatchObject({ cityWide: true, town: null });
    expect(await errorCode(bureau, REGISTER, { input: { town: '107', name: '重复', registrationNo: '52320281MJ0001' } })).toBe('CONFLICT');

    // lists: 104 sees its own and the city-wide one; 107 only the city-wide one
    const names = async (token: string) =>
      (await ok(token, `query { socialOrganisations { totalCount edges { node { name } } } }`)).socialOrganisations.edges.map((e: { node: { name: string } }) => e.node.name).sort();
    expect(await names(officer104)).toEqual(['江阴市心理协会', '澄江阳光社工服务中心'].sort());
    expect(await names(officer107)).toEqual(['江阴市心理协会']);
    expect(await errorCode(officer107, `query($id: ID!) { socialOrganisation(id: $id) { organisation { name } } }`, { id: town.id })).toBe('NOT_FOUND');

    // a city-wide organisation: 107 reads it, but may not change it
    const CONTRACT = `mutation($input: ContractCorrectionProjectInput!) { contractCorrectionProject(input: $input) { id title contractAmount startDate endDate status statusLabel } }`;
    const project = { title: '社区矫正对象心理矫治项目', contractAmount: 180000.5, startDate: '2026-01-01', endDate: '2026-12-31' };
    expect(await errorCode(officer107, CONTRACT, { input: { organisationId: city.id, ...project } })).toBe('FORBIDDEN');
    const { contractCorrectionProject: cityProject } = await ok(bureau, CONTRACT, { input: { organisationId: city.id, ...project } });
    expect(cityProject).toMatchObject({ contractAmount: 180000.5, status: 'IN_PROGRESS', statusLabel: '实施中' });
    expect(await errorCode(officer107, CONTRACT, { input: { organisationId: town.id, ...project } })).toBe('NOT_FOUND');
    expect(await errorCode(officer104, CONTRACT, { input: { organisationId: town.id, ...project, endDate: '2025-12-31' } })).toBe('DATE_RANGE_INVALID');

    const { contractCorrectionProject: p } = await ok(officer104, CONTRACT, { input: { organisationId: town.id, ...project, title: '澄江街道帮扶项目', contractAmount: 50000 } });
    const STAFF = `mutation($input: AddOrganisationStaffInput!) { addSocialOrganisationStaff(input: $input) { id name role joinedOn leftOn } }`;
    const { addSocialOrganisationStaff: staff } = await ok(officer104, STAFF, { input: { organisationId: town.id, name: '孙丽华', role: '社工', joinedOn: '2026-01-05' } });
    expect(staff).toMatchObject({ name: '孙丽华', role: '社工', leftOn: null });
    expect(await findClearPii(svc().db.url, { name: '孙丽华' })).toEqual([]);
    await ok(officer104, `mutation($input: EndOrganisationStaffInput!) { endSocialOrganisationStaff(input: $input) { leftOn } }`, { input: { staffId: staff.id, leftOn: '2026-07-31' } });

    const OUTPUT = `mutation($input: RecordProjectOutputInput!) { recordCorrectionProjectOutput(input: $input) { kind kindLabel subjectsServed outputOn } }`;
    const out = await ok(officer104, OUTPUT, { input: { projectId: p.id, outputOn: '2026-07-15', kind: 'GROUP_ACTIVITY', description: '情绪管理小组第一期', subjectsServed: 8 } });
    expect(out.recordCorrectionProjectOutput).toEqual({ kind: 'GROUP_ACTIVITY', kindLabel: '小组活动', subjectsServed: 8, outputOn: '2026-07-15' });
    expect(await errorCode(officer104, OUTPUT, { input: { projectId: p.id, outputOn: '2025-12-15', kind: 'LECTURE', description: 'x', subjectsServed: 1 } })).toBe('DATE_RANGE_INVALID');
    expect(await errorCode(officer107, OUTPUT, { input: { projectId: p.id, kind: 'LECTURE', description: 'x', subjectsServed: 1 } })).toBe('NOT_FOUND');

    const STATUS = `mutation($input: SetCorrectionProjectStatusInput!) { setCorrectionProjectStatus(input: $input) { status statusLabel } }`;
    expect((await ok(officer104, STATUS, { input: { projectId: p.id, status: 'COMPLETED' } })).setCorrectionProjectStatus).toEqual({ status: 'COMPLETED', statusLabel: '已结项' });
    expect(await errorCode(officer104, STATUS, { input: { projectId: p.id, status: 'TERMINATED' } })).toBe('ILLEGAL_TRANSITION');

    const detail = await ok(officer104, `query($id: ID!) { socialOrganisation(id: $id) { organisation { name } staff { name leftOn } projects { title status outputs { kindLabel subjectsServed } } } }`, { id: town.id });
    expect(detail.socialOrganisation).toEqual({
      organisation: { name: '澄江阳光社工服务中心' },
      staff: [{ name: '孙丽华', leftOn: '2026-07-31' }],
      projects: [{ title: '澄江街道帮扶项目', status: 'COMPLETED', outputs: [{ kindLabel: '小组活动', subjectsServed: 8 }] }],
    });
    // a stopped organisation takes on no new project
    await ok(bureau, `mutation($input: SetSocialOrganisationStatusInput!) { setSocialOrganisationStatus(input: $input) { status } }`, { input: { organisationId: city.id, status: 'INACTIVE' } });
    expect(await errorCode(bureau, CONTRACT, { input: { organisationId: city.id, ...project } })).toBe('ILLEGAL_TRANSITION');
    // the refused changes of the city-wide organisation by a town are on record
    expect((await audits('correction.correction-project.contract')).filter((a) => a.outcome === 'DENIED').length).toBe(2);
    expect((await audits('correction.social-organisation.register')).map((a) => a.outcome)).toEqual(['SUCCESS', 'DENIED', 'SUCCESS']);
  });
});
