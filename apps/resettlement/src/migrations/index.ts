import { PLATFORM_MIGRATIONS } from '@homeward/platform';
import { ResettlementInit1795819500000 } from './1795819500000-ResettlementInit';
import { ResettlementDeadLetterResolution1796200000001 } from './1796200000001-ResettlementDeadLetterResolution';

export const SCHEMA = 'resettlement';
export const MIGRATIONS = [...PLATFORM_MIGRATIONS, ResettlementInit1795819500000, ResettlementDeadLetterResolution1796200000001];
