import { DomainErrorCode } from '../errors/domain-error';
import {
  MONITORING_GROUND_LABELS,
  MonitoringGround,
  monitoringExpiryWarningDate,
  parseMonitoringGround,
  validateMonitoringExtension,
  validateMonitoringPeriod,
} from './monitoring';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('monitoring (CC-12)', () => {
  it('CC-12: exactly five legal grounds, each with a Chinese label', () => {
    expect(Object.values(MonitoringGround)).toHaveLength(5);
    for (const g of Object.values(MonitoringGround)) expect(MONITORING_GROUND_LABELS[g]).toMatch(/[\u4e00-\u9fff]/);
    expect(parseMonitoringGround('PUBLIC_SECURITY_PENALTY')).toBe(MonitoringGround.PUBLIC_SECURITY_PENALTY);
    expect(codeOf(() => parseMonitoringGround('CURFEW'))).toBe(DomainErrorCode.VALIDATION_FAILED);
  });

  describe(validateMonitoringPeriod.name, () => {
    it('CC-12: accepts exactly 3 months (end inclusive) and refuses one day more', () => {
      expect(() => validateMonitoringPeriod('2026-11-20', '2027-02-19')).not.toThrow();
      expect(codeOf(() => validateMonitoringPeriod('2026-11-20', '2027-02-20'))).toBe(DomainErrorCode.VALIDATION_FAILED);
    });

    it('issue 7 item 8: at month ends the period runs to the month end: from 2026-11-30 the last day is 2027-02-28', () => {
      expect(() => validateMonitoringPeriod('2026-11-30', '2027-02-28')).not.toThrow();
      expect(codeOf(() => validateMonitoringPeriod('2026-11-30', '2027-03-01'))).toBe(DomainErrorCode.VALIDATION_FAILED);
    });

    it('refuses an end before the start, accepts a single day', () => {
      expect(codeOf(() => validateMonitoringPeriod('2026-11-20', '2026-11-19'))).toBe(DomainErrorCode.DATE_RANGE_INVALID);
      expect(() => validateMonitoringPeriod('2026-11-20', '2026-11-20')).not.toThrow();
    });
  });

  describe(validateMonitoringExtension.name, () => {
    it('CC-12: an extension of exactly 3 months from the day after the end is accepted, one day more is refused', () => {
      expect(() => validateMonitoringExtension('2027-02-19', '2027-05-19')).not.toThrow();
      expect(codeOf(() => validateMonitoringExtension('2027-02-19', '2027-05-20'))).toBe(DomainErrorCode.VALIDATION_FAILED);
    });

    it('an extension must end after the current end', () => {
      expect(codeOf(() => validateMonitoringExtension('2027-02-19', '2027-02-19'))).toBe(DomainErrorCode.DATE_RANGE_INVALID);
    });
  });

  it('CC-12: the expiry reminder falls 5 working days before the end, skipping the weekend', () => {
    // 2026-12-18 is a Friday, 2026-12-21 a Monday; no holidays in between.
    expect(monitoringExpiryWarningDate('2026-12-18', 5)).toBe('2026-12-11');
    expect(monitoringExpiryWarningDate('2026-12-21', 5)).toBe('2026-12-14');
  });
});
