import { CorrectionSubject } from './subjects/subject.entity';
import { SupervisionLevelChange } from './supervision/supervision-level.entity';
import { CheckIn } from './check-ins/check-in.entity';
import { ActivityHours } from './check-ins/activity-hours.entity';
import { Improvement, Sanction, SanctionThresholdNotice } from './sanctions/sanction.entity';
import { KeyPersonDetermination, KeyPersonEntry } from './key-persons/key-person.entity';
import { ElectronicMonitoring, MonitoringExtension } from './monitoring/monitoring.entity';
import { LeaveRequest } from './leave/leave.entity';
import { Investigation } from './investigations/investigation.entity';
import { ProcuratorateNotice } from './procuratorate/procuratorate-notice.entity';
import { IntakeItemRecord } from './lifecycle/intake-item.entity';
import { AbscondingEpisode } from './lifecycle/absconding-episode.entity';
import { SubjectDocument } from './documents/subject-document.entity';
import { ExitControl } from './exit-control/exit-control.entity';
import { CorrectionPlan } from './plans/plan.entity';
import { TeamMember } from './plans/team-member.entity';
import { RestorativeCase, RestorativeServiceLog } from './restorative/restorative-case.entity';
import { AssistanceNeed, Dispute } from './assistance/assistance.entity';
import { ArchiveDocument } from './archives/archive-document.entity';
import { ProhibitionZone } from './monitoring/prohibition-zone.entity';
import { CaseReport } from './case-reports/case-report.entity';
import { CustodyProposal, PursuitRequest, ResidenceDispute } from './pursuits/pursuit.entity';
import { ResidenceTransfer } from './transfers/residence-transfer.entity';
import { AppAccount, AppActivation } from './app-accounts/app-account.entity';
import { AppCheckInFailure, SelfReportedHours, SubjectMessage } from './subject-app/subject-app.entity';
import { TeamVisit } from './team-app/team-visit.entity';
import {
  CorrectionProject,
  OrganisationStaff,
  ProjectOutput,
  SocialOrganisation,
  Volunteer,
  VolunteerAssessment,
  VolunteerSubjectLink,
  VolunteerTraining,
} from './social-forces/social-forces.entity';
import { EducationAttendance, EducationSession } from './education-activities/education-activity.entity';
import { PsychServiceRecord } from './psych-services/psych-service.entity';

/** Every feature's entities, by feature folder: a feature adds its own line here. */
export const ENTITIES = [
  CorrectionSubject,
  SupervisionLevelChange,
  CheckIn,
  ActivityHours,
  Sanction,
  Improvement,
  SanctionThresholdNotice,
  KeyPersonDetermination,
  KeyPersonEntry,
  ElectronicMonitoring,
  MonitoringExtension,
  ProhibitionZone,
  LeaveRequest,
  Investigation,
  ProcuratorateNotice,
  IntakeItemRecord,
  AbscondingEpisode,
  SubjectDocument,
  ExitControl,
  CorrectionPlan,
  TeamMember,
  RestorativeCase,
  RestorativeServiceLog,
  AssistanceNeed,
  Dispute,
  ArchiveDocument,
  CaseReport,
  PursuitRequest,
  CustodyProposal,
  ResidenceDispute,
  ResidenceTransfer,
  AppAccount,
  AppActivation,
  AppCheckInFailure,
  SelfReportedHours,
  SubjectMessage,
  TeamVisit,
  Volunteer,
  VolunteerTraining,
  VolunteerAssessment,
  VolunteerSubjectLink,
  SocialOrganisation,
  OrganisationStaff,
  CorrectionProject,
  ProjectOutput,
  EducationSession,
  EducationAttendance,
  PsychServiceRecord,
];
