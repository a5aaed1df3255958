import type { LocalDate } from '../calendar/local-date';
import type { RiskColour } from '../enums/risk-colour';
import type { SentenceType } from '../enums/sentence-type';
import type { PiiFieldName } from './pii';

/** Apps that produce or consume events (docs/internals.md). */
export type ServiceName = 'identity' | 'community-correction' | 'resettlement' | 'aftercare' | 'alerts';

export const SERVICE_NAMES: readonly ServiceName[] = Object.freeze([
  'identity',
  'community-correction',
  'resettlement',
  'aftercare',
  'alerts',
]);

/**
 * The payload of every event, by name. Payloads carry personKey and ids, never a clear
 * ID number or a name (Redis is not encrypted storage).
 */
/** A social worker's assignment to a case (the whole row, so a consumer's copy converges whatever the delivery order). */
export interface AssignmentChangedPayload {
  assignmentId: string;
  workerId: string;
  /** The correction subject or the assistance case. */
  subjectId: string;
  personKey: string;
  town: string;
  assignedAt: string;
  assignedBy: string;
  endedAt: string | null;
  endedBy: string | null;
}

export interface EventPayloads {
  'correction.subject.enrolled': {
    subjectId: string;
    personKey: string;
    town: string;
    sentenceType: SentenceType;
    judgmentEffectiveDate: LocalDate;
    reportDeadline: LocalDate;
    documentsDeadline: LocalDate;
    /** Last day of the correction period (AL-3 "correction ends in 30 days"); absent in events from before it was added. */
    correctionEndDate?: LocalDate;
  };
  /** daysLate (CC-4): days after the report deadline, 0 on time (feeds the CC-11 ladder). */
  'correction.subject.reported': { subjectId: string; personKey: string; town: string; reportedOn: LocalDate; daysLate?: number };
  'correction.subject.activated': { subjectId: string; personKey: string; town: string; activatedOn: LocalDate };
  'correction.subject.discharged': {
    subjectId: string;
    personKey: string;
    town: string;
    dischargedOn: LocalDate;
    reason: string;
    correctionEndDate: LocalDate;
    sentenceType: SentenceType;
  };
  'correction.subject.terminated': {
    subjectId: string;
    personKey: string;
    town: string;
    terminatedOn: LocalDate;
    reason: string;
  };
  /** CC-3: a legal document arrived; `complete` when every required document is in. */
  'correction.documents.delivered': {
    subjectId: string;
    personKey: string;
    town: string;
    documentType: string;
    documentsDeadline: LocalDate;
    complete: boolean;
    missingDocumentTypes: string[];
  };
  /** CC-2: contact with an ACTIVE subject was lost (ABSCONDED flag set). */
  'correction.subject.absconded': { subjectId: string; personKey: string; town: string; lostContactOn: LocalDate };
  /** CC-25: the organised-crime (涉黑涉恶) flag was set or cleared. */
  'correction.subject.organised-crime-flag': { subjectId: string; personKey: string; town: string; flagged: boolean };
  /** CC-2: an absconded subject was found (flag cleared). */
  'correction.subject.found': { subjectId: string; personKey: string; town: string; lostContactOn: LocalDate; foundOn: LocalDate };
  /** CC-12: electronic location approved; warnOn = the "expiring" reminder day (cfg working days before endDate). */
  'correction.monitoring.approved': {
    monitoringId: string;
    subjectId: string;
    personKey: string;
    town: string;
    startDate: LocalDate;
    endDate: LocalDate;
    warnOn: LocalDate;
  };
  /** CC-12: electronic location extended to a new end date. */
  'correction.monitoring.extended': {
    monitoringId: string;
    subjectId: string;
    personKey: string;
    town: string;
    previousEndDate: LocalDate;
    endDate: LocalDate;
    warnOn: LocalDate;
  };
  /** CC-12: electronic location lifted. */
  'correction.monitoring.ended': { monitoringId: string; subjectId: string; personKey: string; town: string; endedOn: LocalDate };
  /** CC-12: a fix outside the allowed area (first of a breach episode); `at` is the fix instant. No coordinates on the bus. */
  'correction.location.breach': { monitoringId: string; subjectId: string; personKey: string; town: string; at: string; keyPerson: boolean };
  /** CC-12: no fix for the configured time (once per silence). */
  'correction.device.silent': { monitoringId: string; subjectId: string; personKey: string; town: string; lastFixAt: string | null; silentSince: string };
  /** CC-13: leave (LEAVE) or change of residence (RESIDENCE_CHANGE) approved. */
  'correction.leave.approved': { leaveId: string; subjectId: string; personKey: string; town: string; kind: string; startDate: LocalDate; endDate: LocalDate };
  /**
   * CC-13: an approved change of residence took effect on `effectiveDate`: the case now belongs to
   * `town` (= toTown), or, out of Jiangyin (toTown null), was handed over to the county
   * `receivingCountyCode` (town = that code, no Jiangyin town). Ids and codes only.
   */
  'correction.subject.transferred': {
    transferId: string;
    leaveId: string;
    subjectId: string;
    personKey: string;
    town: string;
    fromTown: string;
    toTown: string | null;
    receivingCountyCode: string | null;
    effectiveDate: LocalDate;
  };
  /** CC-13: the subject came back from leave. */
  'correction.leave.returned': { leaveId: string; subjectId: string; personKey: string; town: string; returnedOn: LocalDate };
  /** CC-14: investigation assessment received; remindOn = cfg working days before dueDate. */
  'correction.investigation.received': { investigationId: string; personKey: string; town: string; dueDate: LocalDate; remindOn: LocalDate };
  /** CC-14: due date extended by agreement, or the assessment reassigned to another town. */
  'correction.investigation.rescheduled': { investigationId: string; personKey: string; town: string; dueDate: LocalDate; remindOn: LocalDate };
  /** CC-14: opinion given. */
  'correction.investigation.completed': { investigationId: string; personKey: string; town: string; completedOn: LocalDate; onTime: boolean };
  /** CC-16: a procuratorate notice received; remindOn = cfg days before replyDue. */
  'correction.procuratorate-notice.received': { noticeId: string; subjectId: string; personKey: string; town: string; replyDue: LocalDate; remindOn: LocalDate };
  /** CC-16: the reply was sent. */
  'correction.procuratorate-notice.replied': { noticeId: string; subjectId: string; personKey: string; town: string; repliedOn: LocalDate };
  /**
   * Issue 7 item 10 (CC-23): a holiday table changed and a stored deadline of one record moved;
   * alerts moves the record's pending watches to the new dates (earlier or later). `revision` is
   * the id of the holiday-table row that caused it: a watch follows only a newer revision.
   * SUBJECT: reportDeadline (CC-4, absent once reported) and documentsDeadline (CC-3);
   * INVESTIGATION: dueDate and remindOn (CC-14); PROCURATORATE_NOTICE: replyDue and remindOn (CC-16).
   */
  'correction.deadlines.recomputed': {
    revision: number;
    year: number;
    recordType: 'SUBJECT' | 'INVESTIGATION' | 'PROCURATORATE_NOTICE' | 'MONITORING';
    recordId: string;
    personKey: string;
    town: string;
    reportDeadline?: LocalDate;
    documentsDeadline?: LocalDate;
    dueDate?: LocalDate;
    replyDue?: LocalDate;
    remindOn?: LocalDate;
    /** MONITORING (CC-12): the new "expiring" reminder day, and the (unchanged) end it warns of. */
    warnOn?: LocalDate;
    endDate?: LocalDate;
  };
  /** CC-8: a level decision (or the initial STRICT on activation); alerts re-arms the check-in watches. */
  'correction.supervision.level-changed': { subjectId: string; personKey: string; town: string; level: string; checkInIntervalDays: number; nextCheckInDue: LocalDate };
  /**
   * CC-27: the crisis flag (危机干预) of a psychological service record was set (`flagged` true: alerts
   * raises CC-27.PSYCH_CRISIS, ORANGE) or cleared (false: alerts settles it). Ids, personKey and town only.
   * `flagVersion` (the record's version after the change) grows with every change of the record, so a
   * consumer keeps the latest and ignores an older event delivered late.
   */
  'correction.psych-service.crisis-flag': { recordId: string; subjectId: string; personKey: string; town: string; flagged: boolean; flagVersion: number; on: LocalDate };
  /** CC-9: a check-in recorded; nextCheckInDue = this check-in + the level's interval. */
  'correction.checkin.recorded': {
    subjectId: string;
    personKey: string;
    town: string;
    checkInId: string;
    channel: string;
    checkedInOn: LocalDate;
    checkInIntervalDays: number;
    nextCheckInDue: LocalDate;
  };
  /**
   * CC-10: a town's monthly key-person determination (a new version each time). `subjects` (added for
   * AL-4, issue 11; absent in older events): each listed subject, `keyPerson` false when released (解除).
   */
  'correction.key-persons.determined': {
    determinationId: string;
    town: string;
    month: string;
    version: number;
    keyPersonCount: number;
    subjects?: Array<{ subjectId: string; personKey: string; keyPerson: boolean }>;
  };
  /** CC-11: the sanctions ladder suggests a (new) step for the subject. */
  'correction.sanction.threshold-reached': { subjectId: string; personKey: string; town: string; suggested: string; lateOrLostContactDays: number };
  /** RS-1: a prison's pre-release notice arrived; `town` null = unmatched, in the city queue. */
  'resettlement.notice.received': {
    noticeId: string;
    personKey: string;
    town: string | null;
    expectedReleaseDate: LocalDate;
    keyPerson: boolean;
    /** RS-2 / AL-3: verified and receipt sent by this day (7 days before release, cfg). */
    verificationDue: LocalDate;
  };
  /** RS-1: an unmatched notice was given a town by the city office (or a notice moved town). */
  'resettlement.notice.town-assigned': { noticeId: string; personKey: string; town: string; expectedReleaseDate: LocalDate; keyPerson: boolean; verificationDue: LocalDate };
  /** RS-2: the town office recorded its verification. */
  'resettlement.notice.verified': { noticeId: string; personKey: string; town: string; result: string; verifiedOn: LocalDate };
  /** RS-2: the receipt (衔接回执) was sent to the prison. */
  'resettlement.receipt.sent': { noticeId: string; personKey: string; town: string; sentOn: LocalDate };
  /** RS-5 / RS-6: the prison confirmed a release; the dates RS-5 / RS-6 set follow from it. `town` null: still in the city queue. */
  'resettlement.person.released': {
    releaseId: string;
    personKey: string;
    town: string | null;
    releaseDate: LocalDate;
    keyPerson: boolean;
    pickUpDue: LocalDate;
    riskAssessmentDue: LocalDate;
    policeHandOverDue: LocalDate;
    caseId: string | null;
  };
  /** RS-6: a risk assessment after release (the latest counts). */
  'resettlement.risk.assessed': { releaseId: string; personKey: string; town: string; level: string; assessedOn: LocalDate; onTime: boolean };
  /** RS-6: a key person was handed to police for community control. */
  'resettlement.police.handed-over': { releaseId: string; personKey: string; town: string; handedOverOn: LocalDate; onTime: boolean };
  /** RS-4: an agreement (1+1+N) was signed. */
  'resettlement.agreement.signed': { agreementId: string; noticeId: string; personKey: string; town: string; signedOn: LocalDate };
  /** RS-5: the office recorded who collected the person. */
  'resettlement.pickup.recorded': { releaseId: string; personKey: string; town: string; pickedUpOn: LocalDate };
  /** RS-7 / RS-13: the town office referred an assistance subject for welfare (kind only, no note: the note may name people). */
  'resettlement.welfare.referred': { referralId: string; caseId: string; personKey: string; town: string; welfareKind: string; referredOn: LocalDate };
  /** RS-9: a town office recorded a prison outreach visit (延伸帮教); `quarter` (YYYY-Qn) is the visit's. */
  'resettlement.outreach.visited': { visitId: string; town: string; visitedOn: LocalDate; quarter: string };
  /**
   * RS-13: the town office or social worker recorded a dispute (矛盾纠纷) on an assistance case: the
   * category and day only (the summary may name people; it stays in resettlement).
   */
  'resettlement.dispute.recorded': { disputeId: string; caseId: string; personKey: string; town: string; category: string; occurredOn: LocalDate };
  /** RS-8: police reported a re-offence; `matched` when it belongs to a release or assistance case here. */
  'resettlement.reoffence.reported': {
    reportId: string;
    personKey: string;
    town: string | null;
    offenceDate: LocalDate;
    releaseId: string | null;
    caseId: string | null;
    matched: boolean;
  };
  /** AC-1: a rehabilitation centre's release notice arrived and opened a case; `town` null = unmatched, in the city queue. */
  'aftercare.notice.received': {
    noticeId: string;
    caseId: string;
    personKey: string;
    town: string | null;
    releaseDate: LocalDate;
    keyPerson: boolean;
    late: boolean;
    /** AC-2 / AL-3: the first contact is due by this day (release + 7 days, cfg). */
    contactDue: LocalDate;
  };
  /** AC-1: an unmatched release notice (and its case) was given a town by the city office. */
  'aftercare.notice.town-assigned': { noticeId: string; caseId: string; personKey: string; town: string; releaseDate: LocalDate; contactDue: LocalDate };
  /** AC-2: first contact made, the subject enrolled; `inTime` within 7 days (cfg) of release (K-AC1). */
  'aftercare.subject.enrolled': {
    caseId: string;
    personKey: string;
    town: string;
    contactedOn: LocalDate;
    inTime: boolean;
    /** AC-3 / AC-5: follow-ups are owed up to this day (release + 3 years, cfg) unless the case closes first. */
    followUpsUntil: LocalDate;
  };
  /** AC-3: a PHONE (period `YYYY-MM`) or FACE_TO_FACE (period `YYYY-Qn`) follow-up was recorded. */
  'aftercare.follow-up.recorded': { followUpId: string; caseId: string; personKey: string; town: string; kind: string; heldOn: LocalDate; period: string; drugTest: string };
  /** AC-4: a relapse was marked (a positive test from a follow-up or police, or a police report). */
  'aftercare.relapse.marked': { caseId: string; personKey: string; town: string; relapsedOn: LocalDate; source: string };
  /** AC-4: the third refused test (cfg): a serious breach, reported to police. */
  'aftercare.serious-breach': { caseId: string; personKey: string; town: string; refusedTests: number; onDay: LocalDate };
  /** AC-5: the case was closed. */
  'aftercare.case.closed': { caseId: string; personKey: string; town: string; closedOn: LocalDate; reason: string };
  /** AC-6: in Q4 (from 10-01) the station has named fewer success cases for `year` than it owes (1, or 2 at ≥ 10 subjects). */
  'aftercare.success-cases.short': { town: string; year: number; subjects: number; successCases: number; required: number };
  /** AC-6: a station that was short for `year` has now named enough success cases. */
  'aftercare.success-cases.met': { town: string; year: number; successCases: number; required: number };
  'alerts.alert.raised': {
    alertId: string;
    rule: string;
    personKey: string | null;
    town: string | null;
    colour: RiskColour;
    recordType: string;
    recordId: string;
  };
  'bus.event.dead-lettered': { eventId: string; eventName: string; service: ServiceName; handler: string; error: string };
  /** Issue 11 item 6: correction's K-CC indicators per town for a closed period (the command centre's ranking stores it; latest wins). */
  'correction.indicators.published': IndicatorSnapshotPayload;
  /** Issue 11 item 6: resettlement's K-RS indicators per town for a closed period (the command centre's ranking stores it; latest wins). */
  'resettlement.indicators.published': IndicatorSnapshotPayload;
  /** Issue 11 item 6: aftercare's K-AC indicators per station (town) for a closed period (the ranking stores it; latest wins). */
  'aftercare.indicators.published': IndicatorSnapshotPayload;
  /**
   * AL-7: SYSTEM_ADMIN asked to retry the dead letter behind an operations alert; the service that holds it
   * (`service`) replays it (the others ignore the event). `requestedBy` is the admin's username.
   */
  'bus.dead-letter.retry-requested': { service: ServiceName; eventId: string; handler: string; alertId: string; requestedBy: string };
  /**
   * AL-7: a partner's batch of which no item was accepted (every item 422), so nothing of it is in the house
   * until the partner sends it again. `agency` is `<KIND>:<agency id>`; `fields` the fields at fault (no values).
   */
  'partner.batch.rejected': { service: ServiceName; endpoint: string; agency: string; received: number; fields: string[] };
  /**
   * AL-7: an outbound integration gave up on a delivery after its last attempt (today RS-13's webhooks).
   * No person data: the subscriber, the delivery and the last error only.
   */
  'integration.delivery.failed': { service: ServiceName; integration: string; subscriberId: string; subscriber: string; deliveryId: string; kind: string; attempts: number; error: string };
  /**
   * Issue 6 item 7: a social worker's assignment to a subject started or ended (the whole row, so a
   * consumer's copy converges whatever the delivery order). Ids only: worker and officer user ids.
   */
  'correction.assignment.changed': AssignmentChangedPayload;
  /**
   * RS-6: a social worker joined an assistance team (an assignment to the case started) or left it (it
   * ended); the whole row, like correction's. `subjectId` is the assistance case id.
   */
  'resettlement.assignment.changed': AssignmentChangedPayload;
}

