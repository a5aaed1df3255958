import { DomainError } from '../errors';
import {
  DEFAULT_RESETTLEMENT_SETTINGS,
  DISPUTE_CATEGORY_LABELS,
  DisputeCategory,
  ASSISTANCE_MEASURE_KIND_LABELS,
  ASSISTANCE_TEAM_ROLE_LABELS,
  AssistanceMeasureKind,
  AssistanceTeamRole,
  EMPTY_RESETTLEMENT_COUNTS,
  FundMovementKind,
  KeyCategory,
  VerificationItem,
  VerificationResult,
  VideoVisitStatus,
  agreementMissing,
  assertAgreementParties,
  assertReleaseAfterNotice,
  assertVideoVisitDuration,
  assertVideoVisitMove,
  attributeReoffences,
  balanceAfter,
  canMoveVideoVisit,
  fiveYearReoffending,
  impliedKeyCategories,
  isKeyPerson,
  normaliseKeyCategories,
  releaseDeadlines,
  resettlementIndicators,
  sameYearReoffending,
  socialWorkersNeeded,
  verificationDue,
  verificationResult,
} from '.';

const allItems = (matches: Partial<Record<VerificationItem, boolean>> = {}) =>
  (Object.values(VerificationItem) as VerificationItem[]).map((item) => ({ item, matches: matches[item] ?? true }));

describe('RS-3 key-person categories', () => {
  it('RS-3: a person with no category is GENERAL, with any one a key person', () => {
    expect(isKeyPerson([])).toBe(false);
    expect(isKeyPerson([KeyCategory.POOR_CONDUCT])).toBe(true);
  });

  it('RS-3: all seven categories are known, stored once each in catalogue order; an unknown one is refused', () => {
    expect(Object.values(KeyCategory)).toHaveLength(7);
    expect(normaliseKeyCategories(['POOR_CONDUCT', 'NATIONAL_SECURITY', 'POOR_CONDUCT'])).toEqual([KeyCategory.NATIONAL_SECURITY, KeyCategory.POOR_CONDUCT]);
    expect(() => normaliseKeyCategories(['DANGEROUS'])).toThrow(/unknown key-person categories: DANGEROUS/);
  });

  it('RS-3: registered residence in another town than the actual one adds 人户分离', () => {
    expect(impliedKeyCategories({ registeredTown: '104', residenceTown: '001' }, [])).toEqual([KeyCategory.RESIDENCE_MISMATCH]);
    expect(impliedKeyCategories({ registeredTown: '104', residenceTown: '104' }, [])).toEqual([]);
    expect(impliedKeyCategories({ residenceTown: '104' }, [KeyCategory.SERIOUS_ILLNESS])).toEqual([KeyCategory.SERIOUS_ILLNESS]);
  });
});

describe('RS-2 verification', () => {
  it('RS-2: all four items matching → VERIFIED; any one off → DISCREPANCY', () => {
    expect(verificationResult(allItems())).toBe(VerificationResult.VERIFIED);
    expect(verificationResult(allItems({ [VerificationItem.FAMILY]: false }))).toBe(VerificationResult.DISCREPANCY);
  });

  it('RS-2: a verification that skips an item is refused, naming it', () => {
    const partial = allItems().filter((i) => i.item !== VerificationItem.IDENTITY);
    expect(() => verificationResult(partial)).toThrow(/IDENTITY/);
  });

  it('RS-2 / AL-3: verification and receipt are due 7 days before the expected release', () => {
    expect(verificationDue('2027-03-01')).toBe('2027-02-22');
  });

  it('RS-1: an expected release before the notice is refused', () => {
    expect(() => assertReleaseAfterNotice('2027-01-01', '2027-01-02')).toThrow(DomainError);
    expect(() => assertReleaseAfterNotice('2027-01-02', '2027-01-02')).not.toThrow();
  });
});

describe('RS-4 agreements (1+1+N)', () => {
  it('RS-4: required before release for key persons and applicants; signed on release day is in time', () => {
    expect(agreementMissing({ keyPerson: true, applied: false }, '2027-03-01')).toBe(true);
    expect(agreementMissing({ keyPerson: true, applied: false, signedOn: '2027-03-01' }, '2027-03-01')).toBe(false);
    expect(agreementMissing({ keyPerson: false, applied: true, signedOn: '2027-03-02' }, '2027-03-01')).toBe(true);
    expect(agreementMissing({ keyPerson: false, applied: false }, '2027-03-01')).toBe(false);
  });

  it('RS-4: the person, the town office and at least one other party', () => {
    expect(() => assertAgreementParties([{ role: 'PERSON' }, { role: 'TOWN_OFFICE' }])).toThrow(/1\+1\+N/);
    expect(() => assertAgreementParties([{ role: 'PERSON' }, { role: 'TOWN_OFFICE' }, { role: 'FAMILY' }])).not.toThrow();
  });
});

describe('RS-5 / RS-6 deadlines after release', () => {
  it('RS-5 / RS-6: pick-up 1 day, hand-over 7 days, assessment 30 days (release day not counted), assistance 5 calendar years', () => {
    expect(releaseDeadlines('2027-03-01')).toEqual({
      pickUpDue: '2027-03-02',
      policeHandOverDue: '2027-03-08',
      riskAssessmentDue: '2027-03-31',
      assistanceEnds: '2032-02-29',
    });
  });

  it('RS-6: the (cfg) numbers are taken from the settings given', () => {
    const s = { ...DEFAULT_RESETTLEMENT_SETTINGS, assistanceYears: 3, policeHandOverDays: 5 };
    const d = releaseDeadlines('2028-02-29', s);
    expect(d.assistanceEnds).toBe('2031-02-28');
    expect(d.policeHandOverDue).toBe('2028-03-05');
  });

  it('RS-12: one social worker per 50 subjects, rounded up', () => {
    expect([0, 1, 50, 51, 100].map((n) => socialWorkersNeeded(n))).toEqual([0, 1, 1, 2, 2]);
  });
});

