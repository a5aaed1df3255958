import { DomainError, DomainErrorCode } from '@homeward/domain';
import { looksLikeIdNumber, namePrefixPattern, parseSearchQuery } from './search-query';

const TODAY = '2026-11-20';

describe('staff search query', () => {
  it('reads an 18-character entry starting with a digit as an ID number, normalised (x → X)', () => {
    const q = parseSearchQuery(' 11010519491231002x ', TODAY);
    expect(q.kind).toBe('ID_NUMBER');
    expect(q.kind === 'ID_NUMBER' && q.idNumber.value).toBe('11010519491231002X');
  });

  it('a wrong check digit is VALIDATION_FAILED (BAD_USER_INPUT) on `query`, without the number in the message', () => {
    let error: unknown;
    try {
      parseSearchQuery('110105194912310021', TODAY);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: DomainErrorCode.VALIDATION_FAILED, field: 'query', details: { check: 'CHECK_DIGIT' } });
    expect((error as Error).message).not.toContain('110105194912310021');
  });

  it('anything else is a name prefix with %, _ and \\ escaped', () => {
    expect(looksLikeIdNumber('王某')).toBe(false);
    expect(parseSearchQuery('王', TODAY)).toEqual({ kind: 'NAME', pattern: '王%' });
    expect(namePrefixPattern('a%b_c\\')).toBe('a\\%b\\_c\\\\%');
  });

  it('an empty query is refused', () => {
    expect(() => parseSearchQuery('   ', TODAY)).toThrow(expect.objectContaining({ code: DomainErrorCode.VALIDATION_FAILED, field: 'query' }));
  });
});
