import { DomainError, DomainErrorCode, IdNumber, type LocalDate } from '@homeward/domain';

/**
 * What a staff search box holds: an ID number (matched by personKey) or a full name (matched by its
 * keyed blind index, PersonKeys.nameIndex: names are encrypted at rest, issue 6 item 2, so there is
 * no prefix search).
 */
export type SearchQuery = { kind: 'ID_NUMBER'; idNumber: IdNumber } | { kind: 'NAME'; name: string };

/** An 18-character entry starting with a digit is read as an ID number; anything else as a full name. */
export function looksLikeIdNumber(raw: string): boolean {
  const s = raw.trim();
  return s.length === 18 && /^\d/.test(s);
}

/**
 * Reads the search box. An ID number is normalised with IdNumber.parse (a wrong check digit or
 * format is a BAD_USER_INPUT on `query`, the message never repeats the number); anything else is a
 * full name (trimmed). An empty query is refused.
 */
export function parseSearchQuery(raw: string, today: LocalDate): SearchQuery {
  const s = (raw ?? '').trim();
  if (s.length === 0) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'the search query is empty / 请输入姓名或身份证号码', { field: 'query' });
  }
  if (looksLikeIdNumber(s)) {
    try {
      return { kind: 'ID_NUMBER', idNumber: IdNumber.parse(s, { today, field: 'query' }) };
    } catch (e) {
      if (e instanceof DomainError) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, e.message, { field: 'query', details: e.details });
      }
      throw e;
    }
  }
  return { kind: 'NAME', name: s };
}
