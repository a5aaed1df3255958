import { CorrectionSubject } from './subjects/subject.entity';

export const ENTITIES = [CorrectionSubject];