/**
 * Issue 11 item 6: one workstream's indicators per town for one period (counts only, no person): the
 * town ranking (考评排名) is computed from these by the command centre (alerts). A town listed with no
 * indicator, or an indicator left out, is "not yet available"; a denominator of 0 is "nothing to measure".
 */
export interface IndicatorSnapshotPayload {
  periodKind: 'MONTH' | 'QUARTER' | 'YEAR';
  /** 2027-03, 2027-Q1 or 2027. */
  period: string;
  start: LocalDate;
  end: LocalDate;
  towns: Array<{ town: string; indicators: Array<{ code: string; numerator: number; denominator: number }> }>;
}

export type EventName = keyof EventPayloads;

export interface EventDefinition {
  version: number;
  consumers: readonly ServiceName[];
  description: string;
}

export const EVENT_CATALOGUE: { readonly [N in EventName]: EventDefinition } = Object.freeze({
  'correction.subject.enrolled': {
    version: 1,
    consumers: ['alerts'],
    description: 'A subject was enrolled from a deciding body and awaits report-in (CC-3, CC-4) / 社区矫正对象已接收，待报到',
  },
  'correction.subject.reported': {
    version: 1,
    consumers: ['alerts'],
    description: 'The subject reported in (CC-4) / 社区矫正对象已报到',
  },
  'correction.subject.activated': {
    version: 1,
    consumers: ['alerts', 'community-correction'],
    description: 'The intake checklist is complete; the subject is ACTIVE (CC-5) / 社区矫正对象已入矫',
  },
  'correction.subject.discharged': {
    version: 1,
    consumers: ['alerts', 'resettlement'],
    description: 'Correction ended (期满/赦免); resettlement takes over (CC-20) / 社区矫正对象已解除矫正',
  },
  'correction.subject.terminated': {
    version: 1,
    consumers: ['alerts'],
    description: 'Correction terminated (revoked, committed, deceased) (CC-2) / 社区矫正对象已终止矫正',
  },
  'correction.documents.delivered': {
    version: 1,
    consumers: ['alerts'],
    description: 'The deciding body delivered a legal document (CC-3) / 法律文书已送达',
  },
  'correction.subject.absconded': {
    version: 1,
    consumers: ['alerts'],
    description: 'Contact with the subject was lost (CC-2 ABSCONDED) / 社区矫正对象失去联系（脱管）',
  },
  'correction.subject.organised-crime-flag': {
    version: 1,
    consumers: ['alerts'],
    description: 'The organised-crime flag of a subject was set or cleared (CC-25) / 涉黑涉恶标记已变更',
  },
  'correction.subject.found': {
    version: 1,
    consumers: [],
    description: 'The absconded subject was found; the flag is cleared (CC-2) / 脱管对象已找回',
  },
  'correction.monitoring.approved': {
    version: 1,
    consumers: ['alerts'],
    description: 'Electronic location approved (CC-12) / 电子定位已审批',
  },
  'correction.monitoring.extended': {
    version: 1,
    consumers: ['alerts'],
    description: 'Electronic location extended (CC-12) / 电子定位已延长',
  },
  'correction.monitoring.ended': {
    version: 1,
    consumers: ['alerts'],
    description: 'Electronic location lifted (CC-12) / 电子定位已解除',
  },
  'correction.location.breach': {
    version: 1,
    consumers: ['alerts'],
    description: 'A location fix outside the allowed area (CC-12) / 越界',
  },
  'correction.device.silent': {
    version: 1,
    consumers: ['alerts'],
    description: 'The location device has been silent for the configured time (CC-12) / 定位设备信号中断',
  },
  'correction.leave.approved': {
    version: 1,
    consumers: ['alerts'],
    description: 'Leave or change of residence approved (CC-13) / 外出（变更执行地）已批准',
  },
  'correction.subject.transferred': {
    version: 1,
    consumers: ['alerts'],
    description: 'A change of residence took effect: the case moved to another town or was handed over out of the county (CC-13) / 变更执行地已生效，案件已移交',
  },
  'correction.leave.returned': {
    version: 1,
    consumers: ['alerts'],
    description: 'The subject returned from leave (CC-13) / 外出已返回',
  },
  'correction.investigation.received': {
    version: 1,
    consumers: ['alerts'],
    description: 'Investigation assessment commissioned (CC-14) / 调查评估委托已接收',
  },
  'correction.investigation.rescheduled': {
    version: 1,
    consumers: ['alerts'],
    description: 'Investigation assessment extended or reassigned (CC-14) / 调查评估已延期或改派',
  },
  'correction.investigation.completed': {
    version: 1,
    consumers: ['alerts'],
    description: 'Investigation assessment completed (CC-14) / 调查评估已完成',
  },
  'correction.procuratorate-notice.received': {
    version: 1,
    consumers: ['alerts'],
    description: 'Procuratorate notice received (CC-16) / 检察建议（纠正违法通知书）已收到',
  },
  'correction.procuratorate-notice.replied': {
    version: 1,
    consumers: ['alerts'],
    description: 'Procuratorate notice replied (CC-16) / 检察建议已回复',
  },
  'correction.deadlines.recomputed': {
    version: 1,
    consumers: ['alerts'],
    description: 'A holiday table changed and a stored deadline moved (CC-23, issue 7 item 10) / 节假日表变更，期限已重新计算',
  },
  'correction.supervision.level-changed': {
    version: 1,
    consumers: ['alerts'],
    description: 'Supervision level set (CC-8) / 监管等级已调整',
  },
  'correction.psych-service.crisis-flag': {
    version: 1,
    consumers: ['alerts'],
    description: 'The crisis flag of a psychological service record was set or cleared (CC-27) / 心理危机标记已设置或解除',
  },
  'correction.checkin.recorded': {
    version: 1,
    consumers: ['alerts'],
    description: 'A check-in was recorded (CC-9) / 已登记报告',
  },
  'correction.key-persons.determined': {
    version: 1,
    consumers: ['alerts'],
    description: 'Monthly key-person determination recorded for a town (CC-10) / 重点人员月度认定已登记',
  },
  'correction.sanction.threshold-reached': {
    version: 1,
    consumers: ['alerts'],
    description: 'The sanctions ladder suggests a next step (CC-11) / 已达到处罚建议阈值',
  },
  'resettlement.notice.received': {
    version: 1,
    consumers: ['alerts'],
    description: 'A pre-release notice arrived from a prison (RS-1) / 已收到预释放人员信息',
  },
  'resettlement.notice.town-assigned': {
    version: 1,
    consumers: ['alerts', 'resettlement'],
    description: 'A pre-release notice was given a town (RS-1) / 预释放人员信息已指定镇街',
  },
  'resettlement.notice.verified': {
    version: 1,
    consumers: [],
    description: 'The town office verified a pre-release notice (RS-2) / 预释放人员信息已核查',
  },
  'resettlement.receipt.sent': {
    version: 1,
    consumers: ['alerts'],
    description: 'The receipt was sent to the prison (RS-2) / 衔接回执已发送',
  },
  'resettlement.person.released': {
    version: 1,
    consumers: ['alerts', 'resettlement'],
    description: 'A prison confirmed a release (RS-5) / 刑满释放人员已释放',
  },
  'resettlement.risk.assessed': {
    version: 1,
    consumers: ['alerts'],
    description: 'A released person was risk-assessed (RS-6) / 已完成危险性评估',
  },
  'resettlement.police.handed-over': {
    version: 1,
    consumers: ['alerts'],
    description: 'A key person was handed to police for community control (RS-6) / 已移交公安社区管控',
  },
  'resettlement.agreement.signed': {
    version: 1,
    consumers: [],
    description: 'An assistance agreement was signed (RS-4) / 已签订安置帮教协议',
  },
  'resettlement.pickup.recorded': {
    version: 1,
    consumers: ['alerts'],
    description: 'The pick-up at release was recorded (RS-5) / 已登记必接必送',
  },
  'resettlement.welfare.referred': {
    version: 1,
    consumers: ['resettlement'],
    description: 'A welfare referral was made (RS-7); pushed to subscribed departments (RS-13) / 已提出社会救助转介',
  },
  'resettlement.outreach.visited': {
    version: 1,
    consumers: ['alerts'],
    description: 'A town office visited a prison (RS-9); settles the town\'s quarter (AL-3 BLUE) / 已登记延伸帮教',
  },
  'resettlement.dispute.recorded': {
    version: 1,
    consumers: ['resettlement'],
    description: 'A dispute was recorded on an assistance case (RS-13); pushed to subscribed departments / 已登记矛盾纠纷',
  },
  'resettlement.reoffence.reported': {
    version: 1,
    consumers: ['alerts', 'community-correction'],
    description: 'Police reported a re-offence (RS-8) / 公安机关通报重新犯罪',
  },
  'aftercare.notice.received': {
    version: 1,
    consumers: ['alerts'],
    description: 'A release notice arrived from a rehabilitation centre (AC-1) / 已收到即将解戒人员信息对接通知书',
  },
  'aftercare.notice.town-assigned': {
    version: 1,
    consumers: ['alerts'],
    description: 'A release notice was given a town service station (AC-1) / 解戒人员信息已指定服务站',
  },
  'aftercare.subject.enrolled': {
    version: 1,
    consumers: ['alerts'],
    description: 'First contact made, the subject enrolled in aftercare (AC-2) / 已对接并纳入后续照管',
  },
  'aftercare.follow-up.recorded': {
    version: 1,
    consumers: ['alerts'],
    description: 'A follow-up was recorded (AC-3) / 已登记回访',
  },
  'aftercare.relapse.marked': {
    version: 1,
    consumers: ['alerts'],
    description: 'A relapse was marked (AC-4) / 已认定复吸',
  },
  'aftercare.serious-breach': {
    version: 1,
    consumers: [],
    description: 'Drug tests refused three times: a serious breach reported to police (AC-4) / 拒绝尿检三次，严重违反协议，已通报公安',
  },
  'aftercare.case.closed': {
    version: 1,
    consumers: ['alerts'],
    description: 'An aftercare case was closed (AC-5) / 已解除后续照管',
  },
  'aftercare.success-cases.short': {
    version: 1,
    consumers: ['alerts'],
    description: 'A station has named too few success cases for the year, checked in Q4 (AC-6) / 服务站本年度成功戒毒典型数量不足',
  },
  'aftercare.success-cases.met': {
    version: 1,
    consumers: ['alerts'],
    description: 'A station short of success cases has now named enough (AC-6) / 服务站本年度成功戒毒典型已达要求',
  },
  'alerts.alert.raised': {
    version: 1,
    consumers: [],
    description: 'An alert was raised (AL-1) / 已产生预警',
  },
  'correction.assignment.changed': {
    version: 1,
    consumers: ['alerts'],
    description: 'A social worker was assigned to a subject, or the assignment ended (issue 6 item 7) / 社工分配已变更',
  },
  'resettlement.assignment.changed': {
    version: 1,
    consumers: ['alerts'],
    description: 'A social worker joined or left an assistance team: its assignment to the case started or ended (RS-6) / 帮教小组社工分配已变更',
  },
  'correction.indicators.published': {
    version: 1,
    consumers: ['alerts'],
    description: "Correction's indicators per town for a closed period, for the town ranking (issue 11 item 6) / 社区矫正指标（按镇街、统计期间）已发布",
  },
  'resettlement.indicators.published': {
    version: 1,
    consumers: ['alerts'],
    description: "Resettlement's indicators per town for a closed period, for the town ranking (issue 11 item 6) / 安置帮教指标（按镇街、统计期间）已发布",
  },
  'aftercare.indicators.published': {
    version: 1,
    consumers: ['alerts'],
    description: "Aftercare's K-AC indicators per station (town) for a closed period, for the town ranking (issue 11 item 6) / 后续照管指标（按镇街、统计期间）已发布",
  },
  'bus.event.dead-lettered': {
    version: 1,
    consumers: ['alerts'],
    description: 'An event handler failed every attempt and the event was dead-lettered (AL-3, operations) / 事件处理失败，已转入死信',
  },
  'bus.dead-letter.retry-requested': {
    version: 1,
    // every service that consumes events, so holds dead letters; each replays only its own
    consumers: ['community-correction', 'resettlement', 'alerts'],
    description: 'SYSTEM_ADMIN asked to retry a dead-lettered event from its operations alert (AL-7) / 运维人员请求重放死信',
  },
  'partner.batch.rejected': {
    version: 1,
    consumers: ['alerts'],
    description: 'A partner batch was rejected whole: no item accepted (AL-7, operations) / 合作单位批量数据被整体拒收',
  },
  'integration.delivery.failed': {
    version: 1,
    consumers: ['alerts'],
    description: 'An outbound delivery (RS-13 webhook) failed its last attempt and is dead (AL-7, operations) / 对外推送多次失败，已停止重试',
  },
});

