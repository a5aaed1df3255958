import {
  APP_CHECK_IN_OUTCOME_LABELS,
  CHECK_IN_CHANNEL_LABELS,
  CORRECTION_DOCUMENT_TYPE_LABELS,
  DISCHARGE_REASON_LABELS,
  ENUM_LABELS,
  INTAKE_ITEM_LABELS,
  LEAVE_APPROVAL_LEVEL_LABELS,
  LEAVE_KIND_LABELS,
  LEAVE_STATUS_LABELS,
  MONITORING_GROUND_LABELS,
  MONITORING_STATUS_LABELS,
  PERIOD_KIND_LABELS,
  SANCTION_KIND_LABELS,
  STRICT_REASON_LABELS,
  TEAM_ROLE_LABELS,
  TEAM_VIOLATION_LABELS,
  TERMINATION_REASON_LABELS,
  RESTORATIVE_CASE_STATUS_LABELS,
  RESTORATIVE_QUALITY_LABELS,
  ARCHIVE_KIND_LABELS,
  ARCHIVE_STAGE_LABELS,
  DATA_RECORD_TYPE_LABELS,
  RESIDENCE_TRANSFER_STATUS_LABELS,
  SUSPENDED_PENALTY_LABELS,
} from '@homeward/domain';
import { HOLIDAY_TABLE_STATUS_LABELS } from '../reference/reference.types';
import { ASSISTANCE_KIND_LABELS, ASSISTANCE_NEED_STATUS_LABELS, DISPUTE_STATUS_LABELS } from '../assistance/assistance.entity';
import { DUE_ITEM_KIND_LABELS } from '../caseload/caseload.types';
import { ACTIVITY_KIND_LABELS } from '../check-ins/activity-hours.entity';
import { INVESTIGATION_OPINION_LABELS, INVESTIGATION_STATUS_LABELS } from '../investigations/investigation.entity';
import { KEY_PERSON_FLAG_LEVEL_LABELS, TRANSFORMATION_PROGRESS_LABELS } from '../key-persons/key-person.entity';
import { PROCURATORATE_NOTICE_KIND_LABELS, PROCURATORATE_NOTICE_STATUS_LABELS } from '../procuratorate/procuratorate-notice.entity';
import { CASE_REPORT_STATUS_LABELS } from '../case-reports/case-reports.types';
import { SELF_REPORT_STATUS_LABELS } from '../subject-app/subject-app.entity';
import { TEAM_VISIT_KIND_LABELS } from '../team-app/team-visit.entity';
import {
  ASSESSMENT_GRADE_LABELS,
  ORGANISATION_STATUS_LABELS,
  PROJECT_OUTPUT_KIND_LABELS,
  PROJECT_STATUS_LABELS,
  VOLUNTEER_KIND_LABELS,
  VOLUNTEER_STATUS_LABELS,
} from '../social-forces/social-forces.entity';
import { EDUCATION_SESSION_KIND_LABELS } from '../education-activities/education-activity.entity';
import { PSYCH_SERVICE_KIND_LABELS } from '../psych-services/psych-service.entity';
import { CUSTODY_DECISION_LABELS, CUSTODY_PROPOSAL_KIND_LABELS, PURSUIT_KIND_LABELS, PURSUIT_OUTCOME_LABELS, PURSUIT_STATUS_LABELS } from '../pursuits/pursuits.types';

