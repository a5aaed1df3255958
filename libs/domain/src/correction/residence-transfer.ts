import { DomainError, DomainErrorCode } from '../errors/domain-error';
import type { LocalDate } from '../calendar/local-date';
import { JIANGYIN_AREA_CODE, findTown } from '../towns/towns';
import { LeaveKind } from './leave';

/** CC-13: an approved change of residence (变更执行地) waiting for its date, or carried out. */
export enum ResidenceTransferStatus {
  PENDING = 'PENDING',
  APPLIED = 'APPLIED',
  /** The subject's correction ended (or the case left) before the date: nothing moved. */
  CANCELLED = 'CANCELLED',
}

export const RESIDENCE_TRANSFER_STATUS_LABELS: Record<ResidenceTransferStatus, string> = {
  [ResidenceTransferStatus.PENDING]: '待移交',
  [ResidenceTransferStatus.APPLIED]: '已移交',
  [ResidenceTransferStatus.CANCELLED]: '已撤销',
};

/** Where a change of residence goes: another town of Jiangyin, or a county outside it. */
export type ResidenceTarget =
  | { kind: 'TOWN'; toTown: string }
  | { kind: 'OUT_OF_COUNTY'; receivingCountyCode: string; receivingAuthority: string };

export interface ResidenceTargetInput {
  toTown?: string | null;
  receivingCountyCode?: string | null;
  receivingAuthority?: string | null;
}

function invalid(field: string, message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(DomainErrorCode.VALIDATION_FAILED, message, { field, details });
}

/**
 * CC-13: checks where a request goes. A LEAVE names no new town or county; a RESIDENCE_CHANGE names
 * exactly one of `toTown` (a Jiangyin town in force on `on`, not the current one) or a receiving
 * county (`receivingCountyCode`, six digits, not Jiangyin's, with the `receivingAuthority` that takes
 * the case over). Returns null for a LEAVE.
 * @throws DomainError VALIDATION_FAILED (bilingual) naming the field.
 */
export function residenceChangeTarget(kind: LeaveKind, currentTown: string, input: ResidenceTargetInput, on: LocalDate): ResidenceTarget | null {
  const toTown = input.toTown ?? null;
  const county = input.receivingCountyCode ?? null;
  const authority = input.receivingAuthority?.trim() || null;
  if (kind === LeaveKind.LEAVE) {
    if (toTown !== null || county !== null || authority !== null) {
      throw invalid('toTown', 'CC-13: a leave does not move the case; name a new town or county only for a change of residence / 外出不变更执行地，仅变更执行地须填写新的镇街或县（市、区）');
    }
    return null;
  }
  if ((toTown === null) === (county === null)) {
    throw invalid(
      'toTown',
      'CC-13: a change of residence names either the new town (toTown) or the receiving county (receivingCountyCode), not both / 变更执行地须填写新的镇街或接收的县（市、区）之一',
    );
  }
  if (toTown !== null) {
    if (!findTown(toTown, on)) {
      throw new DomainError(DomainErrorCode.TOWN_UNKNOWN, `Unknown town code "${toTown}" / 未知的镇街代码`, { field: 'toTown', details: { code: toTown, on } });
    }
    if (toTown === currentTown) {
      throw invalid('toTown', 'CC-13: the new town is the subject\'s current town / 新执行地与现执行地相同', { toTown });
    }
    return { kind: 'TOWN', toTown };
  }
  if (!/^\d{6}$/.test(county as string) || county === JIANGYIN_AREA_CODE) {
    throw invalid(
      'receivingCountyCode',
      `CC-13: the receiving county is a six-digit area code other than Jiangyin's (${JIANGYIN_AREA_CODE}) / 接收地须为江阴以外的县级行政区划代码（六位）`,
      { receivingCountyCode: county },
    );
  }
  if (authority === null) {
    throw invalid('receivingAuthority', 'CC-13: name the receiving county\'s community-correction body / 须填写接收地县级社区矫正机构');
  }
  return { kind: 'OUT_OF_COUNTY', receivingCountyCode: county as string, receivingAuthority: authority };
}
