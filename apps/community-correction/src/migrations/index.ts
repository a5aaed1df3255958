import { PLATFORM_MIGRATIONS } from '@homeward/platform';
import { CorrectionInit1795818467862 } from './1795818467862-CorrectionInit';
import { CorrectionSupervision1795822000000 } from './1795822000000-CorrectionSupervision';
import { CASEWORK_MIGRATIONS } from '../monitoring/casework-registry';
import { CorrectionLifecycle1795820000000 } from './1795820000000-CorrectionLifecycle';
import { CorrectionRestorativeAssistanceArchives1795826000000 } from './1795826000000-CorrectionRestorativeAssistanceArchives';
import { CorrectionCaseAssignments1795835500000 } from './1795835500000-CorrectionCaseAssignments';

export const SCHEMA = 'correction';
export const MIGRATIONS = [...PLATFORM_MIGRATIONS, ...CASEWORK_MIGRATIONS, CorrectionInit1795818467862, CorrectionLifecycle1795820000000, CorrectionSupervision1795822000000, CorrectionRestorativeAssistanceArchives1795826000000, CorrectionCaseAssignments1795835500000];
