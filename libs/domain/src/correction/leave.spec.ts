import { DomainErrorCode } from '../errors/domain-error';
import { LeaveApprovalLevel, LeaveKind, LeaveStatus, assertLeaveTransition, leaveDays, requiredLeaveApprovalLevel } from './leave';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('leave (CC-13)', () => {
  it('counts both ends', () => {
    expect(leaveDays('2026-12-01', '2026-12-07')).toBe(7);
    expect(leaveDays('2026-12-01', '2026-12-01')).toBe(1);
  });

  describe(requiredLeaveApprovalLevel.name, () => {
    it('CC-13: up to 7 days → the justice office; 8 days → the county bureau', () => {
      expect(requiredLeaveApprovalLevel(LeaveKind.LEAVE, '2026-12-01', '2026-12-07')).toBe(LeaveApprovalLevel.JUSTICE_OFFICE);
      expect(requiredLeaveApprovalLevel(LeaveKind.LEAVE, '2026-12-01', '2026-12-08')).toBe(LeaveApprovalLevel.COUNTY_BUREAU);
    });

    it('CC-13: one approval at most 30 days (cfg): 30 accepted, 31 refused; a shorter configured maximum applies', () => {
      expect(requiredLeaveApprovalLevel(LeaveKind.LEAVE, '2026-12-01', '2026-12-30')).toBe(LeaveApprovalLevel.COUNTY_BUREAU);
      expect(codeOf(() => requiredLeaveApprovalLevel(LeaveKind.LEAVE, '2026-12-01', '2026-12-31'))).toBe(DomainErrorCode.VALIDATION_FAILED);
      expect(codeOf(() => requiredLeaveApprovalLevel(LeaveKind.LEAVE, '2026-12-01', '2026-12-21', 20))).toBe(DomainErrorCode.VALIDATION_FAILED);
    });

    it('CC-13: a change of residence is always for the county bureau', () => {
      expect(requiredLeaveApprovalLevel(LeaveKind.RESIDENCE_CHANGE, '2026-12-01', '2026-12-01')).toBe(LeaveApprovalLevel.COUNTY_BUREAU);
    });

    it('refuses an end before the start', () => {
      expect(codeOf(() => requiredLeaveApprovalLevel(LeaveKind.LEAVE, '2026-12-02', '2026-12-01'))).toBe(DomainErrorCode.DATE_RANGE_INVALID);
    });
  });

  it('allows REQUESTED → APPROVED → RETURNED and refuses the rest', () => {
    expect(() => assertLeaveTransition(LeaveStatus.REQUESTED, LeaveStatus.APPROVED)).not.toThrow();
    expect(() => assertLeaveTransition(LeaveStatus.APPROVED, LeaveStatus.RETURNED)).not.toThrow();
    expect(codeOf(() => assertLeaveTransition(LeaveStatus.REQUESTED, LeaveStatus.RETURNED))).toBe(DomainErrorCode.ILLEGAL_TRANSITION);
    expect(codeOf(() => assertLeaveTransition(LeaveStatus.REJECTED, LeaveStatus.APPROVED))).toBe(DomainErrorCode.ILLEGAL_TRANSITION);
  });
});
