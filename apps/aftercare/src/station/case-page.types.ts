import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  CLOSURE_REASON_LABELS,
  ClosureReason,
  DRUG_TEST_RESULT_LABELS,
  DrugTestResult,
  FOLLOW_UP_KIND_LABELS,
  FollowUpKind,
  compareLocalDate,
  contactedInTime,
} from '@homeward/domain';
import { AftercareCase } from '../cases/aftercare-case.entity';
import { DrugTest } from '../drug-tests/drug-test.entity';
import { FollowUp } from '../follow-ups/follow-up.entity';
import { ReleaseNotice } from '../notices/release-notice.entity';

@ObjectType('AftercareNotice', { description: 'AC-1 即将解戒人员信息对接通知书 (the ID number masked only)' })
export class AftercareNoticeType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'masked / 脱敏' }) maskedIdNumber: string;
  @Field() gender: string;
  @Field() residenceTownCode: string;
  @Field({ description: 'RESIDENCE, ASSIGNED or CITY_QUEUE' }) matchedBy: string;
  @Field({ description: 'the sending centre / 戒毒所' }) centre: string;
  @Field() releaseDate: string;
  @Field() receivedOn: string;
  @Field({ description: 'AC-1 received fewer than 3 days before release / 通知逾期' }) late: boolean;
  @Field() keyPerson: boolean;
  @Field() communityRehabilitation: boolean;
}

export function toNoticeType(n: ReleaseNotice): AftercareNoticeType {
  return {
    id: n.id,
    name: n.name,
    maskedIdNumber: n.maskedIdNumber,
    gender: n.gender,
    residenceTownCode: n.residenceTownCode,
    matchedBy: n.matchedBy,
    centre: n.centreAgency,
    releaseDate: n.releaseDate,
    receivedOn: n.receivedOn,
    late: n.late,
    keyPerson: n.keyPerson,
    communityRehabilitation: n.communityRehabilitation,
  };
}

@ObjectType('AftercareContact', { description: 'AC-2 首次对接与联系卡' })
export class AftercareContactType {
  @Field(() => String, { nullable: true }) contactDue: string | null;
  @Field(() => String, { nullable: true }) firstContactOn: string | null;
  @Field(() => String, { nullable: true }) enrolledOn: string | null;
  @Field(() => String, { nullable: true, description: '联系卡发放日期' }) contactCardIssuedOn: string | null;
  @Field(() => Boolean, { nullable: true, description: 'K-AC1: contacted within 7 days (cfg) of release; null before contact / 7日内对接' }) inTime: boolean | null;
}

export function toContactType(c: AftercareCase, contactDays: number): AftercareContactType {
  return {
    contactDue: c.contactDue,
    firstContactOn: c.firstContactOn,
    enrolledOn: c.enrolledOn,
    contactCardIssuedOn: c.contactCardIssuedOn,
    inTime: c.firstContactOn ? contactedInTime(c.releaseDate, c.firstContactOn, { contactDays }) : null,
  };
}

@ObjectType('AftercareFollowUp', { description: 'AC-3 回访' })
export class AftercareFollowUpType {
  @Field(() => ID) id: string;
  @Field(() => FollowUpKind) kind: FollowUpKind;
  @Field() kindLabel: string;
  @Field() heldOn: string;
  @Field({ description: 'YYYY-MM (PHONE) or YYYY-Qn (FACE_TO_FACE)' }) period: string;
  @Field() contactMade: boolean;
  @Field() situation: string;
  @Field(() => String, { nullable: true }) hardship: string | null;
  @Field(() => String, { nullable: true }) assistance: string | null;
  @Field(() => DrugTestResult) drugTest: DrugTestResult;
  @Field() drugTestLabel: string;
}

export function toFollowUpType(f: FollowUp): AftercareFollowUpType {
  return {
    id: f.id,
    kind: f.kind,
    kindLabel: FOLLOW_UP_KIND_LABELS[f.kind] ?? f.kind,
    heldOn: f.heldOn,
    period: f.period,
    contactMade: f.contactMade,
    situation: f.situation,
    hardship: f.hardship,
    assistance: f.assistance,
    drugTest: f.drugTest,
    drugTestLabel: DRUG_TEST_RESULT_LABELS[f.drugTest] ?? f.drugTest,
  };
}

@ObjectType('AftercareDrugTest', { description: 'AC-4 尿检' })
export class AftercareDrugTestType {
  @Field(() => ID) id: string;
  @Field() testedOn: string;
  @Field(() => DrugTestResult) result: DrugTestResult;
  @Field() resultLabel: string;
  @Field({ description: 'FOLLOW_UP or POLICE' }) source: string;
  @Field(() => ID, { nullable: true }) followUpId: string | null;
}

