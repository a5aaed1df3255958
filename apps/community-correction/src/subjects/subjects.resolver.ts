import { Args, Context, ID, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { CORRECTION_STATUS_LABELS, Role, SENTENCE_TYPE_LABELS, SentenceType, endReasonLabel, townName } from '@homeward/domain';
import { CurrentPrincipal, LoaderContext, Person, Principal, Roles, STAFF_READERS, UNMASK_ROLES, fieldLoader, toConnection } from '@homeward/platform';
import { CorrectionSubject } from './subject.entity';
import { CorrectionSubjectConnection, CorrectionSubjectType, CorrectionSubjectsArgs } from './subject.types';
import { SubjectsService } from './subjects.service';

export function toSubjectType(s: CorrectionSubject): CorrectionSubjectType {
  return {
    id: s.id,
    status: s.status,
    statusLabel: CORRECTION_STATUS_LABELS[s.status],
    sentenceType: s.sentenceType,
    sentenceTypeLabel: SENTENCE_TYPE_LABELS[s.sentenceType],
    name: s.name,
    gender: s.gender,
    town: { code: s.town, name: townName(s.town) ?? s.town },
    person: { key: s.personKey, maskedIdNumber: s.maskedIdNumber } as Person,
    reportDeadline: s.reportDeadline,
    judgmentDocumentNo: s.judgmentDocumentNo,
    judgmentEffectiveDate: s.judgmentEffectiveDate,
    correctionStartDate: s.correctionStartDate,
    correctionEndDate: s.correctionEndDate,
    offence: s.offence,
    decidingAuthority: s.decidingAuthority,
    reportedOn: s.reportedOn,
    reportDaysLate: s.reportDaysLate,
    activatedOn: s.activatedOn,
    endedOn: s.endedOn,
    endReason: s.endReason,
    endReasonLabel: endReasonLabel(s.endReason) ?? null,
    absconded: s.lostContactOn !== null,
    lostContactOn: s.lostContactOn,
    organisedCrime: s.organisedCrime,
    suspendedPenalty: s.suspendedPenalty,
    suspendedTermMonths: s.suspendedTermMonths,
    sentenceDetailsMissing: s.sentenceType === SentenceType.PROBATION && s.suspendedPenalty === null,
    combinedSentences: s.combinedSentences,
    detentionCreditDays: s.detentionCreditDays,
    periodConflict: s.periodConflict,
    notifiedOn: s.notifiedOn,
    noticeDeadline: s.noticeDeadline,
    noticeDaysLate: s.noticeDaysLate,
    enrolledAt: s.createdAt,
  };
}

@Resolver(() => CorrectionSubjectType)
export class SubjectsResolver {
  constructor(private readonly subjects: SubjectsService) {}

  @Roles(...STAFF_READERS)
  @Query(() => CorrectionSubjectType, { nullable: true, description: 'One subject in the caller\'s towns; null otherwise' })
  async correctionSubject(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string) {
    const subject = await this.subjects.findOne(caller, id);
    return subject ? toSubjectType(subject) : null;
  }

  @Roles(...STAFF_READERS)
  @Query(() => CorrectionSubjectConnection)
  async correctionSubjects(@CurrentPrincipal() caller: Principal, @Args() args: CorrectionSubjectsArgs): Promise<CorrectionSubjectConnection> {
    const page = await this.subjects.list(caller, args);
    return toConnection(page, toSubjectType);
  }

  /** The clear ID number: only for roles allowed to unmask, and audited. */
  @ResolveField(() => String, { nullable: true, description: 'Clear ID number (unmask permission, audited)' })
  async idNumber(@CurrentPrincipal() caller: Principal, @Parent() parent: CorrectionSubjectType): Promise<string | null> {
    if (!caller.roles.some((r) => UNMASK_ROLES.includes(r))) return null;
    const subject = await this.subjects.findOne(caller, parent.id);
    return subject ? this.subjects.revealIdNumber(caller, subject) : null;
  }
}

@Resolver(() => Person)
export class PersonResolver {
  constructor(private readonly subjects: SubjectsService) {}

  @ResolveReference()
  resolveReference(ref: { __typename: string; key: string }): Person {
    return { key: ref.key };
  }

  @ResolveField(() => String, { nullable: true, description: 'ID number masked (first 6, last 4), from this person\'s correction cases in the caller\'s towns' })
  async maskedIdNumber(@CurrentPrincipal() caller: Principal, @Parent() person: Person & { maskedIdNumber?: string }, @Context() ctx: LoaderContext) {
    if (person.maskedIdNumber) return person.maskedIdNumber;
    const cases = await this.casesLoader(ctx, caller).load(person.key);
    return cases[0]?.maskedIdNumber ?? null;
  }

  @Roles(...STAFF_READERS)
  @ResolveField(() => [CorrectionSubjectType], { description: 'This person\'s correction cases in the caller\'s towns' })
  async correctionCases(@CurrentPrincipal() caller: Principal, @Parent() person: Person, @Context() ctx: LoaderContext) {
    const cases = await this.casesLoader(ctx, caller).load(person.key);
    return cases.map(toSubjectType);
  }

  /** One query per request for all persons in it (STYLE.md: reference resolvers are batched). */
  private casesLoader(ctx: LoaderContext, caller: Principal) {
    return fieldLoader<CorrectionSubject[]>(ctx, 'correctionCases', (keys) => this.subjects.findByPersonKeys(caller, keys), []);
  }
}
