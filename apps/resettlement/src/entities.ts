import { AssistanceCase } from './cases/assistance-case.entity';
import { KeyCategoryChange, PreReleaseNotice } from './notices/pre-release-notice.entity';
import { Release } from './releases/release.entity';
import { ReoffenceReport } from './reoffences/reoffence-report.entity';

export const ENTITIES = [AssistanceCase, PreReleaseNotice, KeyCategoryChange, Release, ReoffenceReport];
