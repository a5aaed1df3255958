import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_WRITERS, fieldLoader } from '@homeward/platform';
import { SuccessCaseFile } from './success-case-file.entity';
import { SuccessCasesService } from './success-cases.service';
import {
  NameSuccessCaseInput,
  SuccessCaseFileContentType,
  SuccessCaseFileType,
  SuccessCaseStandingArgs,
  SuccessCaseStandingType,
  SuccessCaseType,
  SuccessCasesArgs,
  UpdateSuccessCaseInput,
  UploadSuccessCaseFileInput,
  toStandingType,
  toSuccessCaseFileType,
  toSuccessCaseType,
} from './success-cases.types';

/** AC-6 success cases: the station (TOWN_OFFICER, its towns) and the city office (CITY_ADMIN). Files as base64, like CC-19 archives. */
@Resolver(() => SuccessCaseType)
export class SuccessCasesResolver {
  constructor(private readonly service: SuccessCasesService) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SuccessCaseType, { description: 'AC-6: name a success case for a year / 培树成功戒毒典型' })
  async nameSuccessCase(@CurrentPrincipal() caller: Principal, @Args('input') input: NameSuccessCaseInput): Promise<SuccessCaseType> {
    return toSuccessCaseType(await this.service.name(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SuccessCaseType, { description: 'AC-6: correct the title or summary of a success case / 修改成功戒毒典型' })
  async updateSuccessCase(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateSuccessCaseInput): Promise<SuccessCaseType> {
    return toSuccessCaseType(await this.service.update(caller, id, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SuccessCaseType, { description: 'AC-6: remove a wrongly named success case and its files / 删除成功戒毒典型' })
  async deleteSuccessCase(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<SuccessCaseType> {
    return toSuccessCaseType(await this.service.remove(caller, id));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SuccessCaseFileType, { description: 'AC-6: file a document or picture (base64), stored encrypted / 上传典型材料' })
  async uploadSuccessCaseFile(@CurrentPrincipal() caller: Principal, @Args('input') input: UploadSuccessCaseFileInput): Promise<SuccessCaseFileType> {
    return toSuccessCaseFileType(await this.service.upload(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SuccessCaseFileType, { description: 'AC-6: remove a file of a dossier / 删除典型材料' })
  async deleteSuccessCaseFile(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<SuccessCaseFileType> {
    return toSuccessCaseFileType(await this.service.removeFile(caller, id));
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => [SuccessCaseType], { description: "AC-6: the success cases of the caller's stations (a station names a few a year: not paginated) / 成功戒毒典型" })
  async successCases(@CurrentPrincipal() caller: Principal, @Args() args: SuccessCasesArgs): Promise<SuccessCaseType[]> {
    return (await this.service.list(caller, args)).map(toSuccessCaseType);
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => SuccessCaseType, { description: 'AC-6: one success-case dossier / 成功戒毒典型详情' })
  async successCase(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<SuccessCaseType> {
    return toSuccessCaseType(await this.service.findOne(caller, id));
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => SuccessCaseFileContentType, { description: 'AC-6: a file with its content (base64) / 查阅典型材料' })
  async successCaseFileContent(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<SuccessCaseFileContentType> {
    const { file, bytes } = await this.service.content(caller, id);
    return { file: toSuccessCaseFileType(file), contentBase64: bytes.toString('base64') };
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => [SuccessCaseStandingType], { description: "AC-6 / K-AC4: each of the caller's stations against ≥ 1 (≥ 2 at ≥ 10 subjects) a year / 典型培树完成情况" })
  async successCaseStanding(@CurrentPrincipal() caller: Principal, @Args() args: SuccessCaseStandingArgs): Promise<SuccessCaseStandingType[]> {
    return (await this.service.standingFor(caller, args.year, args.town)).map(toStandingType);
  }

  @ResolveField(() => [SuccessCaseFileType], { description: 'documents and pictures / 典型材料' })
  async files(@Parent() parent: SuccessCaseType, @Context() ctx: LoaderContext): Promise<SuccessCaseFileType[]> {
    const files = await fieldLoader<SuccessCaseFile[]>(ctx, 'successCases.files', (ids) => this.service.filesOf(ids), []).load(parent.id);
    return files.map(toSuccessCaseFileType);
  }
}
