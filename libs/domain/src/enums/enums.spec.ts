import { DomainError, DomainErrorCode } from '../errors/domain-error';
import { AGENCY_KIND_LABELS, AgencyKind } from './agency-kind';
import { ALERT_STATE_LABELS, AlertState } from './alert-state';
import {
  CORRECTION_STATUS_LABELS,
  CorrectionStatus,
  assertCorrectionTransition,
  canTransitionCorrection,
} from './correction-status';
import { GENDER_LABELS, Gender } from './gender';
import { ENUM_LABELS, enumEntries, labelOf } from './labels';
import { RISK_COLOUR_LABELS, RISK_COLOUR_ORDER, RiskColour, compareRiskColour, maxColour, raiseColour } from './risk-colour';
import { ROLES_REQUIRING_TOTP, ROLE_LABELS, Role, requiresTotp } from './role';
import { SENTENCE_TYPE_LABELS, SentenceType, isSentenceType, parseSentenceType } from './sentence-type';
import { SUPERVISION_LEVEL_LABELS, SupervisionLevel } from './supervision-level';

const CJK = /[\u4e00-\u9fff]/;

describe('enums', () => {
  it.each<[string, Record<string, string>, Record<string, string>]>([
    ['Role', Role, ROLE_LABELS],
    ['AgencyKind', AgencyKind, AGENCY_KIND_LABELS],
    ['Gender', Gender, GENDER_LABELS],
    ['RiskColour', RiskColour, RISK_COLOUR_LABELS],
    ['SentenceType', SentenceType, SENTENCE_TYPE_LABELS],
    ['CorrectionStatus', CorrectionStatus, CORRECTION_STATUS_LABELS],
    ['AlertState', AlertState, ALERT_STATE_LABELS],
    ['SupervisionLevel', SupervisionLevel, SUPERVISION_LEVEL_LABELS],
  ])('%s: values equal keys, every value has a Chinese label, ENUM_LABELS holds it', (name, values, labels) => {
    for (const [k, v] of Object.entries(values)) expect(k).toBe(v);
    expect(Object.keys(labels).sort()).toEqual(Object.values(values).sort());
    for (const label of Object.values(labels)) expect(label).toMatch(CJK);
    expect(ENUM_LABELS[name as keyof typeof ENUM_LABELS]).toBe(labels);
  });

  it('has exactly the listed members', () => {
    expect(Object.values(Role)).toEqual([
      'CITY_ADMIN',
      'TOWN_OFFICER',
      'SOCIAL_WORKER',
      'AUDITOR',
      'SECURITY_ADMIN',
      'SYSTEM_ADMIN',
      'PARTNER',
      'SUBJECT',
      'TEAM_MEMBER',
    ]);
    expect(Object.values(AgencyKind)).toEqual(['COURT', 'PROCURATORATE', 'POLICE', 'PRISON', 'REHAB_CENTRE', 'MONITORING_PLATFORM']);
    expect(Object.values(CorrectionStatus)).toEqual(['PENDING_REPORT', 'ACTIVE', 'DISCHARGED', 'TERMINATED', 'TRANSFERRED_OUT']);
    expect(Object.values(AlertState)).toEqual(['OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'ESCALATED']);
    expect(Object.values(SupervisionLevel)).toEqual(['STRICT', 'ORDINARY', 'LENIENT']);
  });

  describe('Role', () => {
    it('TOTP is required for CITY_ADMIN, SECURITY_ADMIN, SYSTEM_ADMIN and AUDITOR only', () => {
      expect([...ROLES_REQUIRING_TOTP].sort()).toEqual(['AUDITOR', 'CITY_ADMIN', 'SECURITY_ADMIN', 'SYSTEM_ADMIN']);
      expect(requiresTotp([Role.TOWN_OFFICER, Role.AUDITOR])).toBe(true);
      expect(requiresTotp([Role.TOWN_OFFICER, Role.SOCIAL_WORKER])).toBe(false);
      expect(requiresTotp([])).toBe(false);
    });
  });

  describe('RiskColour', () => {
    it('orders BLUE < YELLOW < ORANGE < RED', () => {
      expect(RISK_COLOUR_ORDER).toEqual([RiskColour.BLUE, RiskColour.YELLOW, RiskColour.ORANGE, RiskColour.RED]);
      expect(compareRiskColour(RiskColour.RED, RiskColour.ORANGE)).toBeGreaterThan(0);
      expect(compareRiskColour(RiskColour.BLUE, RiskColour.YELLOW)).toBeLessThan(0);
      expect(maxColour(RiskColour.YELLOW, RiskColour.ORANGE)).toBe(RiskColour.ORANGE);
    });

    it.each([
      [RiskColour.BLUE, RiskColour.YELLOW],
      [RiskColour.YELLOW, RiskColour.ORANGE],
      [RiskColour.ORANGE, RiskColour.RED],
      [RiskColour.RED, RiskColour.RED],
    ])('AL-4 raiseColour(%s) = %s', (from, to) => {
      expect(raiseColour(from)).toBe(to);
    });

    it('raiseColour refuses an unknown colour', () => {
      expect(() => raiseColour('PURPLE' as RiskColour)).toThrow(RangeError);
    });
  });

  describe('SentenceType (CC-1)', () => {
    it('has exactly 管制, 缓刑, 假释, 暂予监外执行', () => {
      expect(SENTENCE_TYPE_LABELS).toEqual({
        CONTROL: '管制',
        PROBATION: '缓刑',
        PAROLE: '假释',
        TEMPORARY_OUTSIDE_EXECUTION: '暂予监外执行',
      });
    });

    it.each(['PROBATION', 'TEMPORARY_OUTSIDE_EXECUTION'])('CC-1 accepts %s', (v) => {
      expect(isSentenceType(v)).toBe(true);
      expect(parseSentenceType(v)).toBe(v);
    });

    it.each(['probation', 'DEATH_PENALTY', '', 'toString', 3, null, undefined])('CC-1 rejects %j with SENTENCE_TYPE_INVALID', (v) => {
      expect(isSentenceType(v)).toBe(false);
      try {
        parseSentenceType(v);
        throw new Error('not rejected');
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).code).toBe(DomainErrorCode.SENTENCE_TYPE_INVALID);
        expect((e as DomainError).field).toBe('sentenceType');
      }
    });
  });

  describe('CorrectionStatus transitions (CC-2)', () => {
    it.each([
      [CorrectionStatus.PENDING_REPORT, CorrectionStatus.ACTIVE, true],
      [CorrectionStatus.PENDING_REPORT, CorrectionStatus.TERMINATED, true],
      [CorrectionStatus.ACTIVE, CorrectionStatus.DISCHARGED, true],
      [CorrectionStatus.ACTIVE, CorrectionStatus.TERMINATED, true],
      [CorrectionStatus.PENDING_REPORT, CorrectionStatus.DISCHARGED, false],
      [CorrectionStatus.ACTIVE, CorrectionStatus.PENDING_REPORT, false],
      [CorrectionStatus.DISCHARGED, CorrectionStatus.ACTIVE, false],
      [CorrectionStatus.TERMINATED, CorrectionStatus.ACTIVE, false],
      [CorrectionStatus.ACTIVE, CorrectionStatus.ACTIVE, false],
    ])('CC-2 %s → %s allowed: %s', (from, to, allowed) => {
      expect(canTransitionCorrection(from, to)).toBe(allowed);
      if (allowed) {
        expect(() => assertCorrectionTransition(from, to)).not.toThrow();
      } else {
        expect(() => assertCorrectionTransition(from, to)).toThrow(
          expect.objectContaining({ code: DomainErrorCode.ILLEGAL_TRANSITION }),
        );
      }
    });
  });

  describe(labelOf.name, () => {
    it('looks a label up by enum name and value', () => {
      expect(labelOf('SentenceType', 'PROBATION')).toBe('缓刑');
      expect(labelOf('RiskColour', 'RED')).toBe('红色');
      expect(labelOf('SupervisionLevel', 'STRICT')).toBe('严管');
      expect(labelOf('Nope', 'RED')).toBeUndefined();
      expect(labelOf('SentenceType', 'DEATH')).toBeUndefined();
      expect(labelOf('SentenceType', 'toString')).toBeUndefined();
      expect(labelOf('constructor', 'name')).toBeUndefined();
    });

    it('enumEntries lists value/label pairs in declaration order', () => {
      expect(enumEntries('Gender')).toEqual([
        { value: 'MALE', label: '男' },
        { value: 'FEMALE', label: '女' },
      ]);
    });
  });
});
