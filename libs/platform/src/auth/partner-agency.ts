import { AgencyKind, DomainError, DomainErrorCode } from '@homeward/domain';
import { Principal } from './principal';

/** The agency a partner token speaks for, as identity registered it (claims `agk`, `agi`). */
export interface PartnerAgency {
  kind: AgencyKind;
  id: string;
}

/**
 * The partner's agency: kind and id both from the signed token. A staff token has none (FORBIDDEN).
 * The id alone is free-form (a security admin types it), so ownership always checks the kind too.
 */
export function partnerAgencyOf(p: Principal): PartnerAgency {
  if (p.kind !== 'PARTNER' || !p.agencyKind) {
    throw new DomainError(DomainErrorCode.FORBIDDEN, 'only a partner agency owns partner records / 仅协作单位可访问');
  }
  return { kind: p.agencyKind, id: p.agencyId ?? p.sub };
}

/**
 * The owner key stored on records a partner creates and matched when it reads them back:
 * `<KIND>:<agency id>` (≤ 120 characters), so a PRISON client registered with a court's agency
 * id owns nothing of the court's (issue 6 item 15). Records stored before hold the bare id and are
 * owned by no partner token (fail closed).
 */
export function agencyOwnerKey(p: Principal): string {
  const a = partnerAgencyOf(p);
  return `${a.kind}:${a.id}`;
}
