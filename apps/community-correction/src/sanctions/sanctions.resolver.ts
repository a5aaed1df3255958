import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SANCTION_KIND_LABELS, parseLocalDate } from '@homeward/domain';
import { CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_READERS, STAFF_WRITERS, fieldLoader } from '@homeward/platform';
import { CorrectionSubject } from '../subjects/subject.entity';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { Sanction } from './sanction.entity';
import { SanctionsService } from './sanctions.service';
import { ImprovementType, RecordImprovementInput, RecordSanctionInput, SanctionType, SuggestedSanctionType } from './sanctions.types';

function toSanction(s: Sanction): SanctionType {
  return { ...s, kindLabel: SANCTION_KIND_LABELS[s.kind] };
}

@Resolver(() => CorrectionSubjectType)
export class SanctionsResolver {
  constructor(
    private readonly service: SanctionsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SanctionType, { description: 'CC-11: record a sanction decided (训诫/警告/提请撤销); the level becomes STRICT' })
  async recordSanction(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordSanctionInput): Promise<SanctionType> {
    return toSanction(await this.service.record(caller, { ...input, decidedOn: parseLocalDate(input.decidedOn, 'decidedOn') }));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ImprovementType, { description: 'CC-11: the subject improved from `since` (earlier sanctions no longer count, CC-8 STRICT lifted)' })
  async recordImprovement(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordImprovementInput): Promise<ImprovementType> {
    return this.service.recordImprovement(caller, { ...input, since: parseLocalDate(input.since, 'since') });
  }

  @Roles(...STAFF_READERS)
  @ResolveField(() => [SanctionType], { description: 'CC-11: sanctions, oldest first' })
  async sanctions(@Parent() parent: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<SanctionType[]> {
    const rows = await fieldLoader<Sanction[]>(ctx, 'sanctions.history', (ids) => this.service.history(ids), []).load(parent.id);
    return rows.map(toSanction);
  }

  @Roles(...STAFF_READERS)
  @ResolveField(() => SuggestedSanctionType, { nullable: true, description: 'CC-11: the next step the ladder suggests now, with the reason in Chinese' })
  async suggestedSanction(@Parent() parent: CorrectionSubjectType): Promise<SuggestedSanctionType | null> {
    const subject = await this.dataSource.getRepository(CorrectionSubject).findOneBy({ id: parent.id });
    return subject ? this.service.suggestionFor(subject) : null;
  }
}
