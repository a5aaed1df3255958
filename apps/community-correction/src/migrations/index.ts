import { PLATFORM_MIGRATIONS } from '@homeward/platform';
import { CorrectionInit1795818467862 } from './1795818467862-CorrectionInit';

export const SCHEMA = 'correction';
export const MIGRATIONS = [...PLATFORM_MIGRATIONS, CorrectionInit1795818467862];
