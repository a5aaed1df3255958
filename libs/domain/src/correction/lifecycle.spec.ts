import { CorrectionStatus } from '../enums/correction-status';
import { SentenceType } from '../enums/sentence-type';
import { DomainError, DomainErrorCode } from '../errors/domain-error';
import {
  CORRECTION_DOCUMENT_TYPE_LABELS,
  CorrectionDocumentType,
  DISCHARGE_REASON_LABELS,
  DischargeReason,
  INTAKE_ITEMS,
  INTAKE_ITEM_LABELS,
  IntakeItem,
  TERMINATION_REASON_LABELS,
  TerminationReason,
  assertCanActivate,
  assertDateWithin,
  assertDischargeDate,
  assertTerminationFits,
  endReasonLabel,
  missingDeliveryDocuments,
  missingIntakeItems,
  reportDaysLate,
  requiredDeliveryDocuments,
} from './lifecycle';

const CJK = /[\u4e00-\u9fff]/;

function errorOf(fn: () => void): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('correction lifecycle rules', () => {
  it.each<[string, Record<string, string>, Record<string, string>]>([
    ['CorrectionDocumentType', CorrectionDocumentType, CORRECTION_DOCUMENT_TYPE_LABELS],
    ['IntakeItem', IntakeItem, INTAKE_ITEM_LABELS],
    ['DischargeReason', DischargeReason, DISCHARGE_REASON_LABELS],
    ['TerminationReason', TerminationReason, TERMINATION_REASON_LABELS],
  ])('%s: every value has a Chinese label', (_name, values, labels) => {
    for (const v of Object.values(values)) expect(labels[v]).toMatch(CJK);
  });

  describe(requiredDeliveryDocuments.name, () => {
    it('CC-3: judgment and execution notice for probation and control', () => {
      expect(requiredDeliveryDocuments(SentenceType.PROBATION)).toEqual([CorrectionDocumentType.JUDGMENT, CorrectionDocumentType.EXECUTION_NOTICE]);
      expect(requiredDeliveryDocuments(SentenceType.CONTROL)).toEqual([CorrectionDocumentType.JUDGMENT, CorrectionDocumentType.EXECUTION_NOTICE]);
    });
    it('CC-3: parole adds the ruling and the parole certificate; 暂予监外执行 the decision', () => {
      expect(requiredDeliveryDocuments(SentenceType.PAROLE)).toContain(CorrectionDocumentType.RULING);
      expect(requiredDeliveryDocuments(SentenceType.PAROLE)).toContain(CorrectionDocumentType.PAROLE_CERTIFICATE);
      expect(requiredDeliveryDocuments(SentenceType.TEMPORARY_OUTSIDE_EXECUTION)).toContain(CorrectionDocumentType.DECISION);
    });
    it('CC-3: missing documents are those required and not delivered', () => {
      expect(missingDeliveryDocuments(SentenceType.PROBATION, ['JUDGMENT', 'INDICTMENT'])).toEqual([CorrectionDocumentType.EXECUTION_NOTICE]);
      expect(missingDeliveryDocuments(SentenceType.PROBATION, ['JUDGMENT', 'EXECUTION_NOTICE'])).toEqual([]);
    });
  });

  describe(reportDaysLate.name, () => {
    it('CC-4: 0 on or before the deadline, else the days after it', () => {
      expect(reportDaysLate('2026-11-30', '2026-11-25')).toBe(0);
      expect(reportDaysLate('2026-11-30', '2026-11-30')).toBe(0);
      expect(reportDaysLate('2026-11-30', '2026-12-01')).toBe(1);
      expect(reportDaysLate('2026-11-30', '2026-12-15')).toBe(15);
    });
  });

  describe(assertCanActivate.name, () => {
    const all = [...INTAKE_ITEMS];
    it('CC-5: passes when reported and every item is done', () => {
      expect(() => assertCanActivate({ status: CorrectionStatus.PENDING_REPORT, reportedOn: '2026-11-25', intakeDone: all })).not.toThrow();
    });
    it('CC-5: lists the missing items and the missing report-in', () => {
      const e = errorOf(() => assertCanActivate({ status: CorrectionStatus.PENDING_REPORT, reportedOn: null, intakeDone: ['REGISTERED'] }));
      expect(e.code).toBe(DomainErrorCode.ILLEGAL_TRANSITION);
      expect(e.details).toEqual({ missingItems: missingIntakeItems(['REGISTERED']), reported: false });
      expect(e.message).toContain('ANNOUNCEMENT_MADE');
      expect(e.message).toContain('入矫宣告');
    });
    it('CC-5: one missing item is enough to refuse', () => {
      const e = errorOf(() =>
        assertCanActivate({ status: CorrectionStatus.PENDING_REPORT, reportedOn: '2026-11-25', intakeDone: all.filter((i) => i !== IntakeItem.ARCHIVE_OPENED) }),
      );
      expect(e.details).toEqual({ missingItems: [IntakeItem.ARCHIVE_OPENED], reported: true });
    });
    it('CC-2: an ACTIVE or ended subject cannot be activated', () => {
      for (const status of [CorrectionStatus.ACTIVE, CorrectionStatus.DISCHARGED, CorrectionStatus.TERMINATED]) {
        expect(errorOf(() => assertCanActivate({ status, reportedOn: '2026-11-25', intakeDone: all })).code).toBe(DomainErrorCode.ILLEGAL_TRANSITION);
      }
    });
  });

  describe(assertDischargeDate.name, () => {
    it('CC-2: EXPIRED not before the last day of correction; PARDONED any time', () => {
      expect(errorOf(() => assertDischargeDate(DischargeReason.EXPIRED, '2027-11-18', '2027-11-19')).code).toBe(DomainErrorCode.ILLEGAL_TRANSITION);
      expect(() => assertDischargeDate(DischargeReason.EXPIRED, '2027-11-19', '2027-11-19')).not.toThrow();
      expect(() => assertDischargeDate(DischargeReason.PARDONED, '2027-01-01', '2027-11-19')).not.toThrow();
    });
  });

  describe(assertDateWithin.name, () => {
    it('refuses a future date and one before the lower bound', () => {
      expect(errorOf(() => assertDateWithin('2026-12-02', 'on', null, '2026-12-01', 'x')).code).toBe(DomainErrorCode.DATE_INVALID);
      expect(errorOf(() => assertDateWithin('2026-11-01', 'on', '2026-11-20', '2026-12-01', 'x')).field).toBe('on');
      expect(() => assertDateWithin('2026-12-01', 'on', '2026-12-01', '2026-12-01', 'x')).not.toThrow();
    });
  });

  it('endReasonLabel labels both kinds of reason', () => {
    expect(endReasonLabel('EXPIRED')).toBe('矫正期满');
    expect(endReasonLabel('DECEASED')).toBe('死亡');
    expect(endReasonLabel(null)).toBeUndefined();
  });
});

