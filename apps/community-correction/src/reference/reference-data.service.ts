import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  DomainError,
  DomainErrorCode,
  WorkingDayCalendar,
  isTownCode,
  parseGeoJsonPolygon,
  setActiveCalendar,
  setCorrectionCentres,
  setCountyArea,
  setTownRegistry,
  validateCorrectionCentres,
  validateTowns,
  type CorrectionCentre,
  type GeoJsonPolygonFeature,
  type HolidayTable,
  type HolidayTableStatus,
  type LocalDate,
  type Town,
} from '@homeward/domain';
import { AuditWriter, Clock, Principal, inTransaction } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { InvestigationDeadlinesRecomputer } from '../investigations/investigation-deadlines.recomputer';
import { NoticeDeadlinesRecomputer } from '../procuratorate/notice-deadlines.recomputer';
import { MonitoringDeadlinesRecomputer } from '../monitoring/monitoring-deadlines.recomputer';
import { SubjectDeadlinesRecomputer } from '../subjects/subject-deadlines.recomputer';
import type { DeadlineRecomputer } from './deadline-recomputer';
import { shippedReference, type StoredHolidayTable } from './reference-files';
import { DatasetKind, DatasetRow, HolidayTableRow, ReferenceRepository } from './reference.repository';

export interface SetHolidayTableInput {
  year: number;
  status: HolidayTableStatus;
  holidays: LocalDate[];
  workingWeekends: LocalDate[];
  source?: string | null;
  reason: string;
}

export interface HolidayTableChange {
  table: HolidayTableView;
  /** Records whose stored deadline moved, per rule family. */
  recomputed: Array<{ rule: string; records: number }>;
}

/** The reference data this process works with (what the domain registries were last set to). */
export interface ReferenceSnapshot {
  revision: string;
  holidayTables: StoredHolidayTable[];
  towns: readonly Town[];
  centres: readonly CorrectionCentre[];
  countyBoundary: GeoJsonPolygonFeature;
  /** Which parts came from the database (the rest from the shipped files: not seeded yet). */
  fromDatabase: { holidayYears: number[]; datasets: DatasetKind[] };
}

const sameTable = (a: { status: string; holidays: string[]; workingWeekends: string[]; source: string | null }, b: typeof a): boolean =>
  a.status === b.status && a.source === b.source && JSON.stringify(a.holidays) === JSON.stringify(b.holidays) && JSON.stringify(a.workingWeekends) === JSON.stringify(b.workingWeekends);

/**
 * Issue 7 item 10: reference data as data. Loads the `reference` schema at boot (the shipped files
 * for whatever is not seeded), sets the process-wide registries of `@homeward/domain` (working-day
 * calendar, towns, county boundary, correction centres) from it, reloads when another replica
 * changed it (REFERENCE_RELOAD_SECONDS), and applies a CITY_ADMIN's changes: audited, history kept,
 * and — for a holiday table — every stored deadline computed from it recomputed in the same
 * transaction with `correction.deadlines.recomputed` published for alerts.
 */
