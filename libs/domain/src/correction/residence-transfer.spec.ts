import { DomainError } from '../errors/domain-error';
import { LeaveKind } from './leave';
import { residenceChangeTarget } from './residence-transfer';

const ON = '2026-11-26';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).message).toMatch(/[\u4e00-\u9fff]/);
    return (e as DomainError).code;
  }
  throw new Error('expected a DomainError');
}

describe('residenceChangeTarget (CC-13)', () => {
  it('CC-13: a change of residence to another Jiangyin town moves the case there', () => {
    expect(residenceChangeTarget(LeaveKind.RESIDENCE_CHANGE, '104', { toTown: '107' }, ON)).toEqual({ kind: 'TOWN', toTown: '107' });
  });

  it('CC-13: out of Jiangyin it names the receiving county and its body', () => {
    expect(residenceChangeTarget(LeaveKind.RESIDENCE_CHANGE, '104', { receivingCountyCode: '320282', receivingAuthority: ' 宜兴市社区矫正管理局 ' }, ON)).toEqual({
      kind: 'OUT_OF_COUNTY',
      receivingCountyCode: '320282',
      receivingAuthority: '宜兴市社区矫正管理局',
    });
  });

  it('CC-13: a leave moves nothing and names no target', () => {
    expect(residenceChangeTarget(LeaveKind.LEAVE, '104', {}, ON)).toBeNull();
    expect(codeOf(() => residenceChangeTarget(LeaveKind.LEAVE, '104', { toTown: '107' }, ON))).toBe('VALIDATION_FAILED');
  });

  it.each([
    [{}, 'VALIDATION_FAILED'],
    [{ toTown: '107', receivingCountyCode: '320282', receivingAuthority: 'x' }, 'VALIDATION_FAILED'],
    [{ toTown: '104' }, 'VALIDATION_FAILED'],
    [{ toTown: '999' }, 'TOWN_UNKNOWN'],
    [{ receivingCountyCode: '320281', receivingAuthority: '江阴' }, 'VALIDATION_FAILED'],
    [{ receivingCountyCode: '3202', receivingAuthority: 'x' }, 'VALIDATION_FAILED'],
    [{ receivingCountyCode: '320282', receivingAuthority: '  ' }, 'VALIDATION_FAILED'],
  ])('CC-13: %j is refused with %s', (input, code) => {
    expect(codeOf(() => residenceChangeTarget(LeaveKind.RESIDENCE_CHANGE, '104', input, ON))).toBe(code);
  });
});
