import { DomainError, DomainErrorCode } from '@homeward/domain';
import { looksLikeIdNumber, parseSearchQuery } from './search-query';

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

  it('issue 6 item 2: anything else is a full name, trimmed (matched by its blind index, no prefix or LIKE pattern)', () => {
    expect(looksLikeIdNumber('王某')).toBe(false);
    expect(parseSearchQuery(' 王某 ', TODAY)).toEqual({ kind: 'NAME', name: '王某' });
    expect(parseSearchQuery('a%b_c\\', TODAY)).toEqual({ kind: 'NAME', name: 'a%b_c\\' });
  });

  it('an empty query is refused', () => {
    expect(() => parseSearchQuery('   ', TODAY)).toThrow(expect.objectContaining({ code: DomainErrorCode.VALIDATION_FAILED, field: 'query' }));
  });
});
