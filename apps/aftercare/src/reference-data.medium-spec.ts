/**
 * Issue 7 item 10 in aftercare: the holiday tables (and towns) in force are community-correction's
 * reference schema, a CITY_ADMIN's change included — read with this app's own database role — not only
 * the files shipped with the code. Real PostgreSQL + Redis.
 */
import { activeCalendar } from '@homeward/domain';
import { FixedClock, ReferenceLoader } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, storeOfficialHolidayTable, testRedisPrefix } from '@homeward/testing';
import { AppModule } from './app.module';
import { AftercareConfig } from './config';

jest.setTimeout(60_000);

describe('aftercare reads the reference data in force (real PostgreSQL)', () => {
  let svc: ServiceApp<AftercareConfig>;

  beforeAll(async () => {
    svc = await bootServiceApp({ name: 'aftercare', appModule: (o) => AppModule.forRoot(o), config: AftercareConfig, keys: new TestKeys(), clock: new FixedClock(new Date('2031-05-20T02:00:00Z')), prefix: testRedisPrefix('aftercare-ref') });
  });
  afterAll(async () => svc?.close());

  it('a holiday table stored by the city (2031: Monday 2 June a holiday) is the calendar this app counts working days with', async () => {
    expect(activeCalendar().isWorkingDay('2031-06-02')).toBe(true);
    await storeOfficialHolidayTable(svc.db.url, { year: 2031, holidays: ['2031-06-02'] });
    const loader = svc.app.get(ReferenceLoader);
    expect(await loader.reload()).toBe(true);
    expect(activeCalendar().isWorkingDay('2031-06-02')).toBe(false);
    expect(await loader.reload()).toBe(false); // nothing changed since
  });
});
