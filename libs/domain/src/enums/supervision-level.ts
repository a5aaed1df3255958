/** CC-8 supervision levels. */
export enum SupervisionLevel {
  STRICT = 'STRICT',
  ORDINARY = 'ORDINARY',
  LENIENT = 'LENIENT',
}

export const SUPERVISION_LEVEL_LABELS: Record<SupervisionLevel, string> = {
  [SupervisionLevel.STRICT]: '严管',
  [SupervisionLevel.ORDINARY]: '普管',
  [SupervisionLevel.LENIENT]: '宽管',
};
