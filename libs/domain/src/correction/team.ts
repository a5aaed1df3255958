import { compareLocalDate, parseLocalDate, type LocalDate } from '../calendar/local-date';
import { Gender } from '../enums/gender';
import { DomainError, DomainErrorCode } from '../errors/domain-error';

/** CC-7: roles in a correction team (矫正小组). */
export enum TeamRole {
  JUSTICE_OFFICE_STAFF = 'JUSTICE_OFFICE_STAFF',
  VILLAGE_COMMITTEE = 'VILLAGE_COMMITTEE',
  GRID_WORKER = 'GRID_WORKER',
  FAMILY = 'FAMILY',
  EMPLOYER_OR_SCHOOL = 'EMPLOYER_OR_SCHOOL',
  SOCIAL_WORKER = 'SOCIAL_WORKER',
  VOLUNTEER = 'VOLUNTEER',
  LEGAL_SERVICE_WORKER = 'LEGAL_SERVICE_WORKER',
}

export const TEAM_ROLE_LABELS: Record<TeamRole, string> = {
  [TeamRole.JUSTICE_OFFICE_STAFF]: '司法所工作人员',
  [TeamRole.VILLAGE_COMMITTEE]: '村（居）委会人员',
  [TeamRole.GRID_WORKER]: '网格员',
  [TeamRole.FAMILY]: '家庭成员',
  [TeamRole.EMPLOYER_OR_SCHOOL]: '所在单位或学校人员',
  [TeamRole.SOCIAL_WORKER]: '社会工作者',
  [TeamRole.VOLUNTEER]: '志愿者',
  [TeamRole.LEGAL_SERVICE_WORKER]: '法律服务工作者',
};

/** Age of majority for CC-7's "minor" rule (statute, 未成年人保护法). */
export const ADULT_AGE = 18;

export enum TeamViolation {
  NO_WOMAN_FOR_FEMALE_SUBJECT = 'NO_WOMAN_FOR_FEMALE_SUBJECT',
  NO_MINORS_EXPERT_FOR_MINOR = 'NO_MINORS_EXPERT_FOR_MINOR',
  EMPTY_TEAM = 'EMPTY_TEAM',
}

export const TEAM_VIOLATION_LABELS: Record<TeamViolation, string> = {
  [TeamViolation.NO_WOMAN_FOR_FEMALE_SUBJECT]: '女性矫正对象的矫正小组应当有女性成员',
  [TeamViolation.NO_MINORS_EXPERT_FOR_MINOR]: '未成年矫正对象的矫正小组应当有熟悉未成年人身心特点的人员',
  [TeamViolation.EMPTY_TEAM]: '矫正小组尚无成员',
};

export interface TeamCompositionInput {
  subjectGender: Gender;
  subjectBirthDate: LocalDate;
  /** The day the plan is approved: the subject's age is taken on it. */
  on: LocalDate;
  members: readonly { gender: Gender; versedInMinors: boolean }[];
}

/** Age in full years on `on` (a birthday counts from the day itself; 29 Feb → 1 Mar in common years). */
export function ageOn(birthDate: LocalDate, on: LocalDate): number {
  parseLocalDate(birthDate, 'birthDate');
  parseLocalDate(on, 'on');
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return years - (on.slice(5) < birthDate.slice(5) ? 1 : 0);
}

export function isMinorOn(birthDate: LocalDate, on: LocalDate): boolean {
  return compareLocalDate(birthDate, on) <= 0 && ageOn(birthDate, on) < ADULT_AGE;
}

/** CC-7: what is wrong with a team (empty list = fine). */
export function teamCompositionViolations(input: TeamCompositionInput): TeamViolation[] {
  const out: TeamViolation[] = [];
  if (input.members.length === 0) out.push(TeamViolation.EMPTY_TEAM);
  if (input.subjectGender === Gender.FEMALE && !input.members.some((m) => m.gender === Gender.FEMALE)) {
    out.push(TeamViolation.NO_WOMAN_FOR_FEMALE_SUBJECT);
  }
  if (isMinorOn(input.subjectBirthDate, input.on) && !input.members.some((m) => m.versedInMinors)) {
    out.push(TeamViolation.NO_MINORS_EXPERT_FOR_MINOR);
  }
  return out;
}

/** CC-7: a plan is approved only with a team that fits the subject. @throws DomainError(ILLEGAL_TRANSITION). */
export function assertTeamComposition(input: TeamCompositionInput): void {
  const violations = teamCompositionViolations(input);
  if (violations.length > 0) {
    throw new DomainError(
      DomainErrorCode.ILLEGAL_TRANSITION,
      `CC-7: the correction team does not fit the subject: ${violations.join(', ')} / ${violations.map((v) => TEAM_VIOLATION_LABELS[v]).join('；')}`,
      { field: 'team', details: { violations } },
    );
  }
}