export function toDrugTestType(t: DrugTest): AftercareDrugTestType {
  return { id: t.id, testedOn: t.testedOn, result: t.result, resultLabel: DRUG_TEST_RESULT_LABELS[t.result] ?? t.result, source: t.source, followUpId: t.followUpId };
}

@ObjectType('AftercareRelapse', { description: 'AC-4 复吸与严重违反' })
export class AftercareRelapseType {
  @Field(() => Int) relapseCount: number;
  @Field(() => String, { nullable: true }) lastRelapseOn: string | null;
  @Field(() => Int, { description: '拒绝检测次数' }) refusedTests: number;
  @Field(() => String, { nullable: true, description: 'AC-4 严重违反 (3 refused tests, cfg)' }) seriousBreachOn: string | null;
}

@ObjectType('AftercareClosure', { description: 'AC-5 解除后续照管' })
export class AftercareClosureType {
  @Field() closedOn: string;
  @Field(() => ClosureReason) reason: ClosureReason;
  @Field() reasonLabel: string;
}

export function toClosureType(c: AftercareCase): AftercareClosureType | null {
  if (!c.closedOn || !c.closureReason) return null;
  return { closedOn: c.closedOn, reason: c.closureReason, reasonLabel: CLOSURE_REASON_LABELS[c.closureReason] ?? c.closureReason };
}

@ObjectType('AftercareHistoryEntry', { description: 'one step of the case, oldest first / 照管经过' })
export class AftercareHistoryEntryType {
  @Field() on: string;
  @Field({ description: 'NOTICE_RECEIVED, RELEASED, FIRST_CONTACT, CONTACT_CARD, FOLLOW_UP, DRUG_TEST, RELAPSE, SERIOUS_BREACH, CLOSED' }) what: string;
  @Field() label: string;
}

const HISTORY_LABELS: Record<string, string> = {
  NOTICE_RECEIVED: '收到解戒通知',
  RELEASED: '解除强制隔离戒毒',
  FIRST_CONTACT: '首次对接（纳管）',
  CONTACT_CARD: '发放联系卡',
  FOLLOW_UP: '回访',
  DRUG_TEST: '尿检',
  RELAPSE: '复吸',
  SERIOUS_BREACH: '严重违反（拒绝检测）',
  CLOSED: '解除后续照管',
};

/** The case's history, built from what is recorded on it (oldest first; same day in the order of the steps). */
export function historyOf(c: AftercareCase, notice: ReleaseNotice | null, followUps: FollowUp[], tests: DrugTest[]): AftercareHistoryEntryType[] {
  const steps: { on: string; what: string; detail?: string }[] = [];
  if (notice) steps.push({ on: notice.receivedOn, what: 'NOTICE_RECEIVED', detail: notice.late ? '逾期' : undefined });
  steps.push({ on: c.releaseDate, what: 'RELEASED' });
  if (c.firstContactOn) steps.push({ on: c.firstContactOn, what: 'FIRST_CONTACT' });
  if (c.contactCardIssuedOn) steps.push({ on: c.contactCardIssuedOn, what: 'CONTACT_CARD' });
  for (const f of followUps) steps.push({ on: f.heldOn, what: 'FOLLOW_UP', detail: `${FOLLOW_UP_KIND_LABELS[f.kind]} ${f.period}` });
  for (const t of tests) steps.push({ on: t.testedOn, what: 'DRUG_TEST', detail: `${DRUG_TEST_RESULT_LABELS[t.result]}${t.source === 'POLICE' ? '（公安）' : ''}` });
  if (c.lastRelapseOn) steps.push({ on: c.lastRelapseOn, what: 'RELAPSE', detail: c.relapseCount > 1 ? `第${c.relapseCount}次` : undefined });
  if (c.seriousBreachOn) steps.push({ on: c.seriousBreachOn, what: 'SERIOUS_BREACH' });
  if (c.closedOn) steps.push({ on: c.closedOn, what: 'CLOSED', detail: c.closureReason ? CLOSURE_REASON_LABELS[c.closureReason] : undefined });
  const order = Object.keys(HISTORY_LABELS);
  return steps
    .map((s, i) => ({ s, i }))
    .sort((a, b) => compareLocalDate(a.s.on, b.s.on) || order.indexOf(a.s.what) - order.indexOf(b.s.what) || a.i - b.i)
    .map(({ s }) => ({ on: s.on, what: s.what, label: s.detail ? `${HISTORY_LABELS[s.what]}：${s.detail}` : HISTORY_LABELS[s.what] }));
}
