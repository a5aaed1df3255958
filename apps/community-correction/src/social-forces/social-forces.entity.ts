import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, ValueTransformer, VersionColumn } from 'typeorm';
import { encryptedColumn } from '@homeward/platform';

/** numeric columns (hours, yuan) come back from pg as strings. */
export const numericValue: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/** CC-22: kinds of volunteer (志愿者), the "五老" and ordinary volunteers. */
export enum VolunteerKind {
  RETIRED_CADRE = 'RETIRED_CADRE',
  RETIRED_TEACHER = 'RETIRED_TEACHER',
  VETERAN = 'VETERAN',
  RETIRED_EXPERT = 'RETIRED_EXPERT',
  MODEL = 'MODEL',
  ORDINARY = 'ORDINARY',
}

export const VOLUNTEER_KIND_LABELS: Record<VolunteerKind, string> = {
  [VolunteerKind.RETIRED_CADRE]: '老干部',
  [VolunteerKind.RETIRED_TEACHER]: '老教师',
  [VolunteerKind.VETERAN]: '老战士（老军人）',
  [VolunteerKind.RETIRED_EXPERT]: '老专家',
  [VolunteerKind.MODEL]: '老模范',
  [VolunteerKind.ORDINARY]: '普通志愿者',
};

export enum VolunteerStatus {
  ACTIVE = 'ACTIVE',
  WITHDRAWN = 'WITHDRAWN',
}

export const VOLUNTEER_STATUS_LABELS: Record<VolunteerStatus, string> = {
  [VolunteerStatus.ACTIVE]: '在册',
  [VolunteerStatus.WITHDRAWN]: '已退出',
};

/** CC-22: the yearly assessment of a volunteer (年度考核). */
export enum AssessmentGrade {
  EXCELLENT = 'EXCELLENT',
  COMPETENT = 'COMPETENT',
  BASIC = 'BASIC',
  INCOMPETENT = 'INCOMPETENT',
}

export const ASSESSMENT_GRADE_LABELS: Record<AssessmentGrade, string> = {
  [AssessmentGrade.EXCELLENT]: '优秀',
  [AssessmentGrade.COMPETENT]: '称职',
  [AssessmentGrade.BASIC]: '基本称职',
  [AssessmentGrade.INCOMPETENT]: '不称职',
};

export enum OrganisationStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
}

export const ORGANISATION_STATUS_LABELS: Record<OrganisationStatus, string> = {
  [OrganisationStatus.ACTIVE]: '正常',
  [OrganisationStatus.INACTIVE]: '已停用',
};

/** CC-22: a government-purchased correction project (政府购买服务) of a social organisation. */
export enum ProjectStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  TERMINATED = 'TERMINATED',
}

export const PROJECT_STATUS_LABELS: Record<ProjectStatus, string> = {
  [ProjectStatus.IN_PROGRESS]: '实施中',
  [ProjectStatus.COMPLETED]: '已结项',
  [ProjectStatus.TERMINATED]: '已终止',
};

/** CC-22: what a project produced (服务成效). */
export enum ProjectOutputKind {
  CASE_COUNSELLING = 'CASE_COUNSELLING',
  GROUP_ACTIVITY = 'GROUP_ACTIVITY',
  LECTURE = 'LECTURE',
  OTHER = 'OTHER',
}

export const PROJECT_OUTPUT_KIND_LABELS: Record<ProjectOutputKind, string> = {
  [ProjectOutputKind.CASE_COUNSELLING]: '个案辅导',
  [ProjectOutputKind.GROUP_ACTIVITY]: '小组活动',
  [ProjectOutputKind.LECTURE]: '讲座',
  [ProjectOutputKind.OTHER]: '其他',
};

/** CC-22: a volunteer of a town (志愿者). Name and phone are person data: encrypted. */
@Entity({ name: 'volunteers' })
export class Volunteer {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ name: 'name_cipher', type: 'text', transformer: encryptedColumn }) name: string;
  @Column({ name: 'phone_cipher', type: 'text', nullable: true, transformer: encryptedColumn }) phone: string | null;
  @Column({ type: 'varchar', length: 20 }) kind: VolunteerKind;
  @Column({ type: 'date' }) recruitedOn: string;
  @Column({ type: 'varchar', length: 10 }) status: VolunteerStatus;
  @Column({ type: 'date', nullable: true }) withdrawnOn: string | null;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** CC-22: a training session a volunteer attended. */
@Entity({ name: 'volunteer_trainings' })
export class VolunteerTraining {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) volunteerId: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'date' }) trainedOn: string;
  @Column({ type: 'varchar', length: 200 }) topic: string;
  @Column({ type: 'numeric', precision: 5, scale: 2, transformer: numericValue }) hours: number;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** CC-22: one assessment per volunteer per year. */
@Entity({ name: 'volunteer_assessments' })
export class VolunteerAssessment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) volunteerId: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'integer' }) year: number;
  @Column({ type: 'varchar', length: 12 }) grade: AssessmentGrade;
  @Column({ type: 'varchar', length: 1000, default: '' }) note: string;
  @Column({ type: 'varchar', length: 120 }) assessedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** CC-22: a volunteer serves a correction subject from a day to a day (history kept: a new row per period). */
@Entity({ name: 'volunteer_subjects' })
export class VolunteerSubjectLink {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) volunteerId: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'date' }) fromDate: string;
  @Column({ type: 'date', nullable: true }) toDate: string | null;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @Column({ type: 'varchar', length: 120, nullable: true }) endedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** CC-22: a social organisation (社会组织) of a town, or city-wide (town null). */
@Entity({ name: 'social_organisations' })
export class SocialOrganisation {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** null: city-wide (全市), readable by every town, changed by the city bureau only. */
  @Column({ type: 'varchar', length: 8, nullable: true }) town: string | null;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'varchar', length: 60 }) registrationNo: string;
  @Column({ type: 'varchar', length: 10 }) status: OrganisationStatus;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** CC-22: a member of an organisation's staff; the name is person data, encrypted. */
@Entity({ name: 'social_organisation_staff' })
export class OrganisationStaff {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) organisationId: string;
  @Column({ name: 'name_cipher', type: 'text', transformer: encryptedColumn }) name: string;
  @Column({ type: 'varchar', length: 60 }) role: string;
  @Column({ type: 'date' }) joinedOn: string;
  @Column({ type: 'date', nullable: true }) leftOn: string | null;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** CC-22: a correction project an organisation takes on (政府购买服务). */
@Entity({ name: 'correction_projects' })
export class CorrectionProject {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) organisationId: string;
  /** The organisation's town (null: city-wide), kept here for lists. */
  @Column({ type: 'varchar', length: 8, nullable: true }) town: string | null;
  @Column({ type: 'varchar', length: 200 }) title: string;
  /** Contract amount in yuan (元). */
  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: numericValue }) contractAmount: number;
  @Column({ type: 'date' }) startDate: string;
  @Column({ type: 'date' }) endDate: string;
  @Column({ type: 'varchar', length: 12 }) status: ProjectStatus;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** CC-22: an output recorded against a project; the description may name people: encrypted. */
@Entity({ name: 'correction_project_outputs' })
export class ProjectOutput {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) projectId: string;
  @Column({ type: 'date' }) outputOn: string;
  @Column({ type: 'varchar', length: 20 }) kind: ProjectOutputKind;
  @Column({ name: 'description_cipher', type: 'text', transformer: encryptedColumn }) description: string;
  @Column({ type: 'integer' }) subjectsServed: number;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
