import { DataSource } from 'typeorm';
import { createReferenceSchema } from '@homeward/platform';

/**
 * For an app's medium test: the `reference` schema community-correction's migration makes, with one
 * OFFICIAL holiday table stored as a CITY_ADMIN would (issue 7 item 10), in the test database at `url`
 * (as the migrator). The app's ReferenceLoader then reads it with the app's own role.
 */
export async function storeOfficialHolidayTable(url: string, table: { year: number; holidays: string[]; workingWeekends?: string[] }): Promise<void> {
  const migrator = new DataSource({ type: 'postgres', url });
  await migrator.initialize();
  try {
    const runner = migrator.createQueryRunner();
    await createReferenceSchema(runner);
    await runner.release();
    await migrator.query(
      `INSERT INTO reference.holiday_tables (year, status, holidays, working_weekends, valid_from, valid_to, recorded_at, recorded_by)
       VALUES ($1, 'OFFICIAL', $2::jsonb, $3::jsonb, make_date($1, 1, 1), make_date($1, 12, 31), now(), 'test')`,
      [table.year, JSON.stringify(table.holidays), JSON.stringify(table.workingWeekends ?? [])],
    );
  } finally {
    await migrator.destroy();
  }
}
