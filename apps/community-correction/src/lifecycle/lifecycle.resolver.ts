import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { INTAKE_ITEMS, INTAKE_ITEM_LABELS } from '@homeward/domain';
import { CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_WRITERS, fieldLoader } from '@homeward/platform';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { toSubjectType } from '../subjects/subjects.resolver';
import { AbscondingEpisode } from './absconding-episode.entity';
import {
  ActivateSubjectInput,
  ClearAbscondedInput,
  DischargeSubjectInput,
  MarkAbscondedInput,
  RecordReportInInput,
  TerminateSubjectInput,
  TickIntakeItemsInput,
} from './dto/lifecycle.inputs';
import { IntakeItemRecord } from './intake-item.entity';
import { LifecycleService } from './lifecycle.service';
import { AbscondingEpisodeType, IntakeChecklistEntry } from './lifecycle.types';

/** CC-2 … CC-5 mutations (CITY_ADMIN / TOWN_OFFICER, the caller's towns only) and checklist fields. */
@Resolver(() => CorrectionSubjectType)
export class LifecycleResolver {
  constructor(private readonly lifecycle: LifecycleService) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CorrectionSubjectType, { description: 'CC-4 报到: records the report-in (late reports keep their days late)' })
  async recordReportIn(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordReportInInput): Promise<CorrectionSubjectType> {
    return toSubjectType(await this.lifecycle.recordReportIn(caller, input.subjectId, input.reportedOn));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CorrectionSubjectType, { description: 'CC-5: ticks intake checklist items' })
  async tickIntakeItems(@CurrentPrincipal() caller: Principal, @Args('input') input: TickIntakeItemsInput): Promise<CorrectionSubjectType> {
    return toSubjectType(await this.lifecycle.tickIntakeItems(caller, input.subjectId, input.items, input.doneOn));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CorrectionSubjectType, { description: 'CC-5 入矫: PENDING_REPORT → ACTIVE (refused with the missing items listed)' })
  async activateSubject(@CurrentPrincipal() caller: Principal, @Args('input') input: ActivateSubjectInput): Promise<CorrectionSubjectType> {
    return toSubjectType(await this.lifecycle.activate(caller, input.subjectId, input.on));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CorrectionSubjectType, { description: 'CC-2 解除矫正: ACTIVE → DISCHARGED (EXPIRED / PARDONED)' })
  async dischargeSubject(@CurrentPrincipal() caller: Principal, @Args('input') input: DischargeSubjectInput): Promise<CorrectionSubjectType> {
    return toSubjectType(await this.lifecycle.discharge(caller, input.subjectId, input.reason, input.on));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CorrectionSubjectType, { description: 'CC-2 终止矫正: → TERMINATED (REVOKED / COMMITTED / DECEASED)' })
  async terminateSubject(@CurrentPrincipal() caller: Principal, @Args('input') input: TerminateSubjectInput): Promise<CorrectionSubjectType> {
    return toSubjectType(await this.lifecycle.terminate(caller, input.subjectId, input.reason, input.on, input.newOffence ?? false));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CorrectionSubjectType, { description: 'CC-2 脱管: sets the ABSCONDED flag (raises the RED lost-contact alert)' })
  async markAbsconded(@CurrentPrincipal() caller: Principal, @Args('input') input: MarkAbscondedInput): Promise<CorrectionSubjectType> {
    return toSubjectType(await this.lifecycle.markAbsconded(caller, input.subjectId, input.lostContactOn));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CorrectionSubjectType, { description: 'CC-2: clears the ABSCONDED flag (found)' })
  async clearAbsconded(@CurrentPrincipal() caller: Principal, @Args('input') input: ClearAbscondedInput): Promise<CorrectionSubjectType> {
    return toSubjectType(await this.lifecycle.clearAbsconded(caller, input.subjectId, input.foundOn));
  }

  @ResolveField(() => [IntakeChecklistEntry], { description: 'CC-5 入矫手续: every checklist item, done or not' })
  async intakeChecklist(@Parent() subject: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<IntakeChecklistEntry[]> {
    const done = new Map((await this.checklist(ctx, subject.id)).map((r) => [r.item, r]));
    return INTAKE_ITEMS.map((item) => {
      const row = done.get(item);
      return { item, label: INTAKE_ITEM_LABELS[item], done: !!row, doneOn: row?.doneOn ?? null, doneBy: row?.doneBy ?? null };
    });
  }

  @ResolveField(() => Boolean, { description: 'CC-5: every checklist item done' })
  async intakeComplete(@Parent() subject: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<boolean> {
    const done = new Set((await this.checklist(ctx, subject.id)).map((r) => r.item));
    return INTAKE_ITEMS.every((i) => done.has(i));
  }

  @ResolveField(() => [AbscondingEpisodeType], { description: 'CC-2: periods of lost contact (脱管记录), oldest first' })
  async abscondings(@Parent() subject: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<AbscondingEpisodeType[]> {
    const rows = await fieldLoader<AbscondingEpisode[]>(ctx, 'abscondings', (ids) => this.lifecycle.abscondingBySubjectIds(ids), []).load(subject.id);
    return rows.map((r) => ({ lostContactOn: r.lostContactOn, foundOn: r.foundOn }));
  }

  private checklist(ctx: LoaderContext, id: string): Promise<IntakeItemRecord[]> {
    return fieldLoader<IntakeItemRecord[]>(ctx, 'intakeChecklist', (ids) => this.lifecycle.checklistBySubjectIds(ids), []).load(id);
  }
}
