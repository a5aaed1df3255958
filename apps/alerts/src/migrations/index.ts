import { PLATFORM_MIGRATIONS } from '@homeward/platform';
import { AlertsInit1795818900000 } from './1795818900000-AlertsInit';
import { AlertsPersonFlags1795831500000 } from './1795831500000-AlertsPersonFlags';
import { AlertsCaseAssignments1795835500000 } from './1795835500000-AlertsCaseAssignments';
import { AlertsDeadLetterResolution1796200000003 } from './1796200000003-AlertsDeadLetterResolution';
import { AlertsOutboxJobs1796300000100 } from './1796300000100-AlertsOutboxJobs';
import { AlertsWatchArmedAt1796300000150 } from './1796300000150-AlertsWatchArmedAt';
import { AlertsDutyRosterEscalation1797400000000 } from './1797400000000-AlertsDutyRosterEscalation';
import { AlertsSensitivePeriods1797400000100 } from './1797400000100-AlertsSensitivePeriods';
import { AlertsLongRecordIds1797500000050 } from './1797500000050-AlertsLongRecordIds';
import { AlertsDailyCheckIns1797500000400 } from './1797500000400-AlertsDailyCheckIns';
import { AlertsTownRanking1797500000401 } from './1797500000401-AlertsTownRanking';
import { AlertsKeyPersonSources1797600000000 } from './1797600000000-AlertsKeyPersonSources';
import { AlertsPsychCrisisFlags1797600000400 } from './1797600000400-AlertsPsychCrisisFlags';
import { AlertsWatchCheckDueAt1797600000500 } from './1797600000500-AlertsWatchCheckDueAt';

export const SCHEMA = 'alerts';
export const MIGRATIONS = [
  ...PLATFORM_MIGRATIONS,
  AlertsInit1795818900000,
  AlertsPersonFlags1795831500000,
  AlertsCaseAssignments1795835500000,
  AlertsDeadLetterResolution1796200000003,
  AlertsOutboxJobs1796300000100,
  AlertsWatchArmedAt1796300000150,
  AlertsDutyRosterEscalation1797400000000,
  AlertsSensitivePeriods1797400000100,
  AlertsLongRecordIds1797500000050,
  AlertsDailyCheckIns1797500000400,
  AlertsTownRanking1797500000401,
  AlertsKeyPersonSources1797600000000,
  AlertsPsychCrisisFlags1797600000400,
  AlertsWatchCheckDueAt1797600000500,
];
