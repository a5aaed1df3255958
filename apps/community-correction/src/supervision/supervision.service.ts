import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  EventEnvelope,
  STRICT_REASON_LABELS,
  StrictContext,
  StrictReason,
  SupervisionLevel,
  assertSupervisionLevelAllowed,
  nextCheckInDue,
  strictReasons,
  type LocalDate,
} from '@homeward/domain';
import { EventPublisher, OnEvent } from '@homeward/bus';
import { AuditWriter, Clock, Principal } from '@homeward/platform';
import { CorrectionSubject } from '../subjects/subject.entity';
import { SupervisionLevelChange } from './supervision-level.entity';
import { SupervisionPolicyProvider } from './supervision-policy';
import { SubjectAccess, actorName } from '../subjects/subject-access';
import { CHECK_IN_FACTS, SANCTION_FACTS, type CheckInFacts, type SanctionFacts } from './supervision-facts';

export interface SetLevelInput {
  subjectId: string;
  level: SupervisionLevel;
  reason: string;
  highRisk?: boolean;
}

/** The level in force: the latest decision, or STRICT before any (CC-8: STRICT from activation). */
export interface CurrentSupervision {
  level: SupervisionLevel;
  reason: string;
  highRisk: boolean;
  effectiveOn: LocalDate | null;
}

export type SupervisionView = CurrentSupervision & { strictReasons: StrictReason[] };

/** What the CC-8 view of a subject needs from its row (a CorrectionSubject or its GraphQL type). */
export type SupervisedSubject = Pick<CorrectionSubject, 'id' | 'activatedOn' | 'organisedCrime'>;

/** The level in force of many subjects (`SupervisionService.currentOf`, or a request's batch of it). */
export type LevelsOf = (subjectIds: readonly string[]) => Promise<Map<string, CurrentSupervision>>;

const SYSTEM = 'system';

/** The day deadlines run from: activation, else report-in, else the correction start. */
export function supervisionStart(subject: Pick<CorrectionSubject, 'activatedOn' | 'reportedOn' | 'correctionStartDate'>): LocalDate {
  return subject.activatedOn ?? subject.reportedOn ?? subject.correctionStartDate;
}

