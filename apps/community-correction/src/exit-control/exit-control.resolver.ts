import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { LoaderContext, fieldLoader } from '@homeward/platform';
import { ExitControl } from './exit-control.entity';
import { ExitControlService } from './exit-control.service';
import { ExitControlType } from './exit-control.types';

@Resolver(() => CorrectionSubjectType)
export class ExitControlResolver {
  constructor(private readonly exitControls: ExitControlService) {}

  @ResolveField(() => ExitControlType, { nullable: true, description: 'CC-15 exit control report (出境报备); null before ACTIVE' })
  async exitControl(@Parent() subject: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<ExitControlType | null> {
    const row = await fieldLoader<ExitControl | null>(ctx, 'exitControl', (ids) => this.exitControls.latestBySubjectIds(ids), null).load(subject.id);
    return row ? { active: row.withdrawnAt === null, reportedAt: row.reportedAt, withdrawnAt: row.withdrawnAt, withdrawalReason: row.withdrawalReason } : null;
  }
}
