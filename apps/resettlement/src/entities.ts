import { AssistanceCase } from './cases/assistance-case.entity';
import { KeyCategoryChange, PreReleaseNotice } from './notices/pre-release-notice.entity';

export const ENTITIES = [AssistanceCase, PreReleaseNotice, KeyCategoryChange];
