import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { Type } from 'class-transformer';
import { CORRECTION_STATUS_LABELS, TEAM_ROLE_LABELS, TeamRole, townName } from '@homeward/domain';
import { ConnectionOf, DATE_WINDOWS, IsInstantWithin, Person, Town } from '@homeward/platform';
import type { AssignedSubject, OverdueObligation } from './team-app.service';
import { TEAM_VISIT_KIND_LABELS, TeamVisit, TeamVisitKind } from './team-visit.entity';

const labelled = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, { description: v }]));
registerEnumType(TeamVisitKind, { name: 'TeamVisitKind', description: 'CC-21 协矫通 走访 / 日常观察', valuesMap: labelled(TEAM_VISIT_KIND_LABELS) });

@ObjectType('OverdueObligation', { description: "CC-21: an obligation of my subject that is overdue / 逾期事项" })
export class OverdueObligationType {
  @Field() kind: string;
  @Field() label: string;
  @Field() since: string;
}

@ObjectType('AssignedSubject', { description: 'CC-21 协矫通: a subject whose correction team I am on (no ID number, no photo) / 我负责的矫正对象' })
export class AssignedSubjectType {
  @Field(() => ID) subjectId: string;
  @Field() name: string;
  @Field() townName: string;
  @Field() statusLabel: string;
  @Field(() => TeamRole) teamRole: TeamRole;
  @Field() teamRoleLabel: string;
  @Field(() => String, { nullable: true }) nextCheckInDue: string | null;
  @Field(() => [OverdueObligationType]) overdue: OverdueObligation[];
}

@ObjectType('MyTeamVisit', { description: 'CC-21: a visit or observation I recorded / 我的走访记录' })
export class MyTeamVisitType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field(() => TeamVisitKind) kind: TeamVisitKind;
  @Field() kindLabel: string;
  @Field() at: Date;
  @Field() place: string;
  @Field() observation: string;
}

@ObjectType('TeamVisit', { description: 'CC-21: a team member\'s visit or observation, as the office sees it / 小组成员走访、观察' })
export class TeamVisitType extends MyTeamVisitType {
  @Field(() => Town) town: Town;
  @Field(() => Person) person: Person;
  @Field(() => ID) teamMemberId: string;
  @Field() recordedAt: Date;
}

@ObjectType()
export class TeamVisitConnection extends ConnectionOf(TeamVisitType, 'TeamVisit') {}

@InputType({ description: 'CC-21 协矫通: record a visit or observation (time and place) / 记录走访' })
export class RecordTeamVisitInput {
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field(() => TeamVisitKind) @IsEnum(TeamVisitKind) kind: TeamVisitKind;
  @Field() @Type(() => Date) @IsDate() @IsInstantWithin(DATE_WINDOWS.instant) at: Date;
  @Field() @IsString() @IsNotEmpty() @MaxLength(300) place: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(4000) observation: string;
}

export function toAssigned(a: AssignedSubject): AssignedSubjectType {
  return {
    subjectId: a.subject.id,
    name: a.subject.name,
    townName: townName(a.subject.town),
    statusLabel: CORRECTION_STATUS_LABELS[a.subject.status],
    teamRole: a.teamRole,
    teamRoleLabel: TEAM_ROLE_LABELS[a.teamRole],
    nextCheckInDue: a.nextCheckInDue,
    overdue: a.overdue,
  };
}

export function toMyVisit(v: TeamVisit): MyTeamVisitType {
  return { id: v.id, subjectId: v.subjectId, kind: v.kind, kindLabel: TEAM_VISIT_KIND_LABELS[v.kind], at: v.at, place: v.place, observation: v.observation };
}

export function toTeamVisit(v: TeamVisit): TeamVisitType {
  return { ...toMyVisit(v), town: { code: v.town, name: townName(v.town) }, person: { key: v.personKey } as Person, teamMemberId: v.teamMemberId, recordedAt: v.createdAt };
}
