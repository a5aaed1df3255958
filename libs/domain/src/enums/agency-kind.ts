/** Kinds of partner agency (docs/partner-api.md). */
export enum AgencyKind {
  COURT = 'COURT',
  PROCURATORATE = 'PROCURATORATE',
  POLICE = 'POLICE',
  PRISON = 'PRISON',
  REHAB_CENTRE = 'REHAB_CENTRE',
  MONITORING_PLATFORM = 'MONITORING_PLATFORM',
}

export const AGENCY_KIND_LABELS: Record<AgencyKind, string> = {
  [AgencyKind.COURT]: '人民法院',
  [AgencyKind.PROCURATORATE]: '人民检察院',
  [AgencyKind.POLICE]: '公安机关',
  [AgencyKind.PRISON]: '监狱',
  [AgencyKind.REHAB_CENTRE]: '强制隔离戒毒所',
  [AgencyKind.MONITORING_PLATFORM]: '电子定位监管平台',
};
