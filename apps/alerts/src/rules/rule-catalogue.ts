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
  'BUS.DEAD_LETTER': {
    code: 'BUS.DEAD_LETTER',
    colour: RiskColour.RED,
    label: '事件投递失败（运维）',
    description: 'An event on the bus was dead-lettered after all retries (operations)',
    recordType: 'bus.event',
  },
} as const satisfies Record<string, AlertRule>;

export type AlertRuleCode = keyof typeof ALERT_RULES;

export function ruleOf(code: string): AlertRule | undefined {
  return (ALERT_RULES as Record<string, AlertRule>)[code];
}
