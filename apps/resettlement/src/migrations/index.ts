import { PLATFORM_MIGRATIONS } from '@homeward/platform';
import { ResettlementInit1795819500000 } from './1795819500000-ResettlementInit';

export const SCHEMA = 'resettlement';
export const MIGRATIONS = [...PLATFORM_MIGRATIONS, ResettlementInit1795819500000];
