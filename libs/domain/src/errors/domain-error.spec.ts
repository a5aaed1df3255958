import { DomainError, DomainErrorCode, httpStatusOf, isDomainError, isUnprocessable } from './domain-error';

describe(DomainError.name, () => {
  it('carries code, message, field and details and is an Error', () => {
    const e = new DomainError(DomainErrorCode.TOWN_UNKNOWN, 'Unknown town / 未知镇街', { field: 'town', details: { code: '999' } });
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(DomainError);
    expect(isDomainError(e)).toBe(true);
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(e.name).toBe('DomainError');
    expect(e.code).toBe('TOWN_UNKNOWN');
    expect(e.message).toBe('Unknown town / 未知镇街');
    expect(e.field).toBe('town');
    expect(e.details).toEqual({ code: '999' });
    expect(e.stack).toContain('DomainError');
  });

  it('leaves field and details unset when not given', () => {
    const e = new DomainError(DomainErrorCode.NOT_FOUND, 'Not found / 未找到');
    expect(e.field).toBeUndefined();
    expect(e.details).toBeUndefined();
  });

  it('has at least the codes other parts rely on', () => {
    expect(Object.values(DomainErrorCode)).toEqual(
      expect.arrayContaining([
        'ID_NUMBER_INVALID',
        'TOWN_UNKNOWN',
        'DATE_INVALID',
        'DATE_RANGE_INVALID',
        'SENTENCE_TYPE_INVALID',
        'CORRECTION_PERIOD_INVALID',
        'NOT_FOUND',
        'ILLEGAL_TRANSITION',
        'VALIDATION_FAILED',
        'CONFLICT',
        'FORBIDDEN',
      ]),
    );
  });

  it.each([
    [DomainErrorCode.ID_NUMBER_INVALID, true, 422],
    [DomainErrorCode.TOWN_UNKNOWN, true, 422],
    [DomainErrorCode.DATE_INVALID, true, 422],
    [DomainErrorCode.DATE_RANGE_INVALID, true, 422],
    [DomainErrorCode.SENTENCE_TYPE_INVALID, true, 422],
    [DomainErrorCode.CORRECTION_PERIOD_INVALID, true, 422],
    [DomainErrorCode.ILLEGAL_TRANSITION, true, 422],
    [DomainErrorCode.VALIDATION_FAILED, true, 422],
    [DomainErrorCode.NOT_FOUND, false, 404],
    [DomainErrorCode.CONFLICT, false, 409],
    [DomainErrorCode.FORBIDDEN, false, 403],
  ])('%s: unprocessable %s, HTTP %d', (code, unprocessable, status) => {
    expect(isUnprocessable(code)).toBe(unprocessable);
    expect(httpStatusOf(code)).toBe(status);
  });
});
