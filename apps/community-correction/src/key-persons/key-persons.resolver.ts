import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { townName } from '@homeward/domain';
import { CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_READERS, STAFF_WRITERS, fieldLoader, toConnection } from '@homeward/platform';
import { CorrectionSubject } from '../subjects/subject.entity';
import { toSubjectType } from '../subjects/subjects.resolver';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { KEY_PERSON_FLAG_LEVEL_LABELS, KeyPersonDetermination, KeyPersonEntry, TRANSFORMATION_PROGRESS_LABELS } from './key-person.entity';
import { KeyPersonsService, encodeEntryCursor } from './key-persons.service';
import {
  CurrentKeyPersonsArgs,
  KeyPersonConnection,
  KeyPersonDeterminationArgs,
  KeyPersonDeterminationType,
  KeyPersonEntryType,
  RecordKeyPersonDeterminationInput,
} from './key-persons.types';

const town = (code: string) => ({ code, name: townName(code) ?? code });

function toEntry(e: KeyPersonEntry, extra: { month?: string; town?: string } = {}): KeyPersonEntryType {
  return {
    id: e.id,
    subjectId: e.subjectId,
    reasons: e.reasons,
    flagLevel: e.flagLevel,
    flagLevelLabel: KEY_PERSON_FLAG_LEVEL_LABELS[e.flagLevel],
    transformationProgress: e.transformationProgress,
    transformationProgressLabel: TRANSFORMATION_PROGRESS_LABELS[e.transformationProgress],
    released: e.released,
    month: extra.month,
    town: extra.town ? town(extra.town) : undefined,
  };
}

@Resolver(() => KeyPersonDeterminationType)
export class KeyPersonsResolver {
  constructor(private readonly keyPersons: KeyPersonsService) {}

  private async toDetermination(d: KeyPersonDetermination): Promise<KeyPersonDeterminationType> {
    const versions = await this.keyPersons.versions(d.town, d.month);
    return {
      id: d.id,
      town: town(d.town),
      month: d.month,
      version: d.version,
      note: d.note,
      recordedBy: d.recordedBy,
      recordedAt: d.createdAt,
      entries: (d.entries ?? []).map((e) => toEntry(e)),
      versions: versions.map((v) => v.version),
    };
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => KeyPersonDeterminationType, { description: 'CC-10: record the monthly key-person determination of a town (a new version each time)' })
  async recordKeyPersonDetermination(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordKeyPersonDeterminationInput): Promise<KeyPersonDeterminationType> {
    return this.toDetermination(await this.keyPersons.record(caller, input));
  }

  @Roles(...STAFF_READERS)
  @Query(() => KeyPersonDeterminationType, { nullable: true, description: 'CC-10: a town\'s determination for a month (latest version unless asked); null outside the caller\'s towns' })
  async keyPersonDetermination(@CurrentPrincipal() caller: Principal, @Args() args: KeyPersonDeterminationArgs): Promise<KeyPersonDeterminationType | null> {
    const d = await this.keyPersons.find(caller, args.town, args.month, args.version);
    return d ? this.toDetermination(d) : null;
  }

  @Roles(...STAFF_READERS)
  @Query(() => KeyPersonConnection, { description: 'CC-10: current key persons (latest determination of each town, not released)' })
  async currentKeyPersons(@CurrentPrincipal() caller: Principal, @Args() args: CurrentKeyPersonsArgs): Promise<KeyPersonConnection> {
    const page = await this.keyPersons.current(caller, args.town, args.first, args.after);
    return toConnection(page, (i) => toEntry(i.entry, { month: i.month, town: i.town }), (i) => encodeEntryCursor(i.entry.id));
  }
}

@Resolver(() => KeyPersonEntryType)
export class KeyPersonEntryResolver {
  constructor(private readonly keyPersons: KeyPersonsService) {}

  @ResolveField(() => CorrectionSubjectType, { nullable: true })
  async subject(@Parent() entry: KeyPersonEntryType, @Context() ctx: LoaderContext): Promise<CorrectionSubjectType | null> {
    const s = await fieldLoader<CorrectionSubject | null>(ctx, 'keyPersons.subject', (ids) => this.keyPersons.subjects(ids), null).load(entry.subjectId);
    return s ? toSubjectType(s) : null;
  }
}
