import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { LoaderContext, fieldLoader } from '@homeward/platform';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { ResidenceTransfer } from './residence-transfer.entity';
import { TransfersService } from './transfers.service';
import { ResidenceTransferType, toTransferType } from './transfers.types';

/** CC-13: the subject's changes of residence (pending and carried out), on a subject the caller already sees. */
@Resolver(() => CorrectionSubjectType)
export class TransfersResolver {
  constructor(private readonly transfers: TransfersService) {}

  @ResolveField(() => [ResidenceTransferType], { description: 'CC-13 changes of residence, newest first / 变更执行地移交记录' })
  async residenceTransfers(@Parent() subject: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<ResidenceTransferType[]> {
    const rows = await fieldLoader<ResidenceTransfer[]>(ctx, 'residenceTransfers', (ids) => this.transfers.bySubjectIds(ids), []).load(subject.id);
    return rows.map(toTransferType);
  }
}
