import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, DomainErrorCode, compareLocalDate, parseLocalDate } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, EMPTY_PAGE, Page, Principal, RecordAccess, keysetPage, personScope, whereInScope } from '@homeward/platform';
import { SocialOrganisationsService } from '../social-forces/social-organisations.service';
import { SubjectAccess, actorName } from '../subjects/subject-access';
import { PsychServiceKind, PsychServiceRecord } from './psych-service.entity';

/**
 * CC-27 psychological services (心理健康教育、心理咨询、危机干预) per subject, each by a registered,
 * ACTIVE social organisation (CC-22). Setting the crisis flag publishes
 * `correction.psych-service.crisis-flag` (flagged) in the same transaction — alerts raises
 * CC-27.PSYCH_CRISIS (ORANGE) — and clearing it publishes the same event unflagged, which settles it.
 */
@Injectable()
export class PsychServicesService {
  private readonly records: RecordAccess<PsychServiceRecord>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly subjects: SubjectAccess,
    private readonly organisations: SocialOrganisationsService,
  ) {
    this.records = new RecordAccess(audit, {
      entity: PsychServiceRecord,
      notFound: (id) => new DomainError(DomainErrorCode.NOT_FOUND, `psychological service record ${id} not found / 未找到该心理服务记录`, { field: 'recordId' }),
    });
  }

  /** CC-27: a service given (kind, day, provider, notes); `crisis` sets the flag at once. */
  async record(
    caller: Principal,
    input: { subjectId: string; kind: PsychServiceKind; servedOn?: string; providerId: string; notes: string; crisis?: boolean | null },
  ): Promise<PsychServiceRecord> {
    const servedOn = this.dateOrToday(input.servedOn, 'servedOn');
    const action = 'correction.psych-service.record';
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.activeForChange(manager, caller, input.subjectId, action);
      const provider = await this.organisations.activeProvider(manager, caller, input.providerId, subject.town, action);
      const by = actorName(caller);
      const row = manager.getRepository(PsychServiceRecord).create({
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        kind: input.kind,
        servedOn,
        providerId: provider.id,
        notes: input.notes,
        crisis: false,
        crisisFlaggedOn: null,
        crisisFlaggedBy: null,
        crisisClearedOn: null,
        crisisClearedBy: null,
        crisisNote: null,
        recordedBy: by,
      });
      if (input.crisis) this.setFlag(row, true, by, null);
      await manager.save(row);
      await this.audit.record(
        {
          actor: caller,
          action,
          entityType: 'PsychServiceRecord',
          entityId: row.id,
          personKey: row.personKey,
          towns: [row.town],
          details: { subjectId: row.subjectId, kind: row.kind, servedOn, providerId: provider.id, crisis: row.crisis },
        },
        manager,
      );
      if (row.crisis) await this.publish(manager, row, true);
      return row;
    });
  }

  /** CC-27: the crisis flag set on a record (ILLEGAL_TRANSITION when already set): alerts raises ORANGE. */
  flagCrisis(caller: Principal, input: { recordId: string; note?: string | null }): Promise<PsychServiceRecord> {
    return this.changeFlag(caller, input.recordId, true, input.note ?? null, 'correction.psych-service.flag-crisis');
  }

  /** CC-27: the crisis flag cleared (ILLEGAL_TRANSITION when not set): alerts settles the alert. */
  clearCrisis(caller: Principal, input: { recordId: string; note: string }): Promise<PsychServiceRecord> {
    return this.changeFlag(caller, input.recordId, false, input.note, 'correction.psych-service.clear-crisis');
  }

  /** CC-27: records of the caller's towns (a social worker: its caseload), newest first. */
  async list(
    caller: Principal,
    filter: { town?: string; subjectId?: string; kind?: PsychServiceKind; crisis?: boolean; first: number; after?: string },
  ): Promise<Page<PsychServiceRecord>> {
    const scope = personScope(caller, filter.town);
    const qb = this.dataSource.getRepository(PsychServiceRecord).createQueryBuilder('r');
    if (!whereInScope(qb, 'r', scope)) return EMPTY_PAGE;
    if (filter.subjectId) qb.andWhere('r.subjectId = :subjectId', { subjectId: filter.subjectId });
    if (filter.kind) qb.andWhere('r.kind = :kind', { kind: filter.kind });
    if (filter.crisis !== undefined && filter.crisis !== null) qb.andWhere('r.crisis = :crisis', { crisis: filter.crisis });
    const page = await keysetPage(qb, 'r', { first: filter.first, after: filter.after });
    await this.audit.record({
      actor: caller,
      action: 'correction.psych-service.list',
      entityType: 'PsychServiceRecord',
      towns: scope.towns,
      personKeys: page.items.map((r) => r.personKey),
      details: { ids: page.items.map((r) => r.id) },
    });
    return page;
  }

  private async changeFlag(caller: Principal, id: string, flagged: boolean, note: string | null, action: string): Promise<PsychServiceRecord> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.records.forChange(manager, caller, id, action);
      if (row.crisis === flagged) {
        throw new DomainError(
          DomainErrorCode.ILLEGAL_TRANSITION,
          flagged ? 'the crisis flag is already set / 该记录已标记心理危机' : 'the crisis flag is not set / 该记录未标记心理危机',
          { field: 'recordId', details: { crisis: row.crisis } },
        );
      }
      this.setFlag(row, flagged, actorName(caller), note);
      await manager.save(row);
      await this.audit.record(
        { actor: caller, action, entityType: 'PsychServiceRecord', entityId: row.id, personKey: row.personKey, towns: [row.town], details: { subjectId: row.subjectId, crisis: flagged } },
        manager,
      );
      await this.publish(manager, row, flagged);
      return row;
    });
  }

  private setFlag(row: PsychServiceRecord, flagged: boolean, by: string, note: string | null): void {
    const today = this.clock.today();
    row.crisis = flagged;
    row.crisisNote = note;
    if (flagged) {
      row.crisisFlaggedOn = today;
      row.crisisFlaggedBy = by;
      row.crisisClearedOn = null;
      row.crisisClearedBy = null;
    } else {
      row.crisisClearedOn = today;
      row.crisisClearedBy = by;
    }
  }

  private publish(manager: EntityManager, row: PsychServiceRecord, flagged: boolean): Promise<unknown> {
    return this.events.publish(manager, 'correction.psych-service.crisis-flag', {
      recordId: row.id,
      subjectId: row.subjectId,
      personKey: row.personKey,
      town: row.town,
      flagged,
      flagVersion: row.version,
      on: this.clock.today(),
    });
  }

  private dateOrToday(value: string | undefined, field: string): string {
    if (!value) return this.clock.today();
    const date = parseLocalDate(value, field);
    if (compareLocalDate(date, this.clock.today()) > 0) throw new DomainError(DomainErrorCode.DATE_INVALID, `${field} is in the future / 日期晚于今天`, { field });
    return date;
  }
}
