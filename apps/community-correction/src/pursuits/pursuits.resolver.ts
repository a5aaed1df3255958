import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_WRITERS, fieldLoader } from '@homeward/platform';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { CustodyProposal, PursuitRequest, ResidenceDispute } from './pursuit.entity';
import { PursuitsService } from './pursuits.service';
import {
  CUSTODY_DECISION_LABELS,
  CUSTODY_PROPOSAL_KIND_LABELS,
  CustodyDecision,
  CustodyProposalKind,
  CustodyProposalType,
  DecideResidenceDisputeInput,
  PURSUIT_KIND_LABELS,
  PURSUIT_STATUS_LABELS,
  PursuitKind,
  PursuitRequestType,
  PursuitStatus,
  RaiseResidenceDisputeInput,
  RecordCustodyDecisionInput,
  RecordPursuitOutcomeInput,
  RequestPursuitInput,
  ResidenceDisputeType,
  SubmitCustodyProposalInput,
} from './pursuits.types';

/** CC-24 mutations (CITY_ADMIN / TOWN_OFFICER of the subject's town) and the subject's pursuit history. */
@Resolver(() => CorrectionSubjectType)
export class PursuitsResolver {
  constructor(private readonly pursuits: PursuitsService) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => PursuitRequestType, { description: 'CC-24: report an absconded subject to police for pursuit / 提请追逃' })
  async requestPursuit(@CurrentPrincipal() caller: Principal, @Args('input') input: RequestPursuitInput): Promise<PursuitRequestType> {
    return toPursuit(await this.pursuits.requestPursuit(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => PursuitRequestType, { description: 'CC-24: found (查获) or returned (收监/归案)' })
  async recordPursuitOutcome(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordPursuitOutcomeInput): Promise<PursuitRequestType> {
    return toPursuit(await this.pursuits.recordPursuitOutcome(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CustodyProposalType, { description: 'CC-24: revocation or commitment proposal to the court / deciding body' })
  async submitCustodyProposal(@CurrentPrincipal() caller: Principal, @Args('input') input: SubmitCustodyProposalInput): Promise<CustodyProposalType> {
    return this.toProposal(await this.pursuits.submitProposal(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CustodyProposalType, { description: "CC-24: the court's / deciding body's decision, once" })
  async recordCustodyDecision(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordCustodyDecisionInput): Promise<CustodyProposalType> {
    return this.toProposal(await this.pursuits.recordDecision(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ResidenceDisputeType, { description: 'CC-24: a residence dispute / 居住地争议' })
  async raiseResidenceDispute(@CurrentPrincipal() caller: Principal, @Args('input') input: RaiseResidenceDisputeInput): Promise<ResidenceDisputeType> {
    return toDispute(await this.pursuits.raiseResidenceDispute(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ResidenceDisputeType, { description: "CC-24: the designating authority's decision" })
  async decideResidenceDispute(@CurrentPrincipal() caller: Principal, @Args('input') input: DecideResidenceDisputeInput): Promise<ResidenceDisputeType> {
    return toDispute(await this.pursuits.decideResidenceDispute(caller, input));
  }

  @ResolveField(() => [PursuitRequestType], { description: 'CC-24: pursuit requests, oldest first' })
  async pursuitRequests(@Parent() subject: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<PursuitRequestType[]> {
    const rows = await fieldLoader<PursuitRequest[]>(ctx, 'pursuitRequests', (ids) => this.pursuits.bySubjectIds(PursuitRequest, ids), []).load(subject.id);
    return rows.map(toPursuit);
  }

  @ResolveField(() => [CustodyProposalType], { description: 'CC-24: revocation / commitment proposals, oldest first' })
  async custodyProposals(@Parent() subject: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<CustodyProposalType[]> {
    const rows = await fieldLoader<CustodyProposal[]>(ctx, 'custodyProposals', (ids) => this.pursuits.bySubjectIds(CustodyProposal, ids), []).load(subject.id);
    return rows.map((r) => this.toProposal(r));
  }

  @ResolveField(() => [ResidenceDisputeType], { description: 'CC-24: residence disputes, oldest first' })
  async residenceDisputes(@Parent() subject: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<ResidenceDisputeType[]> {
    const rows = await fieldLoader<ResidenceDispute[]>(ctx, 'residenceDisputes', (ids) => this.pursuits.bySubjectIds(ResidenceDispute, ids), []).load(subject.id);
    return rows.map(toDispute);
  }

  private toProposal(p: CustodyProposal): CustodyProposalType {
    return {
      id: p.id,
      subjectId: p.subjectId,
      kind: p.kind as CustodyProposalKind,
      kindLabel: CUSTODY_PROPOSAL_KIND_LABELS[p.kind as CustodyProposalKind],
      grounds: this.pursuits.grounds(p),
      sentTo: p.sentTo,
      sentOn: p.sentOn,
      decision: p.decision as CustodyDecision | null,
      decisionLabel: p.decision ? CUSTODY_DECISION_LABELS[p.decision as CustodyDecision] : null,
      decidedOn: p.decidedOn,
      decisionDocumentNo: p.decisionDocumentNo,
    };
  }
}

function toPursuit(r: PursuitRequest): PursuitRequestType {
  return {
    id: r.id,
    subjectId: r.subjectId,
    kind: r.kind as PursuitKind,
    kindLabel: PURSUIT_KIND_LABELS[r.kind as PursuitKind],
    requestedOn: r.requestedOn,
    policeUnit: r.policeUnit,
    status: r.status as PursuitStatus,
    statusLabel: PURSUIT_STATUS_LABELS[r.status as PursuitStatus],
    foundOn: r.foundOn,
    returnedOn: r.returnedOn,
  };
}

function toDispute(r: ResidenceDispute): ResidenceDisputeType {
  return { id: r.id, subjectId: r.subjectId, raisedOn: r.raisedOn, designatingAuthority: r.designatingAuthority, designatedTown: r.designatedTown, decision: r.decision, decidedOn: r.decidedOn };
}