describe('RS-13 dispute categories', () => {
  it('RS-13: every dispute category (矛盾纠纷) has a Chinese label; values equal keys', () => {
    for (const [k, v] of Object.entries(DisputeCategory)) expect(k).toBe(v);
    expect(Object.keys(DISPUTE_CATEGORY_LABELS).sort()).toEqual(Object.values(DisputeCategory).sort());
    for (const label of Object.values(DISPUTE_CATEGORY_LABELS)) expect(label).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('RS-6 assistance teams and plans', () => {
  it('RS-6: every team role (帮教小组) and measure kind (帮教方案) has a Chinese label; values equal keys', () => {
    for (const [values, labels] of [
      [AssistanceTeamRole, ASSISTANCE_TEAM_ROLE_LABELS],
      [AssistanceMeasureKind, ASSISTANCE_MEASURE_KIND_LABELS],
    ] as const) {
      for (const [k, v] of Object.entries(values)) expect(k).toBe(v);
      expect(Object.keys(labels).sort()).toEqual(Object.values(values).sort());
      for (const label of Object.values(labels)) expect(label).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(ASSISTANCE_TEAM_ROLE_LABELS.SOCIAL_WORKER).toBe('社工');
  });
});

describe('RS-10 video visits', () => {
  it('RS-10: REQUESTED → CONFIRMED → COMPLETED | FAILED | CANCELLED, nothing back', () => {
    expect(canMoveVideoVisit(VideoVisitStatus.REQUESTED, VideoVisitStatus.CONFIRMED)).toBe(true);
    expect(canMoveVideoVisit(VideoVisitStatus.CONFIRMED, VideoVisitStatus.FAILED)).toBe(true);
    expect(canMoveVideoVisit(VideoVisitStatus.REQUESTED, VideoVisitStatus.COMPLETED)).toBe(false);
    expect(() => assertVideoVisitMove(VideoVisitStatus.COMPLETED, VideoVisitStatus.CANCELLED)).toThrow(/已完成/);
  });

  it('RS-10: a visit lasts 10–120 minutes', () => {
    expect(() => assertVideoVisitDuration(9)).toThrow(DomainError);
    expect(() => assertVideoVisitDuration(30)).not.toThrow();
  });
});

describe('RS-11 sunshine fund', () => {
  it('RS-11: donations add, grants subtract, and a grant larger than the balance is refused', () => {
    expect(balanceAfter(0, FundMovementKind.DONATION, 50_000)).toBe(50_000);
    expect(balanceAfter(50_000, FundMovementKind.GRANT, 50_000)).toBe(0);
    expect(() => balanceAfter(49_999, FundMovementKind.GRANT, 50_000)).toThrow(/基金余额不足/);
    expect(() => balanceAfter(100, FundMovementKind.DONATION, 0.5)).toThrow(DomainError);
  });
});

describe('K-RS7 / K-RS8 re-offending, cohort method', () => {
  const releases = [
    { personKey: 'a', releaseDate: '2022-06-01', town: '104' },
    { personKey: 'a', releaseDate: '2025-01-10', town: '104' },
    { personKey: 'b', releaseDate: '2025-03-01', town: '001' },
    { personKey: 'c', releaseDate: '2020-12-31', town: '001' },
  ];
  const reoffences = [
    { personKey: 'a', offenceDate: '2023-02-01' }, // after a's first release: belongs to it
    { personKey: 'b', offenceDate: '2025-11-20' }, // same year as b's release
    { personKey: 'x', offenceDate: '2025-05-05' }, // no release known: counts nowhere
  ];

  it('K-RS7: a re-offence belongs to the latest release before it; a person released twice counts once per release', () => {
    expect(attributeReoffences(releases, reoffences)).toEqual(['2023-02-01', null, '2025-11-20', null]);
  });

  it('K-RS7: releases in the 5 years up to the date, and those re-offending within 5 years, as known on that date', () => {
    expect(fiveYearReoffending(releases, reoffences, '2025-12-31')).toEqual({ released: 3, reoffended: 2 });
    // On 2025-06-30 b's offence has not happened yet (and c, released 2020-12-31, is inside that window).
    expect(fiveYearReoffending(releases, reoffences, '2025-06-30')).toEqual({ released: 4, reoffended: 1 });
    // c (released 2020-12-31) is in the window ending 2025-12-30, not in the one ending 2025-12-31.
    expect(fiveYearReoffending(releases, reoffences, '2025-12-30').released).toBe(4);
  });

  it('K-RS8: released in Y and re-offended in Y', () => {
    expect(sameYearReoffending(releases, reoffences, 2025)).toEqual({ released: 2, reoffended: 1 });
    expect(sameYearReoffending(releases, reoffences, 2022)).toEqual({ released: 1, reoffended: 0 });
  });
});

describe('K-RS1 … K-RS12', () => {
  it('K-RS: twelve indicators in table order; K-RS4 targets 70%, K-RS11 is workers over ceil(subjects/50)', () => {
    const values = resettlementIndicators({ ...EMPTY_RESETTLEMENT_COUNTS, generalReleased: 10, generalPickedUp: 7, socialWorkers: 1, socialWorkersNeeded: 2 });
    expect(values.map((v) => v.code)).toEqual(Array.from({ length: 12 }, (_, i) => `K-RS${i + 1}`));
    expect(values[3]).toMatchObject({ value: 0.7, target: 0.7 });
    expect(values[10]).toMatchObject({ value: 0.5, target: 1 });
    expect(values[0].value).toBeNull();
  });
});
