import { DomainError, DomainErrorCode } from '../errors';
import { LocalDate, addDays, compareLocalDate, isBefore, lastDayOfPeriod } from '../calendar';
import { KeyCategory, VerificationItem, VerificationResult } from './vocabulary';

/**
 * The *(cfg)* numbers of RS-1 … RS-12 (docs/domain.md) with their defaults. The resettlement
 * service reads each from its configuration; these are only the defaults.
 */
export interface ResettlementSettings {
  /** RS-1: a pre-release notice arrives about this many days before release. */
  noticeLeadDays: number;
  /** AL-3 / RS-2: the notice must be verified and its receipt sent this many days before release. */
  verificationLeadDays: number;
  /** RS-5: a key person without a pick-up record this many days after release → RED alert. */
  pickUpDays: number;
  /** RS-6: years of assistance after release. */
  assistanceYears: number;
  /** RS-6: days after release within which the risk assessment is due. */
  riskAssessmentDays: number;
  /** RS-6: days after release within which a key person is handed to police. */
  policeHandOverDays: number;
  /** RS-12: one social worker per this many assistance subjects. */
  subjectsPerSocialWorker: number;
}

export const DEFAULT_RESETTLEMENT_SETTINGS: Readonly<ResettlementSettings> = Object.freeze({
  noticeLeadDays: 30,
  verificationLeadDays: 7,
  pickUpDays: 1,
  assistanceYears: 5,
  riskAssessmentDays: 30,
  policeHandOverDays: 7,
  subjectsPerSocialWorker: 50,
});

/** RS-3: a person with at least one key category is a key person; anyone else is GENERAL. */
export function isKeyPerson(categories: readonly KeyCategory[]): boolean {
  return categories.length > 0;
}

/**
 * RS-3: the categories as stored: known values only, each once, in the catalogue's order, so two
 * notices with the same categories compare equal.
 * @throws DomainError(VALIDATION_FAILED) naming an unknown category.
 */
export function normaliseKeyCategories(raw: readonly string[]): KeyCategory[] {
  const known = Object.values(KeyCategory) as string[];
  const unknown = raw.filter((c) => !known.includes(c));
  if (unknown.length > 0) {
    throw new DomainError(
      DomainErrorCode.VALIDATION_FAILED,
      `unknown key-person categories: ${unknown.join(', ')} / 未知的重点帮教对象类别`,
      { field: 'keyCategories', details: { allowed: known } },
    );
  }
  return (Object.values(KeyCategory) as KeyCategory[]).filter((c) => raw.includes(c));
}

/**
 * RS-3: the categories the notice's own facts imply, added to those the prison sent: registered
 * residence in another town than the actual one is 人户分离 (RESIDENCE_MISMATCH).
 */
export function impliedKeyCategories(facts: { registeredTown?: string | null; residenceTown: string }, sent: readonly KeyCategory[]): KeyCategory[] {
  const extra: string[] = [];
  if (facts.registeredTown && facts.registeredTown !== facts.residenceTown) extra.push(KeyCategory.RESIDENCE_MISMATCH);
  return normaliseKeyCategories([...sent, ...extra]);
}

/** RS-2: the result follows from the items: any item with a discrepancy makes the whole DISCREPANCY. */
export function verificationResult(items: ReadonlyArray<{ item: VerificationItem; matches: boolean }>): VerificationResult {
  const covered = new Set(items.map((i) => i.item));
  const missing = (Object.values(VerificationItem) as VerificationItem[]).filter((i) => !covered.has(i));
  if (missing.length > 0) {
    throw new DomainError(
      DomainErrorCode.VALIDATION_FAILED,
      `verification must cover ${missing.join(', ')} / 核查须包括户籍、实际居住地、家庭情况和身份`,
      { field: 'items', details: { missing } },
    );
  }
  return items.every((i) => i.matches) ? VerificationResult.VERIFIED : VerificationResult.DISCREPANCY;
}