@Injectable()
export class SupervisionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly policy: SupervisionPolicyProvider,
    private readonly access: SubjectAccess,
    @Inject(SANCTION_FACTS) private readonly sanctionFacts: SanctionFacts,
    @Inject(CHECK_IN_FACTS) private readonly checkInFacts: CheckInFacts,
  ) {}

  /** The current level of each subject, in one query. */
  async currentOf(subjectIds: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, CurrentSupervision>> {
    const out = new Map<string, CurrentSupervision>();
    if (subjectIds.length === 0) return out;
    const rows = await manager
      .getRepository(SupervisionLevelChange)
      .createQueryBuilder('l')
      .distinctOn(['l.subjectId'])
      .where('l.subjectId IN (:...ids)', { ids: [...subjectIds] })
      .orderBy('l.subjectId')
      .addOrderBy('l.createdAt', 'DESC')
      .addOrderBy('l.id', 'DESC')
      .getMany();
    for (const r of rows) out.set(r.subjectId, { level: r.level, reason: r.reason, highRisk: r.highRisk, effectiveOn: r.effectiveOn });
    for (const id of subjectIds) if (!out.has(id)) out.set(id, initialStrict());
    return out;
  }

  async currentOfOne(subjectId: string, manager?: EntityManager): Promise<CurrentSupervision> {
    return (await this.currentOf([subjectId], manager)).get(subjectId) ?? initialStrict();
  }

  /** The level history, newest first. */
  async history(subjectId: string): Promise<SupervisionLevelChange[]> {
    return this.dataSource.getRepository(SupervisionLevelChange).find({ where: { subjectId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** CC-8 facts that can hold a subject at STRICT, as of today. */
  async strictContext(manager: EntityManager, subject: CorrectionSubject, highRisk: boolean): Promise<StrictContext> {
    const [last, since] = await Promise.all([
      this.sanctionFacts.lastSanctionOn([subject.id], manager).then((m) => m.get(subject.id)),
      this.sanctionFacts.improvementSince([subject.id], manager).then((m) => m.get(subject.id)),
    ]);
    return {
      activatedOn: subject.activatedOn ?? null,
      today: this.clock.today(),
      strictInitialMonths: this.policy.strictInitialMonths,
      highRisk,
      lastSanctionOn: last ?? null,
      improvementSince: since ?? null,
      organisedCrime: subject.organisedCrime,
    };
  }

  /**
   * Level in force and the STRICT reasons of many subjects (for list views), from the rows the caller
   * already holds: three queries (levels, last sanction, improvement), or two when `levelsOf` is a
   * request's shared batch (`currentSupervisionLoader`).
   */
  async viewsOf(subjects: readonly SupervisedSubject[], levelsOf: LevelsOf = (ids) => this.currentOf(ids)): Promise<Map<string, SupervisionView>> {
    const out = new Map<string, SupervisionView>();
    if (subjects.length === 0) return out;
    const ids = subjects.map((s) => s.id);
    const manager = this.dataSource.manager;
    const [current, lastSanction, improved] = await Promise.all([
      levelsOf(ids),
      this.sanctionFacts.lastSanctionOn(ids, manager),
      this.sanctionFacts.improvementSince(ids, manager),
    ]);
    for (const subject of subjects) {
      const c = current.get(subject.id) ?? initialStrict();
      const reasons = strictReasons({
        activatedOn: subject.activatedOn ?? null,
        today: this.clock.today(),
        strictInitialMonths: this.policy.strictInitialMonths,
        highRisk: c.highRisk,
        lastSanctionOn: lastSanction.get(subject.id) ?? null,
        improvementSince: improved.get(subject.id) ?? null,
        organisedCrime: subject.organisedCrime,
      });
      out.set(subject.id, { ...c, strictReasons: reasons });
    }
    return out;
  }

  /** CC-8: an officer sets the level; a level below STRICT is refused while a STRICT reason holds. */
  async setLevel(caller: Principal, input: SetLevelInput): Promise<SupervisionLevelChange> {
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.access.activeForChange(manager, caller, input.subjectId, 'correction.supervision.set-level');
      const current = await this.currentOfOne(subject.id, manager);
      const highRisk = input.highRisk ?? current.highRisk;
      assertSupervisionLevelAllowed(input.level, await this.strictContext(manager, subject, highRisk));
      const row = await this.recordLevel(manager, subject, input.level, input.reason, highRisk, actorName(caller));
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.supervision.set-level',
          entityType: 'CorrectionSubject',
          entityId: subject.id,
          personKey: subject.personKey,
          towns: [subject.town],
          details: { from: current.level, to: input.level, highRisk },
        },
        manager,
      );
      return row;
    });
  }

  /**
   * CC-25 涉黑涉恶: the flag holds the subject at STRICT for the whole term. Setting it makes the level
   * STRICT at once (when it was not); clearing it (a court's correction of the record) lets the other
   * reasons decide again. Audited; announced on the bus.
   */
  async setOrganisedCrime(caller: Principal, input: { subjectId: string; flagged: boolean; reason: string }): Promise<CorrectionSubject> {
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.access.forChange(manager, caller, input.subjectId, 'correction.subject.organised-crime');
      const before = subject.organisedCrime;
      subject.organisedCrime = input.flagged;
      await manager.save(subject);
      if (input.flagged && !before && subject.activatedOn) {
        const current = await this.currentOfOne(subject.id, manager);
        if (current.level !== SupervisionLevel.STRICT) {
          await this.recordLevel(manager, subject, SupervisionLevel.STRICT, STRICT_REASON_LABELS[StrictReason.ORGANISED_CRIME], current.highRisk, actorName(caller));
        }
      }
      if (before !== input.flagged) {
        await this.events.publish(manager, 'correction.subject.organised-crime-flag', { subjectId: subject.id, personKey: subject.personKey, town: subject.town, flagged: input.flagged });
      }
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.subject.organised-crime',
          entityType: 'CorrectionSubject',
          entityId: subject.id,
          personKey: subject.personKey,
          towns: [subject.town],
          details: { from: before, to: input.flagged, reason: input.reason },
        },
        manager,
      );
      return subject;
    });
  }

  /** CC-8 / CC-11: after a sanction the level becomes STRICT (in the sanction's transaction). */
  async strictAfterSanction(manager: EntityManager, subject: CorrectionSubject, decidedBy: string): Promise<void> {
    const current = await this.currentOfOne(subject.id, manager);
    await this.recordLevel(manager, subject, SupervisionLevel.STRICT, STRICT_REASON_LABELS[StrictReason.SANCTIONED], current.highRisk, decidedBy);
  }

  /** CC-8: STRICT from the day the subject becomes ACTIVE (the first months *(cfg)*). */
  @OnEvent('correction.subject.activated')
  async onActivated(event: EventEnvelope<'correction.subject.activated'>, manager: EntityManager): Promise<void> {
    const subject = await manager.getRepository(CorrectionSubject).findOneBy({ id: event.payload.subjectId });
    if (!subject) return;
    const any = await manager.getRepository(SupervisionLevelChange).existsBy({ subjectId: subject.id });
    if (any) return;
    await this.recordLevel(manager, subject, SupervisionLevel.STRICT, STRICT_REASON_LABELS[StrictReason.FIRST_MONTHS], false, SYSTEM, event.payload.activatedOn);
  }

  /** The next check-in due date under `level` (CC-9: last check-in + interval). */
  async nextDue(manager: EntityManager, subject: CorrectionSubject, level: SupervisionLevel, startOverride?: LocalDate): Promise<LocalDate> {
    const last = await this.checkInFacts.lastCheckInOn(subject.id, manager);
    return nextCheckInDue(last, startOverride ?? supervisionStart(subject), this.policy.obligations(level).checkInIntervalDays);
  }

  private async recordLevel(
    manager: EntityManager,
    subject: CorrectionSubject,
    level: SupervisionLevel,
    reason: string,
    highRisk: boolean,
    decidedBy: string,
    effectiveOn: LocalDate = this.clock.today(),
  ): Promise<SupervisionLevelChange> {
    const row = manager.getRepository(SupervisionLevelChange).create({ subjectId: subject.id, level, reason, highRisk, effectiveOn, decidedBy });
    await manager.save(row);
    const startOverride = subject.activatedOn ? undefined : effectiveOn;
    await this.events.publish(manager, 'correction.supervision.level-changed', {
      subjectId: subject.id,
      personKey: subject.personKey,
      town: subject.town,
      level,
      checkInIntervalDays: this.policy.obligations(level).checkInIntervalDays,
      nextCheckInDue: await this.nextDue(manager, subject, level, startOverride),
    });
    return row;
  }
}

function initialStrict(): CurrentSupervision {
  return { level: SupervisionLevel.STRICT, reason: STRICT_REASON_LABELS[StrictReason.FIRST_MONTHS], highRisk: false, effectiveOn: null };
}