@Injectable()
export class ReferenceDataService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ReferenceDataService.name);
  private snapshotValue: ReferenceSnapshot | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly recomputers: DeadlineRecomputer[];
  private readonly townListeners = new Set<(towns: readonly Town[]) => void>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    @Inject(CorrectionConfig) private readonly config: CorrectionConfig,
    subjects: SubjectDeadlinesRecomputer,
    investigations: InvestigationDeadlinesRecomputer,
    notices: NoticeDeadlinesRecomputer,
    monitorings: MonitoringDeadlinesRecomputer,
  ) {
    this.recomputers = [subjects, investigations, notices, monitorings];
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.reloadIfChanged().catch((e: unknown) => this.logger.warn(`reference data reload failed: ${(e as Error).message}`));
    }, this.config.REFERENCE_RELOAD_SECONDS * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    // The registries are process-wide: a stopped app leaves the shipped data behind (tests boot several apps in one process).
    setActiveCalendar(undefined);
    setTownRegistry(undefined);
    setCountyArea(undefined);
    setCorrectionCentres(undefined);
  }

  get snapshot(): ReferenceSnapshot {
    if (!this.snapshotValue) throw new Error('reference data not loaded yet');
    return this.snapshotValue;
  }

  /**
   * The town-registry hook (for `@IsTownCode()` and anything else that must know the towns): called
   * at once with the towns in force and again after every change (a sync snapshot, no I/O).
   */
  onTownsChanged(listener: (towns: readonly Town[]) => void): () => void {
    this.townListeners.add(listener);
    if (this.snapshotValue) listener(this.snapshotValue.towns);
    return () => this.townListeners.delete(listener);
  }

  async reloadIfChanged(): Promise<boolean> {
    if (!(await ReferenceRepository.present(this.dataSource.manager))) return false;
    const revision = await ReferenceRepository.revision(this.dataSource.manager);
    if (revision === this.snapshotValue?.revision) return false;
    await this.reload();
    return true;
  }

  /** Reads the reference schema (shipped files where it has nothing) and sets the registries. */
  async reload(manager: EntityManager = this.dataSource.manager): Promise<ReferenceSnapshot> {
    const shipped = shippedReference();
    let revision = 'shipped';
    let tables: HolidayTableRow[] = [];
    let datasets: DatasetRow[] = [];
    if (await ReferenceRepository.present(manager)) {
      revision = await ReferenceRepository.revision(manager);
      tables = await ReferenceRepository.currentHolidayTables(manager);
      datasets = await ReferenceRepository.currentDatasets(manager);
    }
    const byYear = new Map<number, StoredHolidayTable>(shipped.holidayTables.map((t) => [t.year, t]));
    for (const t of tables) byYear.set(t.year, toTable(t));
    const dataset = (kind: DatasetKind) => datasets.find((d) => d.kind === kind)?.content;
    const snapshot: ReferenceSnapshot = {
      revision,
      holidayTables: [...byYear.values()].sort((a, b) => a.year - b.year),
      towns: (dataset('TOWNS') as { towns?: Town[] } | undefined)?.towns ?? shipped.towns,
      centres: (dataset('CORRECTION_CENTRES') as { centres?: CorrectionCentre[] } | undefined)?.centres ?? shipped.centres,
      countyBoundary: (dataset('COUNTY_BOUNDARY') as GeoJsonPolygonFeature | undefined) ?? shipped.countyBoundary,
      fromDatabase: { holidayYears: tables.map((t) => t.year), datasets: datasets.map((d) => d.kind) },
    };
    this.apply(snapshot);
    return snapshot;
  }

  private apply(snapshot: ReferenceSnapshot): void {
    setActiveCalendar(new WorkingDayCalendar(snapshot.holidayTables));
    setTownRegistry(snapshot.towns);
    setCountyArea(parseGeoJsonPolygon(snapshot.countyBoundary));
    setCorrectionCentres(snapshot.centres);
    this.snapshotValue = snapshot;
    for (const l of this.townListeners) l(snapshot.towns);
  }

  /** Current tables (status, dates) and, with `history`, every superseded version too (oldest first). */
  async holidayTables(history: boolean, year?: number): Promise<HolidayTableView[]> {
    const m = this.dataSource.manager;
    const present = await ReferenceRepository.present(m);
    if (history && present) return (await ReferenceRepository.holidayTableHistory(m, year)).map((r) => viewOf(r.year, toTable(r), r));
    await this.reloadIfChanged();
    const stored = new Map<number, HolidayTableRow>();
    if (present) for (const r of await ReferenceRepository.currentHolidayTables(m)) stored.set(r.year, r);
    return this.snapshot.holidayTables.filter((t) => year === undefined || t.year === year).map((t) => viewOf(t.year, t, stored.get(t.year)));
  }

  /**
   * A CITY_ADMIN replaces the holiday table of a year (a published notice replaces a provisional
   * table, or a correction). Validated (typed VALIDATION_FAILED, nothing changes), the old version
   * kept, audited, and every stored deadline recomputed with the new calendar in the same
   * transaction. An identical table changes nothing (CONFLICT).
   */
  async setHolidayTable(caller: Principal, input: SetHolidayTableInput): Promise<HolidayTableChange> {
    const table: HolidayTable = {
      year: input.year,
      holidays: [...new Set(input.holidays)].sort(),
      workingWeekends: [...new Set(input.workingWeekends)].sort(),
      ...(input.status === 'PROVISIONAL' ? { provisional: true } : {}),
    };
    // Throws DomainError(VALIDATION_FAILED) with the reason (dates outside the year, a weekday as 调休…).
    new WorkingDayCalendar([table]);
    if (!['PROVISIONAL', 'OFFICIAL'].includes(input.status)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'status must be PROVISIONAL or OFFICIAL / 状态须为 PROVISIONAL 或 OFFICIAL', { field: 'status' });
    }
    const source = input.source?.trim() || null;
    const result = await inTransaction(this.dataSource, async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('homeward:reference:holidays'))`);
      const before = await this.reload(manager);
      const current = await ReferenceRepository.lockCurrentHolidayTable(manager, input.year);
      const previous = current ? toTable(current) : before.holidayTables.find((t) => t.year === input.year);
      const next = { status: input.status, holidays: table.holidays, workingWeekends: table.workingWeekends, source };
      if (current && sameTable({ status: current.status, holidays: current.holidays, workingWeekends: current.workingWeekends, source: current.source }, next)) {
        throw new DomainError(DomainErrorCode.CONFLICT, `the holiday table of ${input.year} is already exactly this / ${input.year} 年节假日表与现行相同`, { field: 'year' });
      }
      const revision = await ReferenceRepository.replaceHolidayTable(manager, {
        ...next,
        year: input.year,
        recordedAt: this.clock.now(),
        recordedBy: caller.sub,
        reason: input.reason,
      });
      const calendar = new WorkingDayCalendar([...before.holidayTables.filter((t) => t.year !== input.year), table]);
      const recomputed: HolidayTableChange['recomputed'] = [];
      for (const r of this.recomputers) recomputed.push({ rule: r.label, records: await r.recompute(manager, { calendar, year: input.year, revision }) });
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.reference.holiday-table.set',
          entityType: 'HolidayTable',
          entityId: String(input.year),
          details: {
            year: input.year,
            revision,
            status: input.status,
            previousStatus: previous?.provisional ? 'PROVISIONAL' : previous ? 'OFFICIAL' : null,
            holidays: table.holidays.length,
            workingWeekends: table.workingWeekends.length,
            source,
            reason: input.reason,
            recomputed,
          },
        },
        manager,
      );
      const row = (await ReferenceRepository.holidayTableHistory(manager, input.year)).find((r) => r.id === revision) as HolidayTableRow;
      return { table: viewOf(input.year, toTable(row), row), recomputed };
    });
    await this.reload();
    return result;
  }

  /** A CITY_ADMIN replaces the towns (a merger or renaming: close the old entry with validTo, add the successor). */
  async setTowns(caller: Principal, towns: Town[], reason: string): Promise<DatasetRow> {
    validateTowns(towns);
    const current = this.snapshot.towns;
    for (const old of current) {
      if (!towns.some((t) => t.code === old.code && t.validFrom === old.validFrom)) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `town ${old.code} (${old.name}) is missing: close it with validTo instead of deleting it / 不得删除镇街，请填写失效日期`, {
          field: 'towns',
        });
      }
    }
    return this.replaceDataset(caller, 'TOWNS', { towns }, reason, { towns: towns.length });
  }

  async setCorrectionCentres(caller: Principal, centres: CorrectionCentre[], reason: string): Promise<DatasetRow> {
    validateCorrectionCentres(centres, (code) => isTownCode(code) || this.snapshot.towns.some((t) => t.code === code));
    return this.replaceDataset(caller, 'CORRECTION_CENTRES', { centres }, reason, { centres: centres.length });
  }

  async setCountyBoundary(caller: Principal, geojson: string, reason: string): Promise<DatasetRow> {
    let doc: GeoJsonPolygonFeature;
    try {
      doc = JSON.parse(geojson) as GeoJsonPolygonFeature;
    } catch {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'geojson is not JSON / 边界数据不是有效的 JSON', { field: 'geojson' });
    }
    const area = parseGeoJsonPolygon(doc);
    return this.replaceDataset(caller, 'COUNTY_BOUNDARY', doc, reason, { points: area.length });
  }

  async datasetHistory(kind: DatasetKind): Promise<DatasetRow[]> {
    if (!(await ReferenceRepository.present(this.dataSource.manager))) return [];
    return ReferenceRepository.datasetHistory(this.dataSource.manager, kind);
  }

  private async replaceDataset(caller: Principal, kind: DatasetKind, content: unknown, reason: string, summary: Record<string, unknown>): Promise<DatasetRow> {
    const row = await inTransaction(this.dataSource, async (manager) => {
      await ReferenceRepository.lockCurrentDataset(manager, kind);
      const id = await ReferenceRepository.replaceDataset(manager, {
        kind,
        content,
        validFrom: this.clock.today(),
        validTo: null,
        recordedAt: this.clock.now(),
        recordedBy: caller.sub,
        reason,
      });
      await this.audit.record(
        { actor: caller, action: `correction.reference.${kind.toLowerCase().replace(/_/g, '-')}.set`, entityType: 'ReferenceDataset', entityId: String(id), details: { kind, revision: id, reason, ...summary } },
        manager,
      );
      return (await ReferenceRepository.datasetHistory(manager, kind)).find((d) => d.id === id) as DatasetRow;
    });
    await this.reload();
    return row;
  }
}

/** A holiday table as staff read it: the table, where it stands, and who recorded it (null: the shipped file, not seeded). */
export interface HolidayTableView {
  year: number;
  status: HolidayTableStatus;
  holidays: LocalDate[];
  workingWeekends: LocalDate[];
  source: string | null;
  current: boolean;
  revision: number | null;
  validFrom: LocalDate;
  validTo: LocalDate;
  recordedAt: Date | null;
  recordedBy: string | null;
  reason: string | null;
  supersededAt: Date | null;
}

function viewOf(year: number, t: StoredHolidayTable, r: HolidayTableRow | undefined): HolidayTableView {
  return {
    year,
    status: t.status,
    holidays: t.holidays,
    workingWeekends: t.workingWeekends,
    source: t.source ?? null,
    current: r ? r.supersededAt === null : true,
    revision: r?.id ?? null,
    validFrom: `${year}-01-01`,
    validTo: `${year}-12-31`,
    recordedAt: r?.recordedAt ?? null,
    recordedBy: r?.recordedBy ?? null,
    reason: r?.reason ?? null,
    supersededAt: r?.supersededAt ?? null,
  };
}

function toTable(r: HolidayTableRow): StoredHolidayTable {
  return {
    year: r.year,
    status: r.status,
    holidays: r.holidays,
    workingWeekends: r.workingWeekends,
    ...(r.status === 'PROVISIONAL' ? { provisional: true } : {}),
    ...(r.source ? { source: r.source } : {}),
  };
}
