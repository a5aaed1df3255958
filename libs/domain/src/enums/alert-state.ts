/** AL-1 alert states. */
export enum AlertState {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
  ESCALATED = 'ESCALATED',
}

export const ALERT_STATE_LABELS: Record<AlertState, string> = {
  [AlertState.OPEN]: '待签收',
  [AlertState.ACKNOWLEDGED]: '已签收',
  [AlertState.RESOLVED]: '已处置',
  [AlertState.ESCALATED]: '已升级至指挥中心',
};