/** Every enum staff meet in correction, by its GraphQL name: the shared ones (libs/domain) and correction's own. */
export const CORRECTION_ENUM_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.freeze({
  ...ENUM_LABELS,
  CheckInChannel: CHECK_IN_CHANNEL_LABELS,
  DataRecordType: DATA_RECORD_TYPE_LABELS,
  ResidenceTransferStatus: RESIDENCE_TRANSFER_STATUS_LABELS,
  SuspendedPenalty: SUSPENDED_PENALTY_LABELS,
  HolidayTableStatus: HOLIDAY_TABLE_STATUS_LABELS,
  ReferenceDatasetKind: { TOWNS: '镇街', CORRECTION_CENTRES: '社区矫正中心', COUNTY_BOUNDARY: '县域边界' },
  DeadLetterResolution: { REPLAYED: '重放', DISCARDED: '丢弃' },
  CorrectionDocumentType: CORRECTION_DOCUMENT_TYPE_LABELS,
  DischargeReason: DISCHARGE_REASON_LABELS,
  TerminationReason: TERMINATION_REASON_LABELS,
  IntakeItem: INTAKE_ITEM_LABELS,
  LeaveKind: LEAVE_KIND_LABELS,
  LeaveStatus: LEAVE_STATUS_LABELS,
  LeaveApprovalLevel: LEAVE_APPROVAL_LEVEL_LABELS,
  MonitoringGround: MONITORING_GROUND_LABELS,
  MonitoringStatus: MONITORING_STATUS_LABELS,
  SanctionKind: SANCTION_KIND_LABELS,
  StrictReason: STRICT_REASON_LABELS,
  TeamRole: TEAM_ROLE_LABELS,
  TeamViolation: TEAM_VIOLATION_LABELS,
  PeriodKind: PERIOD_KIND_LABELS,
  InvestigationStatus: INVESTIGATION_STATUS_LABELS,
  InvestigationOpinion: INVESTIGATION_OPINION_LABELS,
  ProcuratorateNoticeKind: PROCURATORATE_NOTICE_KIND_LABELS,
  ProcuratorateNoticeStatus: PROCURATORATE_NOTICE_STATUS_LABELS,
  ActivityKind: ACTIVITY_KIND_LABELS,
  KeyPersonFlagLevel: KEY_PERSON_FLAG_LEVEL_LABELS,
  TransformationProgress: TRANSFORMATION_PROGRESS_LABELS,
  RestorativeCaseStatus: RESTORATIVE_CASE_STATUS_LABELS,
  RestorativeQuality: RESTORATIVE_QUALITY_LABELS,
  AssistanceKind: ASSISTANCE_KIND_LABELS,
  AssistanceNeedStatus: ASSISTANCE_NEED_STATUS_LABELS,
  DisputeStatus: DISPUTE_STATUS_LABELS,
  ArchiveKind: ARCHIVE_KIND_LABELS,
  ArchiveStage: ARCHIVE_STAGE_LABELS,
  DueItemKind: DUE_ITEM_KIND_LABELS,
  CaseReportStatus: CASE_REPORT_STATUS_LABELS,
  PursuitKind: PURSUIT_KIND_LABELS,
  PursuitStatus: PURSUIT_STATUS_LABELS,
  PursuitOutcome: PURSUIT_OUTCOME_LABELS,
  CustodyProposalKind: CUSTODY_PROPOSAL_KIND_LABELS,
  CustodyDecision: CUSTODY_DECISION_LABELS,
  // CC-21 (issue 12): the subject's and the team's apps
  AppCheckInOutcome: { ACCEPTED: APP_CHECK_IN_OUTCOME_LABELS.ACCEPTED, FACE_MATCH_FAILED: '人脸比对未通过' },
  SelfReportStatus: SELF_REPORT_STATUS_LABELS,
  TeamVisitKind: TEAM_VISIT_KIND_LABELS,
  // CC-22, CC-26, CC-27
  VolunteerKind: VOLUNTEER_KIND_LABELS,
  VolunteerStatus: VOLUNTEER_STATUS_LABELS,
  VolunteerAssessmentGrade: ASSESSMENT_GRADE_LABELS,
  SocialOrganisationStatus: ORGANISATION_STATUS_LABELS,
  CorrectionProjectStatus: PROJECT_STATUS_LABELS,
  CorrectionProjectOutputKind: PROJECT_OUTPUT_KIND_LABELS,
  EducationSessionKind: EDUCATION_SESSION_KIND_LABELS,
  PsychServiceKind: PSYCH_SERVICE_KIND_LABELS,
});

export interface EnumLabelEntry {
  enum: string;
  value: string;
  label: string;
}

/** `[{ enum, value, label }]` for the named enums (all when `names` is empty or absent); unknown names give nothing. */
export function enumLabelEntries(names?: readonly string[] | null): EnumLabelEntry[] {
  const wanted = names && names.length > 0 ? names : Object.keys(CORRECTION_ENUM_LABELS);
  const out: EnumLabelEntry[] = [];
  for (const name of wanted) {
    const labels = Object.prototype.hasOwnProperty.call(CORRECTION_ENUM_LABELS, name) ? CORRECTION_ENUM_LABELS[name] : undefined;
    if (!labels) continue;
    for (const [value, label] of Object.entries(labels)) out.push({ enum: name, value, label });
  }
  return out;
}
