import { HOLIDAY_TABLE_FILES, HOLIDAYS_2027_PROVISIONAL, holidayTableFromFile } from '../calendar/holiday-tables';
import { DEFAULT_CALENDAR, WorkingDayCalendar, activeCalendar, addWorkingDays, setActiveCalendar } from '../calendar/working-day-calendar';
import { correctionReportDeadline } from '../deadlines/deadlines';
import { DomainError } from '../errors/domain-error';
import { SHIPPED_TOWNS, TOWNS, isTownCode, setTownRegistry, townName } from '../towns/towns';
import { COUNTY_AREA, SHIPPED_COUNTY_AREA, setCountyArea } from '../correction/geo';
import { correctionCentreTowns, setCorrectionCentres, validateCorrectionCentres } from './reference';

describe('reference data registries (issue 7 item 10)', () => {
  afterEach(() => {
    setActiveCalendar(undefined);
    setTownRegistry(undefined);
    setCountyArea(undefined);
    setCorrectionCentres(undefined);
  });

  describe(holidayTableFromFile.name, () => {
    it('CC-23: the shipped files expand to the tables (2026 National Day break 10-01…10-07, 2027 provisional)', () => {
      const [, y2026, y2027] = HOLIDAY_TABLE_FILES.map(holidayTableFromFile);
      expect(y2026.holidays).toEqual(expect.arrayContaining(['2026-10-01', '2026-10-04', '2026-10-07']));
      expect(y2026.holidays).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
      expect(y2026.provisional).toBeUndefined();
      expect(y2027).toEqual(HOLIDAYS_2027_PROVISIONAL);
      expect(y2027.provisional).toBe(true);
    });
  });

  describe(setActiveCalendar.name, () => {
    it('CC-23: a replaced 2027 table moves the deadlines computed without an explicit calendar', () => {
      // Judgment effective 2027-02-04: +10 days = Sunday 2027-02-14 → Monday 02-15 under the provisional table.
      expect(correctionReportDeadline('2027-02-04')).toBe('2027-02-15');
      const official = new WorkingDayCalendar([{ year: 2027, holidays: ['2027-02-14', '2027-02-15', '2027-02-16'], workingWeekends: [] }]);
      setActiveCalendar(official);
      expect(activeCalendar()).toBe(official);
      expect(correctionReportDeadline('2027-02-04')).toBe('2027-02-17');
      expect(addWorkingDays('2027-02-12', 1)).toBe('2027-02-17');
      setActiveCalendar(undefined);
      expect(activeCalendar()).toBe(DEFAULT_CALENDAR);
    });
  });

  describe(setTownRegistry.name, () => {
    it('a merged town closed with validTo is no longer a current code; its successor is', () => {
      const merged = SHIPPED_TOWNS.map((t) => (t.code === '112' ? { ...t, validTo: '2026-12-31' } : t));
      setTownRegistry([...merged, { code: '113', name: '新祝塘镇', nameEn: 'New Zhutang Town', kind: 'TOWN', validFrom: '2027-01-01' }]);
      expect(isTownCode('112')).toBe(false);
      expect(isTownCode('112', '2026-06-01')).toBe(true);
      expect(isTownCode('113')).toBe(true);
      expect(townName('113')).toBe('新祝塘镇');
      expect(TOWNS).toHaveLength(SHIPPED_TOWNS.length + 1);
    });

    it('refuses a list with a code in force twice or a bad date, and keeps the old one', () => {
      expect(() => setTownRegistry([...SHIPPED_TOWNS, { ...SHIPPED_TOWNS[0] }])).toThrow(DomainError);
      expect(() => setTownRegistry([{ ...SHIPPED_TOWNS[0], validFrom: '2022-13-01' }])).toThrow(/validFrom/);
      expect(TOWNS).toBe(SHIPPED_TOWNS);
    });
  });

  describe(setCorrectionCentres.name, () => {
    it('K-CC7: a centre counts from its validFrom to its validTo', () => {
      setCorrectionCentres([{ town: '104', validFrom: '2026-07-01' }, { town: '107', validFrom: '2025-01-01', validTo: '2026-05-31' }]);
      expect([...correctionCentreTowns('2026-06-30')]).toEqual([]);
      expect([...correctionCentreTowns('2026-07-01')]).toEqual(['104']);
      expect([...correctionCentreTowns('2026-01-01')]).toEqual(['107']);
      expect(() => validateCorrectionCentres([{ town: '999', validFrom: '2026-01-01' }], isTownCode)).toThrow(/unknown town code/);
    });
  });

  describe(setCountyArea.name, () => {
    it('CC-12: the county boundary in force is replaceable and restorable', () => {
      const box = [{ lat: 31, lng: 120 }, { lat: 31, lng: 121 }, { lat: 32, lng: 121 }];
      setCountyArea(box);
      expect(COUNTY_AREA).toEqual(box);
      setCountyArea(undefined);
      expect(COUNTY_AREA).toBe(SHIPPED_COUNTY_AREA);
    });
  });
});
