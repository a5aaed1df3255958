import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HOLIDAY_TABLES, WorkingDayCalendar, setActiveCalendar, setTownRegistry, type HolidayTable, type Town } from '@homeward/domain';
import { APP_CONFIG } from '../config/config.module';

/**
 * Issue 7 item 10: an app that does not own the reference data (alerts, resettlement, aftercare,
 * identity) reads what community-correction keeps in the `reference` schema (SELECT for every app
 * role), so its working days (AL-2's "3 working days", the resettlement and aftercare deadlines) and
 * its towns (validation, CC-10's month-end towns) are the ones in force — a CITY_ADMIN's change
 * included — not only the shipped files. Loaded at boot and again when the revision moved (every
 * REFERENCE_RELOAD_SECONDS, default 60). Without the schema (a database where community-correction
 * has not migrated, e.g. an app's own medium tests) the shipped files stay.
 */
@Injectable()
export class ReferenceLoader implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ReferenceLoader.name);
  private revision: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: { REFERENCE_RELOAD_SECONDS?: number },
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload().catch((e: unknown) => this.logger.warn(`reference data not loaded (shipped files in use): ${(e as Error).message}`));
    this.timer = setInterval(() => {
      this.reload().catch((e: unknown) => this.logger.warn(`reference data reload failed: ${(e as Error).message}`));
    }, (this.config.REFERENCE_RELOAD_SECONDS ?? 60) * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    setActiveCalendar(undefined);
    setTownRegistry(undefined);
  }

  /** Loads the reference data when it changed; true when the registries were set from the database. */
  async reload(): Promise<boolean> {
    const [{ present }] = await this.dataSource.query(`SELECT to_regclass('reference.holiday_tables') IS NOT NULL AS present`);
    if (!present) return false;
    const [{ revision }] = await this.dataSource.query(
      `SELECT (SELECT coalesce(max(id), 0) FROM reference.holiday_tables)::text || '.' || (SELECT coalesce(max(id), 0) FROM reference.datasets)::text AS revision`,
    );
    if (revision === this.revision) return false;
    const rows: Array<{ year: number; status: string; holidays: string[]; working_weekends: string[] }> = await this.dataSource.query(
      `SELECT year, status, holidays, working_weekends FROM reference.holiday_tables WHERE superseded_at IS NULL`,
    );
    const byYear = new Map<number, HolidayTable>(HOLIDAY_TABLES.map((t) => [t.year, t]));
    for (const r of rows) {
      byYear.set(r.year, { year: r.year, holidays: r.holidays, workingWeekends: r.working_weekends, ...(r.status === 'PROVISIONAL' ? { provisional: true } : {}) });
    }
    setActiveCalendar(new WorkingDayCalendar([...byYear.values()]));
    const [towns] = await this.dataSource.query(`SELECT content FROM reference.datasets WHERE kind = 'TOWNS' AND superseded_at IS NULL`);
    if (towns) setTownRegistry((towns.content as { towns: Town[] }).towns);
    this.revision = revision;
    return true;
  }
}
