import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { townName } from '@homeward/domain';
import { ConnectionOf, DATE_WINDOWS, IsLocalDate, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import {
  ASSESSMENT_GRADE_LABELS,
  AssessmentGrade,
  CorrectionProject,
  ORGANISATION_STATUS_LABELS,
  OrganisationStaff,
  OrganisationStatus,
  PROJECT_OUTPUT_KIND_LABELS,
  PROJECT_STATUS_LABELS,
  ProjectOutput,
  ProjectOutputKind,
  ProjectStatus,
  SocialOrganisation,
  VOLUNTEER_KIND_LABELS,
  VOLUNTEER_STATUS_LABELS,
  Volunteer,
  VolunteerAssessment,
  VolunteerKind,
  VolunteerStatus,
  VolunteerSubjectLink,
  VolunteerTraining,
} from './social-forces.entity';
import type { OrganisationDetail } from './social-organisations.service';
import type { VolunteerDetail } from './volunteers.service';

const labelled = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, { description: v }]));
registerEnumType(VolunteerKind, { name: 'VolunteerKind', description: 'CC-22 志愿者类别（“五老”及普通志愿者）', valuesMap: labelled(VOLUNTEER_KIND_LABELS) });
registerEnumType(VolunteerStatus, { name: 'VolunteerStatus', valuesMap: labelled(VOLUNTEER_STATUS_LABELS) });
registerEnumType(AssessmentGrade, { name: 'VolunteerAssessmentGrade', description: 'CC-22 志愿者年度考核等次', valuesMap: labelled(ASSESSMENT_GRADE_LABELS) });
registerEnumType(OrganisationStatus, { name: 'SocialOrganisationStatus', valuesMap: labelled(ORGANISATION_STATUS_LABELS) });
registerEnumType(ProjectStatus, { name: 'CorrectionProjectStatus', valuesMap: labelled(PROJECT_STATUS_LABELS) });
registerEnumType(ProjectOutputKind, { name: 'CorrectionProjectOutputKind', valuesMap: labelled(PROJECT_OUTPUT_KIND_LABELS) });

const townOf = (code: string): Town => ({ code, name: townName(code) });

// ---------- volunteers ----------

@ObjectType('Volunteer', { description: 'CC-22 志愿者' })
export class VolunteerType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field() name: string;
  @Field(() => String, { nullable: true }) phone: string | null;
  @Field(() => VolunteerKind) kind: VolunteerKind;
  @Field() kindLabel: string;
  @Field() recruitedOn: string;
  @Field(() => VolunteerStatus) status: VolunteerStatus;
  @Field() statusLabel: string;
  @Field(() => String, { nullable: true }) withdrawnOn: string | null;
}

@ObjectType('VolunteerTraining', { description: 'CC-22 志愿者培训' })
export class VolunteerTrainingType {
  @Field(() => ID) id: string;
  @Field(() => ID) volunteerId: string;
  @Field() trainedOn: string;
  @Field() topic: string;
  @Field(() => Float) hours: number;
}

@ObjectType('VolunteerAssessment', { description: 'CC-22 志愿者年度考核' })
export class VolunteerAssessmentType {
  @Field(() => ID) id: string;
  @Field(() => ID) volunteerId: string;
  @Field(() => Int) year: number;
  @Field(() => AssessmentGrade) grade: AssessmentGrade;
  @Field() gradeLabel: string;
  @Field() note: string;
  @Field() assessedBy: string;
}

@ObjectType('VolunteerService', { description: 'CC-22 志愿者结对帮教的对象（起止日期，历史保留）' })
export class VolunteerServiceType {
  @Field(() => ID) id: string;
  @Field(() => ID) volunteerId: string;
  @Field(() => ID) subjectId: string;
  @Field(() => Person) person: Person;
  @Field(() => Town) town: Town;
  @Field() fromDate: string;
  @Field(() => String, { nullable: true }) toDate: string | null;
}

