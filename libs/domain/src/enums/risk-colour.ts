/** 四色预警: alert severity (AL-2). */
export enum RiskColour {
  RED = 'RED',
  ORANGE = 'ORANGE',
  YELLOW = 'YELLOW',
  BLUE = 'BLUE',
}

export const RISK_COLOUR_LABELS: Record<RiskColour, string> = {
  [RiskColour.RED]: '红色',
  [RiskColour.ORANGE]: '橙色',
  [RiskColour.YELLOW]: '黄色',
  [RiskColour.BLUE]: '蓝色',
};

/** Ascending severity: BLUE < YELLOW < ORANGE < RED. */
export const RISK_COLOUR_ORDER: readonly RiskColour[] = Object.freeze([
  RiskColour.BLUE,
  RiskColour.YELLOW,
  RiskColour.ORANGE,
  RiskColour.RED,
]);

/** Negative when a is less severe than b, 0 when equal, positive when more severe. */
export function compareRiskColour(a: RiskColour, b: RiskColour): number {
  return RISK_COLOUR_ORDER.indexOf(a) - RISK_COLOUR_ORDER.indexOf(b);
}

/** One colour higher; RED stays RED (AL-4 sensitive periods). */
export function raiseColour(c: RiskColour): RiskColour {
  const i = RISK_COLOUR_ORDER.indexOf(c);
  if (i < 0) throw new RangeError(`Unknown risk colour: ${String(c)}`);
  return RISK_COLOUR_ORDER[Math.min(i + 1, RISK_COLOUR_ORDER.length - 1)];
}

/** The more severe of two colours. */
export function maxColour(a: RiskColour, b: RiskColour): RiskColour {
  return compareRiskColour(a, b) >= 0 ? a : b;
}
