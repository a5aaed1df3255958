import type { DataSource } from 'typeorm';
import { parseGeoJsonPolygon, validateTowns } from '@homeward/domain';
import { ReferenceRepository } from './reference/reference.repository';
import { shippedReference } from './reference/reference-files';

/** Who recorded a seeded row (reference.*.recorded_by). */
export const SEED_ACTOR = 'seed';

/**
 * Issue 7 item 10: loads the reference files shipped in `libs/domain/src/reference/` into the
 * `reference` schema (CLI `npm run cli -- seed`, as the migrator). Idempotent: a year or dataset that
 * already has a current row is left as it is — a CITY_ADMIN's change (staff GraphQL) is never
 * overwritten, and a second run seeds nothing. Returns what was seeded, one line per item.
 */
export async function seed(dataSource: DataSource): Promise<string[]> {
  const shipped = shippedReference();
  // Validate before writing anything: a bad file stops the seed with the reason.
  validateTowns(shipped.towns);
  parseGeoJsonPolygon(shipped.countyBoundary);
  return dataSource.transaction(async (m) => {
    await m.query(`LOCK TABLE reference.holiday_tables, reference.datasets IN SHARE ROW EXCLUSIVE MODE`);
    const now = new Date();
    const done: string[] = [];
    const years = new Set((await ReferenceRepository.currentHolidayTables(m)).map((t) => t.year));
    for (const t of shipped.holidayTables) {
      if (years.has(t.year)) continue;
      await ReferenceRepository.replaceHolidayTable(m, {
        year: t.year,
        status: t.status,
        holidays: t.holidays,
        workingWeekends: t.workingWeekends,
        source: t.source ?? null,
        recordedAt: now,
        recordedBy: SEED_ACTOR,
        reason: 'seeded from the shipped reference file / 由参考数据文件导入',
      });
      done.push(`holiday table ${t.year} (${t.status})`);
    }
    const kinds = new Set((await ReferenceRepository.currentDatasets(m)).map((d) => d.kind));
    const datasets = [
      { kind: 'TOWNS' as const, content: { towns: shipped.towns }, validFrom: '2022-01-01', label: `${shipped.towns.length} towns` },
      { kind: 'CORRECTION_CENTRES' as const, content: { centres: shipped.centres }, validFrom: '2022-01-01', label: `${shipped.centres.length} correction centres` },
      { kind: 'COUNTY_BOUNDARY' as const, content: shipped.countyBoundary, validFrom: '2022-01-01', label: 'the county boundary' },
    ];
    for (const d of datasets) {
      if (kinds.has(d.kind)) continue;
      await ReferenceRepository.replaceDataset(m, {
        kind: d.kind,
        content: d.content,
        validFrom: d.validFrom,
        validTo: null,
        recordedAt: now,
        recordedBy: SEED_ACTOR,
        reason: 'seeded from the shipped reference file / 由参考数据文件导入',
      });
      done.push(d.label);
    }
    return done;
  });
}
