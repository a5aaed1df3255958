import { compareLocalDate, type LocalDate } from '../calendar/local-date';
import { DomainError, DomainErrorCode } from '../errors/domain-error';

/** Area code of Jiangyin (江阴市) in GB/T 2260. */
export const JIANGYIN_AREA_CODE = '320281';

export type TownKind = 'STREET' | 'TOWN' | 'ZONE';

export const TOWN_KIND_LABELS: Record<TownKind, string> = {
  STREET: '街道',
  TOWN: '镇',
  ZONE: '园区',
};

/** A township-level unit of Jiangyin (镇/街道/园区); each has a justice office (司法所). */
export interface Town {
  /** 3-digit statistical code within Jiangyin, e.g. '104'. */
  code: string;
  name: string;
  nameEn: string;
  kind: TownKind;
  /** First day the code is valid (inclusive). */
  validFrom: LocalDate;
  /** Last day the code is valid (inclusive); absent while in force. */
  validTo?: LocalDate;
  note?: string;
}

/**
 * Statistical codes as of 2022 (DOMAIN.md). Reference data: when a town is merged or
 * renamed, close it with `validTo` and add the successor, never delete a row.
 * validFrom is the start of the 2022 division list the codes are taken from.
 */
const FROM = '2022-01-01';

export const TOWNS: readonly Town[] = Object.freeze(
  (
    [
  { code: '001', name: '澄江街道', nameEn: 'Chengjiang Subdistrict', kind: 'STREET', validFrom: FROM },
  { code: '004', name: '南闸街道', nameEn: 'Nanzha Subdistrict', kind: 'STREET', validFrom: FROM },
  { code: '005', name: '云亭街道', nameEn: 'Yunting Subdistrict', kind: 'STREET', validFrom: FROM },
  { code: '007', name: '申港街道', nameEn: 'Shengang Subdistrict', kind: 'STREET', validFrom: FROM },
  { code: '008', name: '利港街道', nameEn: 'Ligang Subdistrict', kind: 'STREET', validFrom: FROM },
  { code: '009', name: '夏港街道', nameEn: 'Xiagang Subdistrict', kind: 'STREET', validFrom: FROM },
  { code: '100', name: '璜土镇', nameEn: 'Huangtu Town', kind: 'TOWN', validFrom: FROM },
  { code: '102', name: '月城镇', nameEn: 'Yuecheng Town', kind: 'TOWN', validFrom: FROM },
  { code: '103', name: '青阳镇', nameEn: 'Qingyang Town', kind: 'TOWN', validFrom: FROM },
  { code: '104', name: '徐霞客镇', nameEn: 'Xuxiake Town', kind: 'TOWN', validFrom: FROM },
  { code: '107', name: '华士镇', nameEn: 'Huashi Town', kind: 'TOWN', validFrom: FROM },
  { code: '108', name: '周庄镇', nameEn: 'Zhouzhuang Town', kind: 'TOWN', validFrom: FROM },
  { code: '109', name: '新桥镇', nameEn: 'Xinqiao Town', kind: 'TOWN', validFrom: FROM },
  { code: '110', name: '长泾镇', nameEn: 'Changjing Town', kind: 'TOWN', validFrom: FROM },
  { code: '111', name: '顾山镇', nameEn: 'Gushan Town', kind: 'TOWN', validFrom: FROM },
  { code: '112', name: '祝塘镇', nameEn: 'Zhutang Town', kind: 'TOWN', validFrom: FROM },
  {
    code: '400',
    name: '江阴高新区',
    nameEn: 'Jiangyin Hi-tech Zone',
    kind: 'ZONE',
    validFrom: FROM,
    note: 'includes 城东 (Chengdong) / 含城东街道',
  },
  { code: '403', name: '江阴靖江工业园区', nameEn: 'Jiangyin-Jingjiang Industrial Park', kind: 'ZONE', validFrom: FROM },
  { code: '404', name: '临港经济开发区', nameEn: 'Lingang Economic Development Zone', kind: 'ZONE', validFrom: FROM },
  { code: '405', name: '青阳园区', nameEn: 'Qingyang Park', kind: 'ZONE', validFrom: FROM },
  { code: '406', name: '月城园区', nameEn: 'Yuecheng Park', kind: 'ZONE', validFrom: FROM },
    ] satisfies Town[]
  ).map((t) => Object.freeze(t)),
);

function validOn(town: Town, on: LocalDate): boolean {
  return compareLocalDate(town.validFrom, on) <= 0 && (town.validTo === undefined || compareLocalDate(on, town.validTo) <= 0);
}

/**
 * The town with this code valid on `on`; without `on`, the one currently in force
 * (no `validTo`). Undefined when there is none.
 */
export function findTown(code: string, on?: LocalDate): Town | undefined {
  return TOWNS.find((t) => t.code === code && (on === undefined ? t.validTo === undefined : validOn(t, on)));
}

export function isTownCode(code: string, on?: LocalDate): boolean {
  return findTown(code, on) !== undefined;
}

/** Chinese name of a town (whatever its validity); the code itself when unknown, so display never fails. */
export function townName(code: string): string {
  return TOWNS.find((t) => t.code === code)?.name ?? code;
}

/** @throws DomainError(TOWN_UNKNOWN) naming `field` (default `town`). */
export function requireTown(code: string, on?: LocalDate, field = 'town'): Town {
  const town = findTown(code, on);
  if (!town) {
    throw new DomainError(DomainErrorCode.TOWN_UNKNOWN, `Unknown town code "${code}" / 未知的镇街代码`, {
      field,
      details: { code, ...(on === undefined ? {} : { on }) },
    });
  }
  return town;
}

/** All town codes currently in force. */
export function townCodes(): string[] {
  return TOWNS.filter((t) => t.validTo === undefined).map((t) => t.code);
}
