import { AgencyKind } from './agency-kind';

/**
 * Scopes of partner tokens (docs/partner-api.md): one per group of partner endpoints. Identity issues
 * them per client (default: every scope its agency kind may hold); each partner route declares the
 * scope it needs with `@RequiresScopes()` and a token without it gets 403 (issue 6 item 15).
 */
export enum PartnerScope {
  CORRECTION_INVESTIGATIONS = 'correction.investigations',
  CORRECTION_ENROLMENTS = 'correction.enrolments',
  CORRECTION_LOCATION_FIXES = 'correction.location-fixes',
  CORRECTION_PROCURATORATE_NOTICES = 'correction.procuratorate-notices',
  CORRECTION_EXIT_CONTROL = 'correction.exit-control',
  RESETTLEMENT_PRE_RELEASE_NOTICES = 'resettlement.pre-release-notices',
  RESETTLEMENT_RELEASES = 'resettlement.releases',
  RESETTLEMENT_REOFFENCE_REPORTS = 'resettlement.reoffence-reports',
  RESETTLEMENT_VIDEO_VISITS = 'resettlement.video-visits',
  AFTERCARE_RELEASE_NOTICES = 'aftercare.release-notices',
  AFTERCARE_DRUG_TEST_RESULTS = 'aftercare.drug-test-results',
}

/** Which agency kinds may hold each scope (the "who" column of docs/partner-api.md). */
export const PARTNER_SCOPE_KINDS: Readonly<Record<PartnerScope, readonly AgencyKind[]>> = Object.freeze({
  [PartnerScope.CORRECTION_INVESTIGATIONS]: [AgencyKind.COURT, AgencyKind.PROCURATORATE, AgencyKind.POLICE, AgencyKind.PRISON],
  [PartnerScope.CORRECTION_ENROLMENTS]: [AgencyKind.COURT, AgencyKind.PRISON, AgencyKind.POLICE],
  [PartnerScope.CORRECTION_LOCATION_FIXES]: [AgencyKind.MONITORING_PLATFORM],
  [PartnerScope.CORRECTION_PROCURATORATE_NOTICES]: [AgencyKind.PROCURATORATE],
  [PartnerScope.CORRECTION_EXIT_CONTROL]: [AgencyKind.POLICE],
  [PartnerScope.RESETTLEMENT_PRE_RELEASE_NOTICES]: [AgencyKind.PRISON],
  [PartnerScope.RESETTLEMENT_RELEASES]: [AgencyKind.PRISON],
  [PartnerScope.RESETTLEMENT_REOFFENCE_REPORTS]: [AgencyKind.POLICE],
  [PartnerScope.RESETTLEMENT_VIDEO_VISITS]: [AgencyKind.PRISON],
  [PartnerScope.AFTERCARE_RELEASE_NOTICES]: [AgencyKind.REHAB_CENTRE],
  [PartnerScope.AFTERCARE_DRUG_TEST_RESULTS]: [AgencyKind.POLICE],
});

/** Every scope an agency of `kind` may hold: what identity issues when a client is created without a list. */
export function defaultPartnerScopes(kind: AgencyKind): PartnerScope[] {
  return (Object.values(PartnerScope) as PartnerScope[]).filter((s) => PARTNER_SCOPE_KINDS[s].includes(kind));
}

/** True when `scope` is a known scope an agency of `kind` may hold. */
export function isPartnerScopeFor(kind: AgencyKind, scope: string): scope is PartnerScope {
  return (Object.values(PartnerScope) as string[]).includes(scope) && PARTNER_SCOPE_KINDS[scope as PartnerScope].includes(kind);
}
