import { compareLocalDate, type LocalDate } from '../calendar/local-date';
import { activeCalendar, type WorkingDayCalendar } from '../calendar/working-day-calendar';

/**
 * CC-29 (信息数据采集录入的及时性、完整性、准确性): the record types whose entry is measured. Each has an
 * event date, required fields, and an entry deadline after the event (cfg: 3 working days), except
 * the enrolment, whose deadline is CC-3's notice deadline.
 */
export enum DataRecordType {
  ENROLMENT = 'ENROLMENT',
  CHECK_IN = 'CHECK_IN',
  ACTIVITY_HOURS = 'ACTIVITY_HOURS',
  SANCTION = 'SANCTION',
  SUPERVISION_LEVEL = 'SUPERVISION_LEVEL',
  ABSCONDING = 'ABSCONDING',
  ASSISTANCE_NEED = 'ASSISTANCE_NEED',
  DISPUTE = 'DISPUTE',
}

export const DATA_RECORD_TYPE_LABELS: Record<DataRecordType, string> = {
  [DataRecordType.ENROLMENT]: 'enrolment / 入矫登记',
  [DataRecordType.CHECK_IN]: 'check-in / 报告',
  [DataRecordType.ACTIVITY_HOURS]: 'education or community service hours / 教育学习、公益活动',
  [DataRecordType.SANCTION]: 'sanction / 奖惩',
  [DataRecordType.SUPERVISION_LEVEL]: 'supervision level / 管理等级',
  [DataRecordType.ABSCONDING]: 'lost contact / 脱管',
  [DataRecordType.ASSISTANCE_NEED]: 'assistance need / 帮扶需求',
  [DataRecordType.DISPUTE]: 'dispute / 矛盾纠纷',
};

/** CC-29 *(cfg)*: working days after its event within which a record must be entered. */
export const DATA_ENTRY_WORKING_DAYS = 3;

/** CC-29: the last day to enter a record whose event happened on `eventDate` (the event day not counted). */
export function dataEntryDeadline(eventDate: LocalDate, workingDays = DATA_ENTRY_WORKING_DAYS, cal: WorkingDayCalendar = activeCalendar()): LocalDate {
  return cal.addWorkingDays(eventDate, workingDays);
}

/** What is known of one entered record. */
export interface DataRecordFacts {
  eventDate: LocalDate;
  enteredOn: LocalDate;
  /** A deadline of its own (the enrolment's CC-3 notice deadline); otherwise dataEntryDeadline. */
  dueOn?: LocalDate | null;
  /** Required fields left empty at entry. */
  missingFields: readonly string[];
  /** Corrected after entry. */
  corrected: boolean;
}

export interface DataRecordAssessment {
  dueOn: LocalDate;
  onTime: boolean;
  complete: boolean;
  accurate: boolean;
}

/** CC-29: on time (entered by its deadline), complete (no required field missing), accurate (never corrected). */
export function assessDataRecord(f: DataRecordFacts, workingDays = DATA_ENTRY_WORKING_DAYS, cal: WorkingDayCalendar = activeCalendar()): DataRecordAssessment {
  const dueOn = f.dueOn ?? dataEntryDeadline(f.eventDate, workingDays, cal);
  return { dueOn, onTime: compareLocalDate(f.enteredOn, dueOn) <= 0, complete: f.missingFields.length === 0, accurate: !f.corrected };
}
