/**
 * Builders of test data that many tests send (issue 8 item 3): one place for the shape of a
 * partner request, so a field added to the API is added here once. Plain data, no I/O, no clock:
 * every date is given or derived from a given one.
 */

/** The day before the same date one year later (a one-year term): 2026-11-20 → 2027-11-19. */
export function oneYearFrom(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y + 1, m - 1, d - 1)).toISOString().slice(0, 10);
}

export interface EnrolmentFixture {
  /** The person's ID number (18 digits, a valid check digit). */
  idNumber: string;
  name?: string;
  /** Residence town code; default '104' (徐霞客镇). */
  town?: string;
  /** Judgment effective date and correction start; default '2026-11-20'. */
  on?: string;
  /** Correction end; default one year from `on`. */
  until?: string;
  /** More fields of the person (e.g. phone), or overrides. */
  person?: Record<string, unknown>;
}

/**
 * The body of `POST /api/v1/correction/enrolments` a court sends (CC-1): probation for theft,
 * judgment document number made from the ID number's last four characters. `over` replaces or adds
 * top-level fields (sentenceType, offence, organisedCrime, …); an `undefined` value drops the field.
 */
export function enrolmentPayload(fixture: EnrolmentFixture, over: Record<string, unknown> = {}): Record<string, unknown> {
  const on = fixture.on ?? '2026-11-20';
  return {
    person: { idNumber: fixture.idNumber, name: fixture.name ?? '测试对象', residenceTown: fixture.town ?? '104', ...fixture.person },
    sentenceType: 'PROBATION',
    judgmentDocumentNo: `(2026)苏0281刑初${fixture.idNumber.slice(-4)}号`,
    judgmentEffectiveDate: on,
    correctionStartDate: on,
    correctionEndDate: fixture.until ?? oneYearFrom(on),
    offence: '盗窃罪',
    decidingAuthority: '江阴市人民法院',
    ...over,
  };
}

/**
 * The body of `POST /api/v1/correction/investigation-requests` (CC-14): a court's request for a
 * pre-sentence assessment of 赵某 of town 104, received 2026-11-20. `person` adds to or replaces the
 * person's fields; `over` the top-level ones (an `undefined` value drops the field).
 */
export function investigationPayload(over: Record<string, unknown> = {}, person: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    person: { idNumber: '110101199003071719', name: '赵某', residenceTown: '104', ...person },
    requestingDocumentNo: '(2026)苏0281刑初88号委托函',
    proposedSentenceType: 'PROBATION',
    expedited: false,
    offence: '危险驾驶罪',
    receivedDate: '2026-11-20',
    ...over,
  };
}
