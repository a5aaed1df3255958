/**
 * The vocabulary of aftercare after compulsory isolated drug rehabilitation (后续照管, docs/domain.md
 * AC-1 … AC-7): the values the aftercare service stores and the partner API accepts, with the
 * Chinese labels staff read.
 */

/** AC-3 / AC-4 the result of a drug test (尿检结果). NOT_TESTED only from a follow-up. */
export enum DrugTestResult {
  NEGATIVE = 'NEGATIVE',
  POSITIVE = 'POSITIVE',
  REFUSED = 'REFUSED',
  NOT_TESTED = 'NOT_TESTED',
}

export const DRUG_TEST_RESULT_LABELS: Record<DrugTestResult, string> = {
  [DrugTestResult.NEGATIVE]: '阴性',
  [DrugTestResult.POSITIVE]: '阳性',
  [DrugTestResult.REFUSED]: '拒绝检测',
  [DrugTestResult.NOT_TESTED]: '未检测',
};

/** What police may report (AC-4): a test was made, so NOT_TESTED is not among them. */
export const POLICE_DRUG_TEST_RESULTS: readonly DrugTestResult[] = Object.freeze([DrugTestResult.NEGATIVE, DrugTestResult.POSITIVE, DrugTestResult.REFUSED]);

/** AC-3 the kinds of follow-up (回访): a phone call each month, a visit each quarter. */
export enum FollowUpKind {
  PHONE = 'PHONE',
  FACE_TO_FACE = 'FACE_TO_FACE',
}

export const FOLLOW_UP_KIND_LABELS: Record<FollowUpKind, string> = {
  [FollowUpKind.PHONE]: '电话回访',
  [FollowUpKind.FACE_TO_FACE]: '见面回访',
};

/** AC-5 why an aftercare case was closed (解除后续照管). */
export enum ClosureReason {
  ABSTINENT_THREE_YEARS = 'ABSTINENT_THREE_YEARS',
  MOVED = 'MOVED',
  DIED = 'DIED',
  REDETAINED = 'REDETAINED',
}

export const CLOSURE_REASON_LABELS: Record<ClosureReason, string> = {
  [ClosureReason.ABSTINENT_THREE_YEARS]: '戒断3年未复吸',
  [ClosureReason.MOVED]: '迁出',
  [ClosureReason.DIED]: '死亡',
  [ClosureReason.REDETAINED]: '再次被强制隔离戒毒或收押',
};

/** The states of an aftercare case: notified (awaiting first contact) → enrolled → closed. */
export enum AftercareCaseStatus {
  AWAITING_CONTACT = 'AWAITING_CONTACT',
  ENROLLED = 'ENROLLED',
  CLOSED = 'CLOSED',
}

export const AFTERCARE_CASE_STATUS_LABELS: Record<AftercareCaseStatus, string> = {
  [AftercareCaseStatus.AWAITING_CONTACT]: '待对接',
  [AftercareCaseStatus.ENROLLED]: '照管中',
  [AftercareCaseStatus.CLOSED]: '已解除',
};

/** AC-4 how a relapse became known (复吸认定来源). */
export enum RelapseSource {
  FOLLOW_UP_TEST = 'FOLLOW_UP_TEST',
  POLICE_TEST = 'POLICE_TEST',
  POLICE_REPORT = 'POLICE_REPORT',
}

export const RELAPSE_SOURCE_LABELS: Record<RelapseSource, string> = {
  [RelapseSource.FOLLOW_UP_TEST]: '回访检测阳性',
  [RelapseSource.POLICE_TEST]: '公安检测阳性',
  [RelapseSource.POLICE_REPORT]: '公安通报',
};

/** AC-7 what a work-log entry (工作日志) of a service station records. */
export enum WorkLogKind {
  HOME_VISIT = 'HOME_VISIT',
  PHONE_CALL = 'PHONE_CALL',
  MEETING = 'MEETING',
  TRAINING = 'TRAINING',
  PUBLICITY = 'PUBLICITY',
  COORDINATION = 'COORDINATION',
  ASSISTANCE = 'ASSISTANCE',
  OTHER = 'OTHER',
}

export const WORK_LOG_KIND_LABELS: Record<WorkLogKind, string> = {
  [WorkLogKind.HOME_VISIT]: '走访',
  [WorkLogKind.PHONE_CALL]: '电话联系',
  [WorkLogKind.MEETING]: '会议',
  [WorkLogKind.TRAINING]: '培训',
  [WorkLogKind.PUBLICITY]: '禁毒宣传',
  [WorkLogKind.COORDINATION]: '协调对接',
  [WorkLogKind.ASSISTANCE]: '帮扶救助',
  [WorkLogKind.OTHER]: '其他',
};

/** AC-7 the ledgers (台账) a service station keeps: one list per kind of record. */
export enum AftercareLedgerKind {
  NOTICES = 'NOTICES',
  CONTACTS = 'CONTACTS',
  FOLLOW_UPS = 'FOLLOW_UPS',
  DRUG_TESTS = 'DRUG_TESTS',
  RELAPSES = 'RELAPSES',
  CLOSURES = 'CLOSURES',
}

export const AFTERCARE_LEDGER_KIND_LABELS: Record<AftercareLedgerKind, string> = {
  [AftercareLedgerKind.NOTICES]: '解戒通知台账',
  [AftercareLedgerKind.CONTACTS]: '对接台账',
  [AftercareLedgerKind.FOLLOW_UPS]: '回访台账',
  [AftercareLedgerKind.DRUG_TESTS]: '尿检台账',
  [AftercareLedgerKind.RELAPSES]: '复吸台账',
  [AftercareLedgerKind.CLOSURES]: '解除照管台账',
};

/** AC-6 what a file of a success-case dossier (成功戒毒典型材料) is. */
export enum SuccessCaseFileKind {
  DOCUMENT = 'DOCUMENT',
  PICTURE = 'PICTURE',
}

export const SUCCESS_CASE_FILE_KIND_LABELS: Record<SuccessCaseFileKind, string> = {
  [SuccessCaseFileKind.DOCUMENT]: '文字材料',
  [SuccessCaseFileKind.PICTURE]: '图片',
};

/** AC-5 why a community rehabilitation period (社区康复) ended. */
export enum CommunityRehabEndReason {
  COMPLETED = 'COMPLETED',
  RELAPSED = 'RELAPSED',
  MOVED = 'MOVED',
  DIED = 'DIED',
  DETAINED = 'DETAINED',
}

export const COMMUNITY_REHAB_END_REASON_LABELS: Record<CommunityRehabEndReason, string> = {
  [CommunityRehabEndReason.COMPLETED]: '社区康复期满',
  [CommunityRehabEndReason.RELAPSED]: '复吸',
  [CommunityRehabEndReason.MOVED]: '迁出',
  [CommunityRehabEndReason.DIED]: '死亡',
  [CommunityRehabEndReason.DETAINED]: '被强制隔离戒毒或收押',
};
