import { ArgsType, Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { AlertState, RiskColour } from '@homeward/domain';
import { IsTownCode, Town } from '@homeward/platform';
import { AlertType } from '../alerts/alert.types';
import { AlertEscalationType } from '../escalation/escalation.types';
import { DutyRosterEntryType } from '../roster/roster.types';

/** AL-1: what happened to an alert. */
export enum AlertTimelineKind {
  RAISED = 'RAISED',
  ESCALATED = 'ESCALATED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}

export const ALERT_TIMELINE_KIND_LABELS: Record<AlertTimelineKind, string> = {
  [AlertTimelineKind.RAISED]: '产生',
  [AlertTimelineKind.ESCALATED]: '升级',
  [AlertTimelineKind.ACKNOWLEDGED]: '签收',
  [AlertTimelineKind.RESOLVED]: '处置完毕',
};

registerEnumType(AlertTimelineKind, {
  name: 'AlertTimelineKind',
  description: 'AL-1: a step of an alert / 预警处置环节',
  valuesMap: Object.fromEntries(Object.entries(ALERT_TIMELINE_KIND_LABELS).map(([k, v]) => [k, { description: v }])),
});

@ObjectType('AlertTimelineEntry', { description: 'AL-1: one step on an alert timeline / 预警处置记录' })
export class AlertTimelineEntryType {
  @Field(() => AlertTimelineKind) kind: AlertTimelineKind;
  @Field() kindLabel: string;
  @Field() at: Date;
  @Field(() => String, { nullable: true, description: 'who: the staff member who acknowledged or resolved, the person on duty it escalated to; null for the system' })
  by: string | null;
  @Field(() => Int, { nullable: true, description: 'escalation level (1, 2)' }) level: number | null;
  @Field(() => String, { nullable: true, description: 'the resolution note' }) note: string | null;
}

@ObjectType('OpenAlertCount', { description: 'Not-resolved alerts of one town, colour and state / 未办结预警数' })
export class OpenAlertCountType {
  @Field(() => Town) town: Town;
  @Field(() => RiskColour) colour: RiskColour;
  @Field() colourLabel: string;
  @Field(() => AlertState) state: AlertState;
  @Field() stateLabel: string;
  @Field(() => Int) count: number;
}

@ObjectType('ColourCount', { description: 'Not-resolved alerts of one colour / 按颜色统计' })
export class ColourCountType {
  @Field(() => RiskColour) colour: RiskColour;
  @Field() colourLabel: string;
  @Field(() => Int) count: number;
}

@ObjectType('StateCount', { description: 'Not-resolved alerts in one state / 按状态统计' })
export class StateCountType {
  @Field(() => AlertState) state: AlertState;
  @Field() stateLabel: string;
  @Field(() => Int) count: number;
}

@ObjectType('TownCount', { description: 'Not-resolved alerts of one town / 按镇街统计' })
export class TownCountType {
  @Field(() => Town) town: Town;
  @Field(() => Int) count: number;
}

@ObjectType('CommandCentreEscalation', { description: 'AL-1: an escalation step taken today, with its alert / 今日升级' })
export class CommandCentreEscalationType extends AlertEscalationType {
  @Field(() => AlertType) alert: AlertType;
}

@ObjectType('CommandCentre', { description: 'Issue 11 item 5: the command-centre view (指挥中心) of the caller\'s towns, today' })
export class CommandCentreType {
  @Field({ description: 'the day (Asia/Shanghai), YYYY-MM-DD' }) day: string;
  @Field(() => [Town], { description: 'the towns the view covers' }) towns: Town[];
  @Field(() => [OpenAlertCountType], { description: 'not-resolved alerts by town, colour and state' }) openCounts: OpenAlertCountType[];
  @Field(() => [ColourCountType]) openByColour: ColourCountType[];
  @Field(() => [StateCountType]) openByState: StateCountType[];
  @Field(() => [TownCountType]) openByTown: TownCountType[];
  @Field(() => Int, { description: 'alerts past their response time (AL-2) and not acknowledged / 超时未签收' }) overdueAcknowledgementCount: number;
  @Field(() => [AlertType], { description: 'the most overdue first (up to `first`)' }) overdueAcknowledgements: AlertType[];
  @Field(() => [CommandCentreEscalationType], { description: 'escalation steps taken today, newest first / 今日升级' }) escalationsToday: CommandCentreEscalationType[];
  @Field(() => [DutyRosterEntryType], { description: "today's persons on duty: the city command centre and the towns of the view / 今日值班" }) onDuty: DutyRosterEntryType[];
}

@ArgsType()
export class CommandCentreArgs {
  @Field(() => String, { nullable: true, description: "one town (CITY_ADMIN any; an officer one of its own); omitted: all the caller's towns" })
  @IsOptional()
  @IsString()
  @IsTownCode()
  town?: string;

  @Field(() => Int, { defaultValue: 20, description: 'how many overdue alerts and escalations to list (1–100)' })
  @IsInt()
  @Min(1)
  @Max(100)
  first: number;
}
