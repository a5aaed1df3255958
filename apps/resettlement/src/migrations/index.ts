import { PLATFORM_MIGRATIONS } from '@homeward/platform';
import { ResettlementInit1795819500000 } from './1795819500000-ResettlementInit';
import { ResettlementDeadLetterResolution1796200000001 } from './1796200000001-ResettlementDeadLetterResolution';
import { ResettlementOutboxJobs1796300000200 } from './1796300000200-ResettlementOutboxJobs';
import { ResettlementPreReleaseNotices1797000000000 } from './1797000000000-ResettlementPreReleaseNotices';
import { ResettlementReleases1797000100000 } from './1797000100000-ResettlementReleases';
import { ResettlementVisitsAndFund1797000200000 } from './1797000200000-ResettlementVisitsAndFund';
import { ResettlementAssessmentsAgreements1797000300000 } from './1797000300000-ResettlementAssessmentsAgreements';
import { ResettlementWelfareOutreach1797000400000 } from './1797000400000-ResettlementWelfareOutreach';
import { ResettlementPush1797200000000 } from './1797200000000-ResettlementPush';
import { ResettlementDisputes1797500000100 } from './1797500000100-ResettlementDisputes';
import { ResettlementTeamsPlans1797500000700 } from './1797500000700-ResettlementTeamsPlans';

export const SCHEMA = 'resettlement';
export const MIGRATIONS = [
  ...PLATFORM_MIGRATIONS,
  ResettlementInit1795819500000,
  ResettlementDeadLetterResolution1796200000001,
  ResettlementOutboxJobs1796300000200,
  ResettlementPreReleaseNotices1797000000000,
  ResettlementReleases1797000100000,
  ResettlementVisitsAndFund1797000200000,
  ResettlementAssessmentsAgreements1797000300000,
  ResettlementWelfareOutreach1797000400000,
  ResettlementPush1797200000000,
  ResettlementDisputes1797500000100,
  ResettlementTeamsPlans1797500000700,
];
