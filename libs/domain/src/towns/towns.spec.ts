import { DomainError, DomainErrorCode } from '../errors/domain-error';
import { JIANGYIN_AREA_CODE, TOWNS, findTown, isTownCode, requireTown, townCodes, townName } from './towns';

describe('towns of Jiangyin', () => {
  it('lists exactly the 21 units of docs/domain.md with their codes and names', () => {
    expect(TOWNS.map((t) => [t.code, t.name, t.kind])).toEqual([
      ['001', '澄江街道', 'STREET'],
      ['004', '南闸街道', 'STREET'],
      ['005', '云亭街道', 'STREET'],
      ['007', '申港街道', 'STREET'],
      ['008', '利港街道', 'STREET'],
      ['009', '夏港街道', 'STREET'],
      ['100', '璜土镇', 'TOWN'],
      ['102', '月城镇', 'TOWN'],
      ['103', '青阳镇', 'TOWN'],
      ['104', '徐霞客镇', 'TOWN'],
      ['107', '华士镇', 'TOWN'],
      ['108', '周庄镇', 'TOWN'],
      ['109', '新桥镇', 'TOWN'],
      ['110', '长泾镇', 'TOWN'],
      ['111', '顾山镇', 'TOWN'],
      ['112', '祝塘镇', 'TOWN'],
      ['400', '江阴高新区', 'ZONE'],
      ['403', '江阴靖江工业园区', 'ZONE'],
      ['404', '临港经济开发区', 'ZONE'],
      ['405', '青阳园区', 'ZONE'],
      ['406', '月城园区', 'ZONE'],
    ]);
    expect(JIANGYIN_AREA_CODE).toBe('320281');
  });

  it('has unique 3-digit codes, English names and validity dates', () => {
    expect(new Set(TOWNS.map((t) => t.code)).size).toBe(TOWNS.length);
    for (const t of TOWNS) {
      expect(t.code).toMatch(/^\d{3}$/);
      expect(t.nameEn).toMatch(/^[A-Z][A-Za-z -]+$/);
      expect(t.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(townCodes()).toHaveLength(21);
  });

  it('notes that 江阴高新区 includes 城东', () => {
    expect(findTown('400')?.note).toContain('城东');
  });

  it('is frozen reference data', () => {
    expect(Object.isFrozen(TOWNS)).toBe(true);
    expect(Object.isFrozen(TOWNS[0])).toBe(true);
  });

  describe(findTown.name, () => {
    it('finds a town by code, optionally on a date', () => {
      expect(findTown('104')?.name).toBe('徐霞客镇');
      expect(findTown('104', '2025-06-01')?.nameEn).toBe('Xuxiake Town');
      expect(findTown('104', '2021-12-31')).toBeUndefined();
    });

    it.each(['999', '', '104 ', '1', '0001', '32028104'])('finds nothing for %j', (code) => {
      expect(findTown(code)).toBeUndefined();
      expect(isTownCode(code)).toBe(false);
    });
  });

  describe(townName.name, () => {
    it('gives the Chinese name, or the code itself when unknown', () => {
      expect(townName('107')).toBe('华士镇');
      expect(townName('999')).toBe('999');
    });
  });

  describe(requireTown.name, () => {
    it('throws TOWN_UNKNOWN naming the field', () => {
      expect(requireTown('112').name).toBe('祝塘镇');
      try {
        requireTown('999', undefined, 'person.residenceTown');
        throw new Error('not rejected');
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).code).toBe(DomainErrorCode.TOWN_UNKNOWN);
        expect((e as DomainError).field).toBe('person.residenceTown');
      }
    });
  });
});