@ObjectType('VolunteerDetail', { description: 'CC-22 志愿者详情' })
export class VolunteerDetailType {
  @Field(() => VolunteerType) volunteer: VolunteerType;
  @Field(() => [VolunteerTrainingType]) trainings: VolunteerTrainingType[];
  @Field(() => Float, { description: 'total training hours / 培训总学时' }) trainingHours: number;
  @Field(() => [VolunteerAssessmentType]) assessments: VolunteerAssessmentType[];
  @Field(() => [VolunteerServiceType], { description: 'subjects served, current and past / 帮教对象（含历史）' }) subjects: VolunteerServiceType[];
}

@ObjectType()
export class VolunteerConnection extends ConnectionOf(VolunteerType, 'Volunteer') {}

@ArgsType()
export class VolunteersArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => VolunteerKind, { nullable: true }) @IsOptional() @IsEnum(VolunteerKind) kind?: VolunteerKind;
  @Field(() => VolunteerStatus, { nullable: true }) @IsOptional() @IsEnum(VolunteerStatus) status?: VolunteerStatus;
}

@InputType({ description: 'CC-22: recruit a volunteer / 招募志愿者' })
export class RecruitVolunteerInput {
  @Field() @IsTownCode() town: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(60) name: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(30) phone?: string;
  @Field(() => VolunteerKind) @IsEnum(VolunteerKind) kind: VolunteerKind;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) recruitedOn?: string;
}

@InputType({ description: 'CC-22: a volunteer withdraws / 志愿者退出' })
export class WithdrawVolunteerInput {
  @Field(() => ID) @IsUUID() volunteerId: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) withdrawnOn?: string;
}

@InputType({ description: 'CC-22: a training the volunteer attended / 志愿者参加培训' })
export class RecordVolunteerTrainingInput {
  @Field(() => ID) @IsUUID() volunteerId: string;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) trainedOn: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) topic: string;
  @Field(() => Float) @IsNumber() @Min(0.5) @Max(100) hours: number;
}

@InputType({ description: 'CC-22: the yearly assessment of a volunteer / 志愿者年度考核' })
export class AssessVolunteerInput {
  @Field(() => ID) @IsUUID() volunteerId: string;
  @Field(() => Int) @IsInt() @Min(2000) @Max(2100) year: number;
  @Field(() => AssessmentGrade) @IsEnum(AssessmentGrade) grade: AssessmentGrade;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

@InputType({ description: 'CC-22: the volunteer starts serving a subject / 志愿者结对帮教' })
export class ServeSubjectInput {
  @Field(() => ID) @IsUUID() volunteerId: string;
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) fromDate?: string;
}

@InputType({ description: 'CC-22: the volunteer stops serving the subject / 结束结对帮教' })
export class EndVolunteerServiceInput {
  @Field(() => ID) @IsUUID() serviceId: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) toDate?: string;
}

export function toVolunteerType(v: Volunteer): VolunteerType {
  return {
    id: v.id,
    town: townOf(v.town),
    name: v.name,
    phone: v.phone,
    kind: v.kind,
    kindLabel: VOLUNTEER_KIND_LABELS[v.kind],
    recruitedOn: v.recruitedOn,
    status: v.status,
    statusLabel: VOLUNTEER_STATUS_LABELS[v.status],
    withdrawnOn: v.withdrawnOn,
  };
}

export function toTrainingType(t: VolunteerTraining): VolunteerTrainingType {
  return { id: t.id, volunteerId: t.volunteerId, trainedOn: t.trainedOn, topic: t.topic, hours: t.hours };
}

export function toAssessmentType(a: VolunteerAssessment): VolunteerAssessmentType {
  return { id: a.id, volunteerId: a.volunteerId, year: a.year, grade: a.grade, gradeLabel: ASSESSMENT_GRADE_LABELS[a.grade], note: a.note, assessedBy: a.assessedBy };
}

