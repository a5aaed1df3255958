import { AGENCY_KIND_LABELS } from './agency-kind';
import { ALERT_STATE_LABELS } from './alert-state';
import { CORRECTION_STATUS_LABELS } from './correction-status';
import { GENDER_LABELS } from './gender';
import { RISK_COLOUR_LABELS } from './risk-colour';
import { ROLE_LABELS } from './role';
import { SENTENCE_TYPE_LABELS } from './sentence-type';
import { SUPERVISION_LEVEL_LABELS } from './supervision-level';

/** Every enum's Chinese labels, by enum name (for a GraphQL dictionary query). */
export const ENUM_LABELS = {
  Role: ROLE_LABELS,
  AgencyKind: AGENCY_KIND_LABELS,
  Gender: GENDER_LABELS,
  RiskColour: RISK_COLOUR_LABELS,
  SentenceType: SENTENCE_TYPE_LABELS,
  CorrectionStatus: CORRECTION_STATUS_LABELS,
  AlertState: ALERT_STATE_LABELS,
  SupervisionLevel: SUPERVISION_LEVEL_LABELS,
} as const;

export type EnumName = keyof typeof ENUM_LABELS;

export function isEnumName(s: string): s is EnumName {
  return Object.prototype.hasOwnProperty.call(ENUM_LABELS, s);
}

/** The Chinese label of `value` in enum `enumName`; undefined for an unknown enum or value. */
export function labelOf(enumName: string, value: string): string | undefined {
  if (!isEnumName(enumName)) return undefined;
  const labels: Readonly<Record<string, string>> = ENUM_LABELS[enumName];
  return Object.prototype.hasOwnProperty.call(labels, value) ? labels[value] : undefined;
}

/** `[{ value, label }]` of one enum, in declaration order. */
export function enumEntries(enumName: EnumName): { value: string; label: string }[] {
  return Object.entries(ENUM_LABELS[enumName] as Readonly<Record<string, string>>).map(([value, label]) => ({ value, label }));
}