/** The dates that follow from an actual release (RS-5, RS-6), each the last day still on time. */
export interface ReleaseDeadlines {
  /** RS-5: the pick-up record is due by the end of this day (key persons). */
  pickUpDue: LocalDate;
  /** RS-6: the risk assessment is due by the end of this day. */
  riskAssessmentDue: LocalDate;
  /** RS-6: a key person is handed to police by the end of this day. */
  policeHandOverDue: LocalDate;
  /** RS-6: the last day of assistance (the day before the anniversary, 刑法 counting). */
  assistanceEnds: LocalDate;
}

/**
 * RS-5 / RS-6. "Within N days of release" does not count the release day (刑诉法 105): a release
 * on 2027-03-01 with 7 days has its hand-over due on 2027-03-08. Assistance of Y years runs from
 * the release day to the day before its Y-th anniversary, or that month's last day when it has no
 * such day (`lastDayOfPeriod`): 2027-03-01 + 5 years → 2032-02-29; 2028-02-29 + 3 years → 2031-02-28.
 */
export function releaseDeadlines(actualReleaseDate: LocalDate, s: ResettlementSettings = DEFAULT_RESETTLEMENT_SETTINGS): ReleaseDeadlines {
  return {
    pickUpDue: addDays(actualReleaseDate, s.pickUpDays),
    riskAssessmentDue: addDays(actualReleaseDate, s.riskAssessmentDays),
    policeHandOverDue: addDays(actualReleaseDate, s.policeHandOverDays),
    assistanceEnds: lastDayOfPeriod(actualReleaseDate, s.assistanceYears * 12),
  };
}

/** AL-3 / RS-2: the day the verification and the receipt must be done by (7 days before release). */
export function verificationDue(expectedReleaseDate: LocalDate, s: ResettlementSettings = DEFAULT_RESETTLEMENT_SETTINGS): LocalDate {
  return addDays(expectedReleaseDate, -s.verificationLeadDays);
}

/**
 * RS-4: an agreement (1+1+N) is required before release for key persons and for those who apply;
 * it is missing when required and not signed on or before the release date.
 */
export function agreementMissing(p: { keyPerson: boolean; applied: boolean; signedOn?: LocalDate | null }, releaseDate: LocalDate): boolean {
  if (!p.keyPerson && !p.applied) return false;
  return !p.signedOn || compareLocalDate(p.signedOn, releaseDate) > 0;
}

/** RS-4: the parties of a "1+1+N" agreement: the person, the town office and at least one other. */
export function assertAgreementParties(parties: ReadonlyArray<{ role: string }>): void {
  const roles = parties.map((p) => p.role);
  const others = roles.filter((r) => r !== 'PERSON' && r !== 'TOWN_OFFICE');
  if (!roles.includes('PERSON') || !roles.includes('TOWN_OFFICE') || others.length < 1) {
    throw new DomainError(
      DomainErrorCode.VALIDATION_FAILED,
      'an agreement needs the person, the town office and at least one other party (1+1+N) / 帮教协议须由本人、司法所及至少一方帮教力量签订',
      { field: 'parties' },
    );
  }
}

/** RS-12: the social workers a town needs for its subjects (1 per 50, rounded up). */
export function socialWorkersNeeded(subjects: number, s: ResettlementSettings = DEFAULT_RESETTLEMENT_SETTINGS): number {
  if (!Number.isInteger(subjects) || subjects < 0) throw new RangeError(`subjects must be a whole number ≥ 0, got ${subjects}`);
  return Math.ceil(subjects / s.subjectsPerSocialWorker);
}

/** RS-1: an expected release date before the notice's own date is refused (a notice comes before release). */
export function assertReleaseAfterNotice(expectedReleaseDate: LocalDate, noticeDate: LocalDate): void {
  if (isBefore(expectedReleaseDate, noticeDate)) {
    throw new DomainError(
      DomainErrorCode.DATE_RANGE_INVALID,
      `expectedReleaseDate ${expectedReleaseDate} is before the notice (${noticeDate}) / 预计释放日期早于通知日期`,
      { field: 'expectedReleaseDate' },
    );
  }
}
