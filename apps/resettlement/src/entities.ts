import { Agreement } from './agreements/agreement.entity';
import { PoliceHandOver, RiskAssessment } from './assessments/assessment.entity';
import { AssistanceCase } from './cases/assistance-case.entity';
import { BasePlacement, Fund, FundMovement, ResettlementBase } from './fund/fund.entity';
import { KeyCategoryChange, PreReleaseNotice } from './notices/pre-release-notice.entity';
import { Release } from './releases/release.entity';
import { ReoffenceReport } from './reoffences/reoffence-report.entity';
import { VideoVisit, VisitTerminal } from './video-visits/video-visit.entity';
import { EmploymentService, WelfareReferral } from './welfare/welfare.entity';
import { OutreachVisit, SocialWorkerEntry } from './outreach/outreach.entity';
import { PUSH_ENTITIES } from './push/push.entity';
import { CaseDispute } from './disputes/dispute.entity';
import { AssistancePlan, AssistanceTeamMember } from './teams/team.entity';

export const ENTITIES = [
  AssistanceCase,
  PreReleaseNotice,
  KeyCategoryChange,
  Release,
  ReoffenceReport,
  VisitTerminal,
  VideoVisit,
  ResettlementBase,
  BasePlacement,
  Fund,
  FundMovement,
  RiskAssessment,
  PoliceHandOver,
  Agreement,
  WelfareReferral,
  EmploymentService,
  OutreachVisit,
  SocialWorkerEntry,
  ...PUSH_ENTITIES,
  CaseDispute,
  AssistanceTeamMember,
  AssistancePlan,
];
