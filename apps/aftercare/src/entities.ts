import { AftercareCase } from './cases/aftercare-case.entity';
import { CommunityRehabPeriod } from './community-rehab/community-rehab-period.entity';
import { DrugTest } from './drug-tests/drug-test.entity';
import { Relapse } from './drug-tests/relapse.entity';
import { FollowUp } from './follow-ups/follow-up.entity';
import { ReleaseNotice } from './notices/release-notice.entity';
import { SuccessCase } from './success-cases/success-case.entity';
import { SuccessCaseFile } from './success-cases/success-case-file.entity';
import { WorkLogEntry } from './work-log/work-log-entry.entity';

export const ENTITIES = [AftercareCase, ReleaseNotice, FollowUp, DrugTest, Relapse, SuccessCase, SuccessCaseFile, WorkLogEntry, CommunityRehabPeriod];
