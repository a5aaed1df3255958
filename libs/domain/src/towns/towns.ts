import { compareLocalDate, isLocalDate, type LocalDate } from '../calendar/local-date';
import TOWNS_FILE from '../reference/towns.json';
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
 * Statistical codes as of 2022 (docs/domain.md), shipped in `libs/domain/src/reference/towns.json` (what
 * `npm run cli -- seed` loads into the reference data). When a town is merged or renamed, close it
 * with `validTo` and add the successor, never delete a row.
 */
export const SHIPPED_TOWNS: readonly Town[] = Object.freeze((TOWNS_FILE.towns as Town[]).map((t) => Object.freeze({ ...t })));

/**
 * The towns in force in this process: the shipped list until the app loads the reference data
 * (`setTownRegistry`, at boot and after a change). A live binding: importers see the new list.
 */
export let TOWNS: readonly Town[] = SHIPPED_TOWNS;

/** A snapshot is only replaced by a valid one. @throws DomainError(VALIDATION_FAILED) naming the bad entry. */
export function validateTowns(towns: readonly Town[]): void {
  const fail = (i: number, problem: string): never => {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `towns[${i}]: ${problem} / 镇街参考数据有误`, { field: `towns[${i}]` });
  };
  if (towns.length === 0) fail(0, 'the list is empty');
  const current = new Set<string>();
  towns.forEach((t, i) => {
    if (!/^\d{3}$/.test(t.code ?? '')) fail(i, 'code must be 3 digits');
    if (!t.name?.trim() || !t.nameEn?.trim()) fail(i, 'name and nameEn are required');
    if (!['STREET', 'TOWN', 'ZONE'].includes(t.kind)) fail(i, 'kind must be STREET, TOWN or ZONE');
    if (!isLocalDate(t.validFrom)) fail(i, 'validFrom must be a date YYYY-MM-DD');
    if (t.validTo !== undefined && t.validTo !== null) {
      if (!isLocalDate(t.validTo)) fail(i, 'validTo must be a date YYYY-MM-DD');
      if (compareLocalDate(t.validTo, t.validFrom) < 0) fail(i, 'validTo is before validFrom');
    } else {
      if (current.has(t.code)) fail(i, `code ${t.code} is in force twice`);
      current.add(t.code);
    }
  });
}

/** Replaces the town registry of this process (reference data loaded or changed); `undefined` restores the shipped list. */
export function setTownRegistry(towns: readonly Town[] | undefined): void {
  if (towns === undefined) {
    TOWNS = SHIPPED_TOWNS;
    return;
  }
  validateTowns(towns);
  TOWNS = Object.freeze(
    towns.map(({ validTo, note, ...t }) => Object.freeze({ ...t, ...(validTo ? { validTo } : {}), ...(note ? { note } : {}) })),
  );
}

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
