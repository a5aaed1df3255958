import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, DomainErrorCode, WorkLogKind, isAfter, isBefore, isTownCode } from '@homeward/domain';
import { AuditWriter, Clock, EMPTY_PAGE, Page, Principal, RecordAccess, canSeeTown, inTransaction, keysetPage, townFilter } from '@homeward/platform';
import { WorkLogEntry } from './work-log-entry.entity';

export interface NewWorkLogEntry {
  town: string;
  entryDate: string;
  kind: WorkLogKind;
  note: string;
}

export interface WorkLogFilter {
  town?: string | null;
  from?: string | null;
  to?: string | null;
  kind?: WorkLogKind | null;
  first: number;
  after?: string | null;
}

/** AC-7 the station's work log (工作日志): entries by day and kind, written by the station or the city office, town-filtered and audited. */
@Injectable()
export class WorkLogService {
  private readonly entries: RecordAccess<WorkLogEntry>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {
    this.entries = new RecordAccess(audit, {
      entity: WorkLogEntry,
      scope: 'town',
      notFound: (id) => new DomainError(DomainErrorCode.NOT_FOUND, `work log entry ${id} not found / 未找到该工作日志`),
    });
  }

  async add(caller: Principal, cmd: NewWorkLogEntry): Promise<WorkLogEntry> {
    if (!Object.values(WorkLogKind).includes(cmd.kind)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `kind must be one of ${Object.values(WorkLogKind).join(', ')} / 工作类型无效`, { field: 'kind' });
    }
    if (isAfter(cmd.entryDate, this.clock.today())) throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'entryDate is in the future / 日志日期不能晚于今天', { field: 'entryDate' });
    const note = cmd.note.trim();
    if (!note) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'note is empty / 工作内容不能为空', { field: 'note' });
    if (!isTownCode(cmd.town) || !canSeeTown(caller, cmd.town)) {
      await this.entries.recordDenial(caller, cmd.town, 'aftercare.work-log.add');
      throw new DomainError(DomainErrorCode.NOT_FOUND, `town ${cmd.town} not found / 未找到该服务站`, { field: 'town' });
    }
    return inTransaction(this.dataSource, async (manager) => {
      const row = await manager.save(manager.getRepository(WorkLogEntry).create({ town: cmd.town, entryDate: cmd.entryDate, kind: cmd.kind, note, recordedBy: caller.username ?? caller.sub }));
      await this.audit.record({ actor: caller, action: 'aftercare.work-log.add', entityType: 'WorkLogEntry', entityId: row.id, towns: [row.town], details: { entryDate: row.entryDate, kind: row.kind } }, manager);
      return row;
    });
  }

  /** Removes a wrongly written entry (its station or the city office), audited. */
  async remove(caller: Principal, id: string): Promise<WorkLogEntry> {
    return inTransaction(this.dataSource, async (manager) => {
      const row = await this.entries.forChange(manager, caller, id, 'aftercare.work-log.delete');
      await manager.delete(WorkLogEntry, { id });
      await this.audit.record({ actor: caller, action: 'aftercare.work-log.delete', entityType: 'WorkLogEntry', entityId: id, towns: [row.town], details: { entryDate: row.entryDate, kind: row.kind } }, manager);
      return row;
    });
  }

  /** The entries of the caller's towns, newest written first (keyset over createdAt, id), optionally by town, days and kind; audited. */
  async list(caller: Principal, f: WorkLogFilter): Promise<Page<WorkLogEntry>> {
    if (f.from && f.to && isBefore(f.to, f.from)) throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'to is before from / 结束日期早于开始日期', { field: 'to' });
    const towns = townFilter(caller, f.town);
    if (towns.length === 0) return EMPTY_PAGE;
    const qb = this.dataSource.getRepository(WorkLogEntry).createQueryBuilder('w').where('w.town IN (:...towns)', { towns });
    if (f.from) qb.andWhere('w.entryDate >= :from', { from: f.from });
    if (f.to) qb.andWhere('w.entryDate <= :to', { to: f.to });
    if (f.kind) qb.andWhere('w.kind = :kind', { kind: f.kind });
    const page = await keysetPage(qb, 'w', { first: f.first, after: f.after });
    await this.audit.record({ actor: caller, action: 'aftercare.work-log.list', entityType: 'WorkLogEntry', towns, details: { from: f.from ?? null, to: f.to ?? null, ids: page.items.map((r) => r.id) } });
    return page;
  }
}
