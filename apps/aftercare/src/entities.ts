import { AftercareCase } from './cases/aftercare-case.entity';
import { DrugTest } from './drug-tests/drug-test.entity';
import { FollowUp } from './follow-ups/follow-up.entity';
import { ReleaseNotice } from './notices/release-notice.entity';

export const ENTITIES = [AftercareCase, ReleaseNotice, FollowUp, DrugTest];