export const EVENT_NAMES: readonly EventName[] = Object.freeze(Object.keys(EVENT_CATALOGUE) as EventName[]);

export function isEventName(s: string): s is EventName {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, s);
}

/** Services whose queue receives this event. */
export function consumersOf(name: EventName): readonly ServiceName[] {
  return EVENT_CATALOGUE[name].consumers;
}

/** Events a service must handle (start-up fails when one has no handler). */
export function eventsConsumedBy(service: ServiceName): EventName[] {
  return EVENT_NAMES.filter((n) => EVENT_CATALOGUE[n].consumers.includes(service));
}

/** What travels on the bus. `occurredAt` is an ISO 8601 instant. */
export interface EventEnvelope<N extends EventName = EventName> {
  id: string;
  name: N;
  version: number;
  occurredAt: string;
  producer: ServiceName;
  payload: EventPayloads[N];
}

/** Compile-time guard: no payload has a top-level field named like PII (see PII_FIELD_NAMES). */
type PayloadFieldNames = { [N in EventName]: keyof EventPayloads[N] }[EventName];
type PiiFieldsInPayloads = Extract<PayloadFieldNames, PiiFieldName>;
const noPiiFieldInPayloads: [PiiFieldsInPayloads] extends [never] ? true : PiiFieldsInPayloads = true;
void noPiiFieldInPayloads;
