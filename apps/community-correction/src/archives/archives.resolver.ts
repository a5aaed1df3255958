import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ArchiveStageCompleteness, archiveCompleteness } from '@homeward/domain';
import { CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_READERS, STAFF_WRITERS, fieldLoader } from '@homeward/platform';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { ArchivesService } from './archives.service';
import {
  ArchiveCompletenessType,
  ArchiveDocumentContentType,
  ArchiveDocumentType,
  ArchiveDocumentsArgs,
  UploadArchiveDocumentInput,
  toArchiveDocumentType,
  toCompletenessType,
} from './archives.types';

/** CC-19 archives. Upload is a GraphQL mutation with base64 content (no multipart endpoint). */
@Resolver(() => CorrectionSubjectType)
export class ArchivesResolver {
  constructor(private readonly service: ArchivesService) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ArchiveDocumentType, { description: 'CC-19: file a document in an archive / 上传档案文书 (base64)' })
  async uploadArchiveDocument(@CurrentPrincipal() caller: Principal, @Args('input') input: UploadArchiveDocumentInput): Promise<ArchiveDocumentType> {
    return toArchiveDocumentType(await this.service.upload(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ArchiveDocumentType, { description: 'CC-19: remove a wrongly filed document / 删除档案文书' })
  async deleteArchiveDocument(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<ArchiveDocumentType> {
    return toArchiveDocumentType(await this.service.remove(caller, id));
  }

  @Roles(...STAFF_READERS)
  @Query(() => [ArchiveDocumentType], { description: "CC-19: a subject's archive documents (one subject's archive is small: not paginated)" })
  async archiveDocuments(@CurrentPrincipal() caller: Principal, @Args() args: ArchiveDocumentsArgs): Promise<ArchiveDocumentType[]> {
    return (await this.service.list(caller, args.subjectId, args.archiveKind)).map(toArchiveDocumentType);
  }

  @Roles(...STAFF_READERS)
  @Query(() => ArchiveDocumentContentType, { description: 'CC-19: a document with its content (base64) / 查阅档案文书' })
  async archiveDocumentContent(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<ArchiveDocumentContentType> {
    const { document, bytes } = await this.service.content(caller, id);
    return { document: toArchiveDocumentType(document), contentBase64: bytes.toString('base64') };
  }

  @Roles(...STAFF_READERS)
  @Query(() => [ArchiveCompletenessType], { description: 'CC-19: archive completeness per reached stage / 档案完整度' })
  async archiveCompleteness(@CurrentPrincipal() caller: Principal, @Args('subjectId', { type: () => ID }) subjectId: string): Promise<ArchiveCompletenessType[]> {
    return (await this.service.completeness(caller, subjectId)).map(toCompletenessType);
  }

  @Roles(...STAFF_READERS)
  @ResolveField(() => [ArchiveCompletenessType], { name: 'archiveCompleteness', description: 'CC-19: archive completeness per reached stage / 档案完整度' })
  async subjectArchiveCompleteness(@Parent() parent: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<ArchiveCompletenessType[]> {
    const onFile = await fieldLoader<Set<string>>(ctx, 'archives.documentTypes', (ids) => this.service.documentTypesOf(ids), new Set()).load(parent.id);
    const result: ArchiveStageCompleteness[] = archiveCompleteness(parent.status, onFile);
    return result.map(toCompletenessType);
  }
}
