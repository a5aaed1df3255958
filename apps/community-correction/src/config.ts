import { ServiceConfig } from '@homeward/platform';

/** community-correction reads only the common service variables so far (docs/internals.md). */
export class CorrectionConfig extends ServiceConfig {}