describe('assertTerminationFits (CC-2, issue 7 item 4)', () => {
  it.each([
    [SentenceType.CONTROL, TerminationReason.REVOKED, false],
    [SentenceType.CONTROL, TerminationReason.COMMITTED, true],
    [SentenceType.PROBATION, TerminationReason.REVOKED, true],
    [SentenceType.PROBATION, TerminationReason.COMMITTED, false],
    [SentenceType.PAROLE, TerminationReason.REVOKED, true],
    [SentenceType.TEMPORARY_OUTSIDE_EXECUTION, TerminationReason.COMMITTED, true],
    [SentenceType.TEMPORARY_OUTSIDE_EXECUTION, TerminationReason.REVOKED, false],
    [SentenceType.CONTROL, TerminationReason.DECEASED, true],
  ])('CC-2: %s ended as %s → allowed %s (no REVOKED for 管制)', (sentence, reason, ok) => {
    const run = () => assertTerminationFits(sentence, reason);
    if (ok) expect(run).not.toThrow();
    else expect(run).toThrow(DomainError);
  });

  it('CC-2: a new offence is never a ground of DECEASED', () => {
    expect(() => assertTerminationFits(SentenceType.PROBATION, TerminationReason.DECEASED, true)).toThrow(DomainError);
    expect(() => assertTerminationFits(SentenceType.PROBATION, TerminationReason.REVOKED, true)).not.toThrow();
  });
});
