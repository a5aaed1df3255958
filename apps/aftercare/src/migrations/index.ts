import { PLATFORM_MIGRATIONS } from '@homeward/platform';
import { AftercareInit1795819600000 } from './1795819600000-AftercareInit';
import { AftercareDeadLetterResolution1796200000002 } from './1796200000002-AftercareDeadLetterResolution';
import { AftercareOutboxJobs1796300000300 } from './1796300000300-AftercareOutboxJobs';
import { AftercareReleaseNotices1797300000000 } from './1797300000000-AftercareReleaseNotices';
import { AftercareSuccessCases1797500000200 } from './1797500000200-AftercareSuccessCases';
import { AftercareWorkLogRelapses1797500000201 } from './1797500000201-AftercareWorkLogRelapses';
import { AftercareCommunityRehabilitations1797500000600 } from './1797500000600-AftercareCommunityRehabilitations';

export const SCHEMA = 'aftercare';
export const MIGRATIONS = [
  ...PLATFORM_MIGRATIONS,
  AftercareInit1795819600000,
  AftercareDeadLetterResolution1796200000002,
  AftercareOutboxJobs1796300000300,
  AftercareReleaseNotices1797300000000,
  AftercareSuccessCases1797500000200,
  AftercareWorkLogRelapses1797500000201,
  AftercareCommunityRehabilitations1797500000600,
];
