/**
 * RS-13 what follows a failed attempt: `attempts` counts every attempt so far (a redelivery starts a new
 * round of `maxAttempts`); the last of a round is the dead letter, else the next waits `baseMs × 2^(n−1)`,
 * n the attempt's number within its round.
 */
export function afterFailedAttempt(attempts: number, maxAttempts: number, baseMs: number): { dead: true } | { dead: false; delayMs: number } {
  if (attempts % maxAttempts === 0) return { dead: true };
  const round = ((attempts - 1) % maxAttempts) + 1;
  return { dead: false, delayMs: baseMs * 2 ** (round - 1) };
}