export function toVolunteerServiceType(l: VolunteerSubjectLink): VolunteerServiceType {
  return {
    id: l.id,
    volunteerId: l.volunteerId,
    subjectId: l.subjectId,
    person: { key: l.personKey } as Person,
    town: townOf(l.town),
    fromDate: l.fromDate,
    toDate: l.toDate,
  };
}

export function toVolunteerDetailType(d: VolunteerDetail): VolunteerDetailType {
  return {
    volunteer: toVolunteerType(d.volunteer),
    trainings: d.trainings.map(toTrainingType),
    trainingHours: Math.round(d.trainings.reduce((sum, t) => sum + t.hours, 0) * 100) / 100,
    assessments: d.assessments.map(toAssessmentType),
    subjects: d.subjects.map(toVolunteerServiceType),
  };
}

// ---------- social organisations ----------

@ObjectType('SocialOrganisation', { description: 'CC-22 社会组织' })
export class SocialOrganisationType {
  @Field(() => ID) id: string;
  @Field(() => Town, { nullable: true, description: 'null: city-wide / 全市性' }) town: Town | null;
  @Field() cityWide: boolean;
  @Field() name: string;
  @Field() registrationNo: string;
  @Field(() => OrganisationStatus) status: OrganisationStatus;
  @Field() statusLabel: string;
}

@ObjectType('SocialOrganisationStaff', { description: 'CC-22 社会组织工作人员' })
export class OrganisationStaffType {
  @Field(() => ID) id: string;
  @Field(() => ID) organisationId: string;
  @Field() name: string;
  @Field() role: string;
  @Field() joinedOn: string;
  @Field(() => String, { nullable: true }) leftOn: string | null;
}

@ObjectType('CorrectionProjectOutput', { description: 'CC-22 项目服务成效' })
export class ProjectOutputType {
  @Field(() => ID) id: string;
  @Field(() => ID) projectId: string;
  @Field() outputOn: string;
  @Field(() => ProjectOutputKind) kind: ProjectOutputKind;
  @Field() kindLabel: string;
  @Field() description: string;
  @Field(() => Int) subjectsServed: number;
}

@ObjectType('CorrectionProject', { description: 'CC-22 社区矫正项目（政府购买服务）' })
export class CorrectionProjectType {
  @Field(() => ID) id: string;
  @Field(() => ID) organisationId: string;
  @Field() title: string;
  @Field(() => Float, { description: 'contract amount in yuan / 合同金额（元）' }) contractAmount: number;
  @Field() startDate: string;
  @Field() endDate: string;
  @Field(() => ProjectStatus) status: ProjectStatus;
  @Field() statusLabel: string;
  @Field(() => [ProjectOutputType]) outputs: ProjectOutputType[];
}

@ObjectType('SocialOrganisationDetail', { description: 'CC-22 社会组织详情' })
export class OrganisationDetailType {
  @Field(() => SocialOrganisationType) organisation: SocialOrganisationType;
  @Field(() => [OrganisationStaffType]) staff: OrganisationStaffType[];
  @Field(() => [CorrectionProjectType]) projects: CorrectionProjectType[];
}

@ObjectType()
export class SocialOrganisationConnection extends ConnectionOf(SocialOrganisationType, 'SocialOrganisation') {}

@ArgsType()
export class SocialOrganisationsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: "a town: its organisations and the city-wide ones / 该镇（街道）及全市性的社会组织" }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => OrganisationStatus, { nullable: true }) @IsOptional() @IsEnum(OrganisationStatus) status?: OrganisationStatus;
}

@InputType({ description: 'CC-22: register a social organisation / 登记社会组织' })
export class RegisterSocialOrganisationInput {
  @Field(() => String, { nullable: true, description: 'omitted: city-wide (CITY_ADMIN only) / 不填为全市性（仅市局）' }) @IsOptional() @IsTownCode() town?: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(60) registrationNo: string;
}

