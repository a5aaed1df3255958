import { PLATFORM_MIGRATIONS } from '@homeward/platform';
import { CorrectionInit1795818467862 } from './1795818467862-CorrectionInit';
import { CorrectionLifecycle1795820000000 } from './1795820000000-CorrectionLifecycle';
import { CorrectionSupervision1795822000000 } from './1795822000000-CorrectionSupervision';
import { CorrectionMonitoring1795824000000 } from './1795824000000-CorrectionMonitoring';
import { CorrectionCasework1795824100000 } from './1795824100000-CorrectionCasework';
import { CorrectionRestorativeAssistanceArchives1795826000000 } from './1795826000000-CorrectionRestorativeAssistanceArchives';
import { CorrectionPersonDataAtRest1795830000000 } from './1795830000000-CorrectionPersonDataAtRest';
import { CorrectionProhibitionZones1795831000000 } from './1795831000000-CorrectionProhibitionZones';
import { CorrectionTerminationNewOffence1795831100000 } from './1795831100000-CorrectionTerminationNewOffence';
import { CorrectionCaseReports1795831200000 } from './1795831200000-CorrectionCaseReports';
import { CorrectionPursuits1795831300000 } from './1795831300000-CorrectionPursuits';
import { CorrectionOrganisedCrime1795831400000 } from './1795831400000-CorrectionOrganisedCrime';
import { CorrectionCaseAssignments1795835500000 } from './1795835500000-CorrectionCaseAssignments';
import { CorrectionDeadLetterResolution1796200000000 } from './1796200000000-CorrectionDeadLetterResolution';
import { CorrectionOutboxJobs1796300000000 } from './1796300000000-CorrectionOutboxJobs';
import { CorrectionSentenceDetails1796700000000 } from './1796700000000-CorrectionSentenceDetails';
import { CorrectionDataCorrections1796700100000 } from './1796700100000-CorrectionDataCorrections';
import { ReferenceData1796800000000 } from './1796800000000-ReferenceData';
import { CorrectionResidenceTransfers1796900000000 } from './1796900000000-CorrectionResidenceTransfers';
import { CorrectionReoffences1797000500000 } from './1797000500000-CorrectionReoffences';
import { CorrectionOutwardApps1797600000200 } from './1797600000200-CorrectionOutwardApps';
import { CorrectionSocialForces1797600000300 } from './1797600000300-CorrectionSocialForces';
import { CorrectionEducationActivities1797600000310 } from './1797600000310-CorrectionEducationActivities';
import { CorrectionPsychServices1797600000320 } from './1797600000320-CorrectionPsychServices';
import { CorrectionCheckInClock1797600000500 } from './1797600000500-CorrectionCheckInClock';
import { CorrectionPeriodIndexes1797600000510 } from './1797600000510-CorrectionPeriodIndexes';
import { CorrectionIndicatorIndexes1797600000600 } from './1797600000600-CorrectionIndicatorIndexes';
import { CorrectionMonitoringFillfactor1797600000700 } from './1797600000700-CorrectionMonitoringFillfactor';

export const SCHEMA = 'correction';
export const MIGRATIONS = [
  ...PLATFORM_MIGRATIONS,
  CorrectionInit1795818467862,
  CorrectionLifecycle1795820000000,
  CorrectionSupervision1795822000000,
  CorrectionMonitoring1795824000000,
  CorrectionCasework1795824100000,
  CorrectionRestorativeAssistanceArchives1795826000000,
  CorrectionPersonDataAtRest1795830000000,
  CorrectionProhibitionZones1795831000000,
  CorrectionTerminationNewOffence1795831100000,
  CorrectionCaseReports1795831200000,
  CorrectionPursuits1795831300000,
  CorrectionOrganisedCrime1795831400000,
  CorrectionCaseAssignments1795835500000,
  CorrectionDeadLetterResolution1796200000000,
  CorrectionOutboxJobs1796300000000,
  CorrectionSentenceDetails1796700000000,
  CorrectionDataCorrections1796700100000,
  ReferenceData1796800000000,
  CorrectionResidenceTransfers1796900000000,
  CorrectionReoffences1797000500000,
  CorrectionOutwardApps1797600000200,
  CorrectionSocialForces1797600000300,
  CorrectionEducationActivities1797600000310,
  CorrectionPsychServices1797600000320,
  CorrectionCheckInClock1797600000500,
  CorrectionPeriodIndexes1797600000510,
  CorrectionIndicatorIndexes1797600000600,
  CorrectionMonitoringFillfactor1797600000700,
];
