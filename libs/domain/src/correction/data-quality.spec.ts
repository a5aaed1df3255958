import { DataRecordType, DATA_RECORD_TYPE_LABELS, assessDataRecord, dataEntryDeadline } from './data-quality';

describe('CC-29 data quality', () => {
  describe(dataEntryDeadline.name, () => {
    it('CC-29: 3 working days after the event, the event day not counted, skipping the weekend', () => {
      // Thursday 2026-11-19 → Mon 23, Tue 24 → Tuesday 2026-11-24
      expect(dataEntryDeadline('2026-11-19')).toBe('2026-11-24');
      expect(dataEntryDeadline('2026-11-19', 1)).toBe('2026-11-20');
    });
  });

  describe(assessDataRecord.name, () => {
    it('CC-29: entered on the deadline is on time, a day later is not; missing fields and corrections count', () => {
      const base = { eventDate: '2026-11-19', missingFields: [], corrected: false };
      expect(assessDataRecord({ ...base, enteredOn: '2026-11-24' })).toEqual({ dueOn: '2026-11-24', onTime: true, complete: true, accurate: true });
      expect(assessDataRecord({ ...base, enteredOn: '2026-11-25' }).onTime).toBe(false);
      expect(assessDataRecord({ ...base, enteredOn: '2026-11-20', missingFields: ['faceMatch'] }).complete).toBe(false);
      expect(assessDataRecord({ ...base, enteredOn: '2026-11-20', corrected: true }).accurate).toBe(false);
    });

    it("CC-29: a record with a deadline of its own (the enrolment's CC-3 notice) is measured against it", () => {
      expect(assessDataRecord({ eventDate: '2026-11-10', enteredOn: '2026-11-17', dueOn: '2026-11-16', missingFields: [], corrected: false }).onTime).toBe(false);
    });
  });

  it('every record type has a bilingual label', () => {
    for (const t of Object.values(DataRecordType)) expect(DATA_RECORD_TYPE_LABELS[t]).toMatch(/[a-z].* \/ [\u4e00-\u9fff]/);
  });
});
