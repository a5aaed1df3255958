/**
 * Domain error codes. Each code names one reason the domain refuses something; the
 * transport filters (libs/platform) map a code to an HTTP status / GraphQL
 * `extensions.code` with `httpStatusOf()`.
 */
export enum DomainErrorCode {
  ID_NUMBER_INVALID = 'ID_NUMBER_INVALID',
  TOWN_UNKNOWN = 'TOWN_UNKNOWN',
  DATE_INVALID = 'DATE_INVALID',
  DATE_RANGE_INVALID = 'DATE_RANGE_INVALID',
  SENTENCE_TYPE_INVALID = 'SENTENCE_TYPE_INVALID',
  CORRECTION_PERIOD_INVALID = 'CORRECTION_PERIOD_INVALID',
  NOT_FOUND = 'NOT_FOUND',
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  CONFLICT = 'CONFLICT',
  FORBIDDEN = 'FORBIDDEN',
}

export interface DomainErrorOptions {
  /** The input field at fault, e.g. `person.idNumber`. */
  field?: string;
  /** Machine-readable detail (never PII: no clear ID numbers or names). */
  details?: Record<string, unknown>;
}

/** The one error class of the domain: a code, a message (English / 中文), optionally the field at fault. */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly field?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: DomainErrorCode, message: string, opts?: DomainErrorOptions) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    if (opts?.field !== undefined) this.field = opts.field;
    if (opts?.details !== undefined) this.details = opts.details;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

const UNPROCESSABLE: ReadonlySet<DomainErrorCode> = new Set([
  DomainErrorCode.ID_NUMBER_INVALID,
  DomainErrorCode.TOWN_UNKNOWN,
  DomainErrorCode.DATE_INVALID,
  DomainErrorCode.DATE_RANGE_INVALID,
  DomainErrorCode.SENTENCE_TYPE_INVALID,
  DomainErrorCode.CORRECTION_PERIOD_INVALID,
  DomainErrorCode.ILLEGAL_TRANSITION,
  DomainErrorCode.VALIDATION_FAILED,
]);

/**
 * True for codes that mean "a well-formed request the domain refuses" → HTTP 422
 * (docs/partner-api.md). NOT_FOUND → 404, CONFLICT → 409, FORBIDDEN → 403 are not.
 * (Malformed or missing fields → 400 is decided by DTO validation before the domain runs.)
 */
export function isUnprocessable(code: DomainErrorCode): boolean {
  return UNPROCESSABLE.has(code);
}

/** HTTP status for a domain error code (422 / 404 / 409 / 403). */
export function httpStatusOf(code: DomainErrorCode): number {
  switch (code) {
    case DomainErrorCode.NOT_FOUND:
      return 404;
    case DomainErrorCode.CONFLICT:
      return 409;
    case DomainErrorCode.FORBIDDEN:
      return 403;
    default:
      return 422;
  }
}
