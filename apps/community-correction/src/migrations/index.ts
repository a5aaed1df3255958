import { PLATFORM_MIGRATIONS } from '@homeward/platform';
import { CorrectionInit1795818467862 } from './1795818467862-CorrectionInit';
import { CorrectionSupervision1795822000000 } from './1795822000000-CorrectionSupervision';
import { CASEWORK_MIGRATIONS } from '../monitoring/casework-registry';
import { CorrectionLifecycle1795820000000 } from './1795820000000-CorrectionLifecycle';
import { CorrectionRestorativeAssistanceArchives1795826000000 } from './1795826000000-CorrectionRestorativeAssistanceArchives';
import { CorrectionPersonDataAtRest1795830000000 } from './1795830000000-CorrectionPersonDataAtRest';
import { CorrectionProhibitionZones1795831000000 } from './1795831000000-CorrectionProhibitionZones';
import { CorrectionTerminationNewOffence1795831100000 } from './1795831100000-CorrectionTerminationNewOffence';
import { CorrectionCaseReports1795831200000 } from './1795831200000-CorrectionCaseReports';
import { CorrectionPursuits1795831300000 } from './1795831300000-CorrectionPursuits';
import { CorrectionOrganisedCrime1795831400000 } from './1795831400000-CorrectionOrganisedCrime';
import { CorrectionCaseAssignments1795835500000 } from './1795835500000-CorrectionCaseAssignments';
import { ReferenceData1796800000000 } from './1796800000000-ReferenceData';

export const SCHEMA = 'correction';
export const MIGRATIONS = [
  ...PLATFORM_MIGRATIONS,
  ...CASEWORK_MIGRATIONS,
  CorrectionInit1795818467862,
  CorrectionLifecycle1795820000000,
  CorrectionSupervision1795822000000,
  CorrectionRestorativeAssistanceArchives1795826000000,
  CorrectionPersonDataAtRest1795830000000,
  CorrectionProhibitionZones1795831000000,
  CorrectionTerminationNewOffence1795831100000,
  CorrectionCaseReports1795831200000,
  CorrectionPursuits1795831300000,
  CorrectionOrganisedCrime1795831400000,
  CorrectionCaseAssignments1795835500000,
  ReferenceData1796800000000,
];
