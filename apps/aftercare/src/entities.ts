import { AftercareCase } from './cases/aftercare-case.entity';
import { ReleaseNotice } from './notices/release-notice.entity';

export const ENTITIES = [AftercareCase, ReleaseNotice];
