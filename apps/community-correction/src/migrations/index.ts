import { PLATFORM_MIGRATIONS } from '@homeward/platform';
import { CorrectionInit1795818467862 } from './1795818467862-CorrectionInit';
import { CorrectionLifecycle1795820000000 } from './1795820000000-CorrectionLifecycle';

export const SCHEMA = 'correction';
export const MIGRATIONS = [...PLATFORM_MIGRATIONS, CorrectionInit1795818467862, CorrectionLifecycle1795820000000];
