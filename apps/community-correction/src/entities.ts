import { CorrectionSubject } from './subjects/subject.entity';
import { CASEWORK_ENTITIES } from './monitoring/casework-registry';
import { IntakeItemRecord } from './lifecycle/intake-item.entity';
import { AbscondingEpisode } from './lifecycle/absconding-episode.entity';
import { SubjectDocument } from './documents/subject-document.entity';
import { ExitControl } from './exit-control/exit-control.entity';
import { CorrectionPlan } from './plans/plan.entity';
import { TeamMember } from './plans/team-member.entity';

export const ENTITIES = [...CASEWORK_ENTITIES, CorrectionSubject, IntakeItemRecord, AbscondingEpisode, SubjectDocument, ExitControl, CorrectionPlan, TeamMember];
