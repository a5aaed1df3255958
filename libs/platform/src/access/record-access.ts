import { DomainError, DomainErrorCode } from '@homeward/domain';
import { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { AuditWriter } from '../audit/audit-writer';
import { canSeePerson, canSeeTown } from '../auth/jurisdiction';
import { Principal } from '../auth/principal';
import { isUuid } from '../query/cursor';

/** A record that belongs to a person of a town (the person scope: towns and, for a social worker, assignments). */
export interface PersonRecord {
  id: string;
  town: string | null;
  personKey?: string | null;
}

/** A record that belongs to a town only (seen by the town's staff, never by a social worker). */
export interface TownRecord {
  id: string;
  town: string | null;
}

export interface RecordAccessOptions<T> {
  /** The entity class. */
  entity: EntityTarget<T> & { name: string };
  /** What the audit row names (`entityType`); default the class name. */
  entityType?: string;
  /** The record's English name in the default NOT_FOUND message ("leave", "investigation"); default the entity type. */
  what?: string;
  /** The NOT_FOUND error for `id` (bilingual, English / Chinese); default "<what> <id> not found / 未找到该记录". */
  notFound?: (id: string) => DomainError;
  /**
   * Who sees a row: 'person' (default) — in the caller's towns and, for a social worker, assigned
   * to it (`canSeePerson`); 'town' — in the caller's towns, whole-town staff only (`canSeeTown`).
   */
  scope?: 'person' | 'town';
  /**
   * Who writes the denial's audit row: 'feature' (default) — this piece, under the feature's action;
   * 'interceptor' — nobody here: the DeniedAuditInterceptor writes `request.denied` for the request
   * (for records whose denials have always been audited that way, e.g. alerts).
   */
  deniedBy?: 'feature' | 'interceptor';
}

/**
 * Issue 8 item 1: the one way a feature reaches a record for a caller — loaded, visible or NOT_FOUND
 * (never FORBIDDEN: another town learns nothing, not even that the id exists), optionally locked for
 * update, and every denial audited (`outcome: 'DENIED'`, which also tells the DeniedAuditInterceptor
 * that this request's denial is written). Typed per record; build one per entity in the service's
 * constructor, or inject a typed wrapper (correction's `SubjectAccess`).
 *
 * The denial is audited outside the caller's transaction (its rollback must not take the row with it).
 */
export class RecordAccess<T extends ObjectLiteral & TownRecord> {
  readonly entityType: string;

  constructor(
    private readonly audit: AuditWriter,
    private readonly options: RecordAccessOptions<T>,
  ) {
    this.entityType = options.entityType ?? options.entity.name;
  }

  /** True when `caller` may see `row` under this record's scope. */
  canSee(caller: Principal, row: T | null | undefined): row is T {
    if (!row) return false;
    return this.options.scope === 'town' ? canSeeTown(caller, row.town) : canSeePerson(caller, row.town, (row as PersonRecord).personKey);
  }

  /** The row of `id`, locked FOR UPDATE inside `manager`'s transaction; NOT_FOUND (audited) when unknown or not visible. */
  async forChange(manager: EntityManager, caller: Principal, id: string, action: string): Promise<T> {
    return this.visibleOrDeny(caller, await this.load(manager, id, true), id, action, id, manager);
  }

  /** The row of `id` for a read that must find it; NOT_FOUND (audited) when unknown or not visible. */
  async forRead(manager: EntityManager, caller: Principal, id: string, action: string): Promise<T> {
    return this.visibleOrDeny(caller, await this.load(manager, id, false), id, action, id, manager);
  }

  /** The row of `id` for a read that answers null when absent: null (audited as denied) when unknown or not visible. */
  async findForRead(manager: EntityManager, caller: Principal, id: string, action: string): Promise<T | null> {
    const row = await this.load(manager, id, false);
    if (this.canSee(caller, row)) return row;
    await this.recordDenial(caller, id, action, manager);
    return null;
  }

  /**
   * `row` (found some other way) when the caller sees it; otherwise the denial is audited under
   * `auditId` (default `id`) and NOT_FOUND thrown. `manager`: the caller's transaction, if it runs in one.
   */
  async visibleOrDeny(caller: Principal, row: T | null | undefined, id: string, action: string, auditId = id, manager?: EntityManager): Promise<T> {
    if (this.canSee(caller, row)) return row;
    await this.recordDenial(caller, auditId, action, manager);
    throw this.notFound(id);
  }

  /** The NOT_FOUND error of `id`. */
  notFound(id: string): DomainError {
    return this.options.notFound?.(id) ?? new DomainError(DomainErrorCode.NOT_FOUND, `${this.options.what ?? this.entityType} ${id} not found / 未找到该记录`);
  }

  /**
   * Writes the DENIED audit row of `action` on `id` outside the caller's transaction (its rollback must not take
   * the row with it), unless the interceptor writes it: once `manager`'s transaction has ended, if there is one
   * (AuditWriter.recordOutsideTransaction), else at once.
   */
  async recordDenial(caller: Principal, id: string, action: string, manager?: EntityManager): Promise<void> {
    if (this.options.deniedBy === 'interceptor') return;
    await this.audit.recordOutsideTransaction({ actor: caller, action, entityType: this.entityType, entityId: id, outcome: 'DENIED' }, manager);
  }

  private async load(manager: EntityManager, id: string, lock: boolean): Promise<T | null> {
    if (!isUuid(id)) return null;
    const where = { id } as FindOptionsWhere<T>;
    const repo = manager.getRepository<T>(this.options.entity);
    return lock ? repo.findOne({ where, lock: { mode: 'pessimistic_write' } }) : repo.findOne({ where });
  }
}