@InputType({ description: 'CC-22: an organisation stops or resumes / 社会组织停用或恢复' })
export class SetSocialOrganisationStatusInput {
  @Field(() => ID) @IsUUID() organisationId: string;
  @Field(() => OrganisationStatus) @IsEnum(OrganisationStatus) status: OrganisationStatus;
}

@InputType({ description: 'CC-22: a member of staff / 社会组织工作人员' })
export class AddOrganisationStaffInput {
  @Field(() => ID) @IsUUID() organisationId: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(60) name: string;
  @Field({ description: 'e.g. 社工, 心理咨询师, 项目主管' }) @IsString() @IsNotEmpty() @MaxLength(60) role: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) joinedOn?: string;
}

@InputType({ description: 'CC-22: a member of staff left / 工作人员离职' })
export class EndOrganisationStaffInput {
  @Field(() => ID) @IsUUID() staffId: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) leftOn?: string;
}

@InputType({ description: 'CC-22: a correction project taken on (政府购买服务) / 承接社区矫正项目' })
export class ContractCorrectionProjectInput {
  @Field(() => ID) @IsUUID() organisationId: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @Field(() => Float, { description: 'yuan / 元' }) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(999_999_999_999) contractAmount: number;
  @Field() @IsLocalDate(DATE_WINDOWS.period) startDate: string;
  @Field() @IsLocalDate(DATE_WINDOWS.period) endDate: string;
}

@InputType({ description: 'CC-22: a project completed or terminated / 项目结项或终止' })
export class SetCorrectionProjectStatusInput {
  @Field(() => ID) @IsUUID() projectId: string;
  @Field(() => ProjectStatus, { description: 'COMPLETED or TERMINATED' }) @IsIn([ProjectStatus.COMPLETED, ProjectStatus.TERMINATED]) status: ProjectStatus.COMPLETED | ProjectStatus.TERMINATED;
}

@InputType({ description: 'CC-22: an output of a project / 登记项目服务成效' })
export class RecordProjectOutputInput {
  @Field(() => ID) @IsUUID() projectId: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; default today' }) @IsOptional() @IsLocalDate(DATE_WINDOWS.recorded) outputOn?: string;
  @Field(() => ProjectOutputKind) @IsEnum(ProjectOutputKind) kind: ProjectOutputKind;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
  @Field(() => Int) @IsInt() @Min(0) @Max(100_000) subjectsServed: number;
}

export function toOrganisationType(o: SocialOrganisation): SocialOrganisationType {
  return {
    id: o.id,
    town: o.town ? townOf(o.town) : null,
    cityWide: o.town === null,
    name: o.name,
    registrationNo: o.registrationNo,
    status: o.status,
    statusLabel: ORGANISATION_STATUS_LABELS[o.status],
  };
}

export function toStaffType(s: OrganisationStaff): OrganisationStaffType {
  return { id: s.id, organisationId: s.organisationId, name: s.name, role: s.role, joinedOn: s.joinedOn, leftOn: s.leftOn };
}

export function toOutputType(o: ProjectOutput): ProjectOutputType {
  return { id: o.id, projectId: o.projectId, outputOn: o.outputOn, kind: o.kind, kindLabel: PROJECT_OUTPUT_KIND_LABELS[o.kind], description: o.description, subjectsServed: o.subjectsServed };
}

export function toProjectType(p: CorrectionProject, outputs: readonly ProjectOutput[] = []): CorrectionProjectType {
  return {
    id: p.id,
    organisationId: p.organisationId,
    title: p.title,
    contractAmount: p.contractAmount,
    startDate: p.startDate,
    endDate: p.endDate,
    status: p.status,
    statusLabel: PROJECT_STATUS_LABELS[p.status],
    outputs: outputs.filter((o) => o.projectId === p.id).map(toOutputType),
  };
}

export function toOrganisationDetailType(d: OrganisationDetail): OrganisationDetailType {
  return { organisation: toOrganisationType(d.organisation), staff: d.staff.map(toStaffType), projects: d.projects.map((p) => toProjectType(p, d.outputs)) };
}
