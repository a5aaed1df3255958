import { DomainError, DomainErrorCode } from '../errors';

/**
 * RS-11 the sunshine assistance fund (阳光帮扶基金). Amounts are whole fen (分) so no rounding
 * ever happens; the database keeps the same rule with a CHECK (balance ≥ 0) and a row lock.
 */
export enum FundMovementKind {
  DONATION = 'DONATION',
  GRANT = 'GRANT',
}

export const FUND_MOVEMENT_KIND_LABELS: Record<FundMovementKind, string> = {
  [FundMovementKind.DONATION]: '捐赠',
  [FundMovementKind.GRANT]: '帮扶资助',
};

/** The balance after a movement. @throws DomainError when an amount is not positive whole fen or a grant exceeds the balance. */
export function balanceAfter(balanceFen: number, kind: FundMovementKind, amountFen: number): number {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `amount must be a positive whole number of fen, got ${amountFen} / 金额须为正整数（分）`, {
      field: 'amountFen',
    });
  }
  if (kind === FundMovementKind.DONATION) return balanceFen + amountFen;
  if (amountFen > balanceFen) {
    throw new DomainError(
      DomainErrorCode.CONFLICT,
      `the fund holds ${balanceFen} fen, a grant of ${amountFen} would make it negative / 基金余额不足`,
      { field: 'amountFen', details: { balanceFen, amountFen } },
    );
  }
  return balanceFen - amountFen;
}
