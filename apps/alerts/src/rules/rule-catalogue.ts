import { RiskColour } from '@homeward/domain';

/**
 * The alert rules of AL-3 that are built so far. Each rule is an event rule, a due-date rule, or both.
 * Colours are AL-2 defaults; response times live in configuration.
 */
export interface AlertRule {
  code: string;
  colour: RiskColour;
  label: string;
  description: string;
  recordType: string;
}

export const ALERT_RULES = {
  'CC-4.NOT_REPORTED': {
    code: 'CC-4.NOT_REPORTED',
    colour: RiskColour.ORANGE,
    label: '未按期报到（漏管风险）',
    description: 'CC-4: the subject had not reported in by the day after the report deadline',
    recordType: 'correction.subject',
  },
  'CC-2.CORRECTION_ENDING': {
    code: 'CC-2.CORRECTION_ENDING',
    colour: RiskColour.BLUE,
    label: '矫正期30日内届满',
    description: 'AL-3: the correction period ends within 30 days (prepare the discharge and the hand-over of CC-20)',
    recordType: 'correction.subject',
  },
  'CC-3.DOCUMENTS_MISSING': {
    code: 'CC-3.DOCUMENTS_MISSING',
    colour: RiskColour.YELLOW,
    label: '法律文书未按期送达',
    description: 'CC-3: on day 10 after the judgment took effect the required legal documents had not all arrived',
    recordType: 'correction.subject',
  },
  'CC-2.LOST_CONTACT': {
    code: 'CC-2.LOST_CONTACT',
    colour: RiskColour.RED,
    label: '社区矫正对象失去联系（脱管）',
    description: 'CC-2 / AL-3: contact with an ACTIVE subject was lost (ABSCONDED)',
    recordType: 'correction.subject',
  },
  'CC-12.LOCATION_BREACH': {
    code: 'CC-12.LOCATION_BREACH',
    colour: RiskColour.ORANGE,
    label: '电子定位越界',
    description: 'CC-12: a location fix outside the allowed area (RED for key persons, else ORANGE)',
    recordType: 'correction.monitoring',
  },
  'CC-12.DEVICE_SILENT': {
    code: 'CC-12.DEVICE_SILENT',
    colour: RiskColour.ORANGE,
    label: '定位设备信号中断',
    description: 'CC-12: no location fix for the configured time (default 2 h)',
    recordType: 'correction.monitoring',
  },
  'CC-12.MONITORING_EXPIRING': {
    code: 'CC-12.MONITORING_EXPIRING',
    colour: RiskColour.BLUE,
    label: '电子定位即将到期',
    description: 'CC-12: electronic location ends in the configured working days (default 5)',
    recordType: 'correction.monitoring',
  },
  'CC-12.MONITORING_EXPIRED': {
    code: 'CC-12.MONITORING_EXPIRED',
    colour: RiskColour.YELLOW,
    label: '电子定位已到期',
    description: 'CC-12: electronic location reached its end date without being lifted or extended',
    recordType: 'correction.monitoring',
  },
  'CC-13.LEAVE_OVERSTAYED': {
    code: 'CC-13.LEAVE_OVERSTAYED',
    colour: RiskColour.ORANGE,
    label: '外出逾期未归',
    description: 'CC-13: the subject had not returned by the end date of the approved leave',
    recordType: 'correction.leave',
  },
  'CC-14.ASSESSMENT_DUE_SOON': {
    code: 'CC-14.ASSESSMENT_DUE_SOON',
    colour: RiskColour.YELLOW,
    label: '调查评估即将到期',
    description: 'CC-14: the investigation assessment is due in 2 working days',
    recordType: 'correction.investigation',
  },
  'CC-14.ASSESSMENT_OVERDUE': {
    code: 'CC-14.ASSESSMENT_OVERDUE',
    colour: RiskColour.ORANGE,
    label: '调查评估逾期',
    description: 'CC-14: the investigation assessment was not completed by its due date',
    recordType: 'correction.investigation',
  },
  'CC-16.REPLY_DUE': {
    code: 'CC-16.REPLY_DUE',
    colour: RiskColour.YELLOW,
    label: '检察建议即将到期未回复',
    description: 'CC-16: the reply to a procuratorate notice is due soon (default 3 days before)',
    recordType: 'correction.procuratorate-notice',
  },
  'CC-16.REPLY_OVERDUE': {
    code: 'CC-16.REPLY_OVERDUE',
    colour: RiskColour.ORANGE,
    label: '检察建议逾期未回复',
    description: 'CC-16: the reply to a procuratorate notice is overdue',
    recordType: 'correction.procuratorate-notice',
  },
  'CC-9.CHECKIN_OVERDUE': {
    code: 'CC-9.CHECKIN_OVERDUE',
    colour: RiskColour.YELLOW,
    label: '未按期报告',
    description: 'CC-9: the next check-in (last check-in + the level interval) was not made by its due day',
    recordType: 'correction.subject',
  },
  'CC-9.CHECKIN_OVERDUE_LONG': {
    code: 'CC-9.CHECKIN_OVERDUE_LONG',
    colour: RiskColour.ORANGE,
    label: '逾期未报告超过两个报告周期',
    description: 'CC-9: no check-in for twice the level interval',
    recordType: 'correction.subject',
  },
  'CC-10.KEY_PERSONS_MISSING': {
    code: 'CC-10.KEY_PERSONS_MISSING',
    colour: RiskColour.YELLOW,
    label: '重点人员月度认定未完成',
    description: 'CC-10: the town recorded no key-person determination for the month by its end',
    recordType: 'correction.key-person-month',
  },
  'CC-11.SANCTION_THRESHOLD': {
    code: 'CC-11.SANCTION_THRESHOLD',
    colour: RiskColour.ORANGE,
    label: '达到处罚建议阈值',
    description: 'CC-11: the sanctions ladder suggests a next step (训诫/警告/提请撤销)',
    recordType: 'correction.subject',
  },
  'AL-4.DAILY_CHECKIN_MISSING': {
    code: 'AL-4.DAILY_CHECKIN_MISSING',
    colour: RiskColour.YELLOW,
    label: '重点时期重点人员未按日报告',
    description: 'AL-4: during a sensitive period a key person under correction made no check-in on a day (YELLOW by rule, raised ORANGE by the period)',
    recordType: 'correction.subject-day',
  },
  'RS-2.NOTICE_UNVERIFIED': {
    code: 'RS-2.NOTICE_UNVERIFIED',
    colour: RiskColour.YELLOW,
    label: '预释放人员信息未核查或回执未发送',
    description: 'AL-3 / RS-2: 7 days (cfg) before the expected release the notice was not verified or its receipt not sent',
    recordType: 'resettlement.notice',
  },
  'RS-5.NOT_PICKED_UP': {
    code: 'RS-5.NOT_PICKED_UP',
    colour: RiskColour.RED,
    label: '重点帮教对象释放后未接回',
    description: 'AL-3 / RS-5: a key person released without a pick-up record within 1 day (cfg)',
    recordType: 'resettlement.release',
  },
  'RS-6.POLICE_HANDOVER_LATE': {
    code: 'RS-6.POLICE_HANDOVER_LATE',
    colour: RiskColour.ORANGE,
    label: '重点帮教对象未按期移交公安社区管控',
    description: 'AL-3 / RS-6: a key person not handed to police within 7 days (cfg) of release',
    recordType: 'resettlement.release',
  },
  'RS-6.RISK_ASSESSMENT_LATE': {
    code: 'RS-6.RISK_ASSESSMENT_LATE',
    colour: RiskColour.YELLOW,
    label: '危险性评估逾期',
    description: 'AL-3 / RS-6: no risk assessment within 30 days (cfg) of release',
    recordType: 'resettlement.release',
  },
  'RS-8.REOFFENCE': {
    code: 'RS-8.REOFFENCE',
    colour: RiskColour.RED,
    label: '刑满释放人员重新犯罪',
    description: 'AL-3 / RS-8: police reported a re-offence of a released person or assistance subject',
    recordType: 'resettlement.reoffence',
  },
  'RS-9.OUTREACH_MISSING': {
    code: 'RS-9.OUTREACH_MISSING',
    colour: RiskColour.BLUE,
    label: '本季度未开展延伸帮教',
    description: 'AL-3 / RS-9: the town recorded no prison outreach visit in a calendar quarter (raised on the first working day after it)',
    recordType: 'resettlement.town-quarter',
  },
  'AC-2.CONTACT_NOT_MADE': {
    code: 'AC-2.CONTACT_NOT_MADE',
    colour: RiskColour.ORANGE,
    label: '解戒人员7日内未对接',
    description: 'AL-3 / AC-2: no first contact within 7 days (cfg) of the release',
    recordType: 'aftercare.case',
  },
  'AC-3.PHONE_MISSING': {
    code: 'AC-3.PHONE_MISSING',
    colour: RiskColour.YELLOW,
    label: '本月电话回访缺失',
    description: 'AL-3 / AC-3: no PHONE follow-up in a calendar month (raised on the first working day after it)',
    recordType: 'aftercare.case-month',
  },
  'AC-3.VISIT_MISSING': {
    code: 'AC-3.VISIT_MISSING',
    colour: RiskColour.YELLOW,
    label: '本季度见面回访缺失',
    description: 'AL-3 / AC-3: no FACE_TO_FACE follow-up in a calendar quarter (raised on the first working day after it)',
    recordType: 'aftercare.case-quarter',
  },
  'AC-4.RELAPSE': {
    code: 'AC-4.RELAPSE',
    colour: RiskColour.ORANGE,
    label: '后续照管对象复吸',
    description: 'AL-3 / AC-4: a positive drug test or a police report marked a relapse',
    recordType: 'aftercare.relapse',
  },
  'AC-6.SUCCESS_CASES_SHORT': {
    code: 'AC-6.SUCCESS_CASES_SHORT',
    colour: RiskColour.BLUE,
    label: '本年度成功戒毒典型数量不足',
    description: 'AL-3 / AC-6: in Q4 a station has named fewer success cases for the year than it owes (1, or 2 at ≥ 10 subjects); resolved when it catches up',
    recordType: 'aftercare.station-year',
  },
  'CC-27.PSYCH_CRISIS': {
    code: 'CC-27.PSYCH_CRISIS',
    colour: RiskColour.ORANGE,
    label: '心理危机',
    description: 'CC-27: a psychological service record of the subject carries the crisis flag (危机干预); settled when the flag is cleared',
    recordType: 'correction.psych-service',
  },
  'BUS.DEAD_LETTER': {
    code: 'BUS.DEAD_LETTER',
    colour: RiskColour.RED,
    label: '事件投递失败（运维）',
    description: 'An event on the bus was dead-lettered after all retries (operations)',
    recordType: 'bus.event',
  },
  'PARTNER.BATCH_REJECTED': {
    code: 'PARTNER.BATCH_REJECTED',
    colour: RiskColour.ORANGE,
    label: '合作单位批量数据被整体拒收（运维）',
    description: 'AL-7: a partner batch of which no item was accepted; nothing of it is stored until the partner sends it again (operations)',
    recordType: 'partner.batch',
  },
  'INTEGRATION.DELIVERY_FAILED': {
    code: 'INTEGRATION.DELIVERY_FAILED',
    colour: RiskColour.ORANGE,
    label: '对外推送失败（运维）',
    description: 'AL-7: an outbound webhook (RS-13 information push) failed its last attempt; the department did not get the information (operations)',
    recordType: 'integration.delivery',
  },
} as const satisfies Record<string, AlertRule>;

export type AlertRuleCode = keyof typeof ALERT_RULES;

export function ruleOf(code: string): AlertRule | undefined {
  return (ALERT_RULES as Record<string, AlertRule>)[code];
}
