import { RiskColour, addWorkingDays, localDateInShanghai, startOfLocalDateInShanghai } from '@homeward/domain';

export interface ResponseTimes {
  redMinutes: number;
  orangeMinutes: number;
  yellowWorkingDays: number;
}

/** AL-2: when an alert of this colour must be acknowledged by; BLUE has no response time. */
export function responseDueBy(colour: RiskColour, raisedAt: Date, times: ResponseTimes): Date | null {
  switch (colour) {
    case RiskColour.RED:
      return new Date(raisedAt.getTime() + times.redMinutes * 60_000);
    case RiskColour.ORANGE:
      return new Date(raisedAt.getTime() + times.orangeMinutes * 60_000);
    case RiskColour.YELLOW: {
      // By the end of the N-th working day after the day it was raised.
      const day = addWorkingDays(localDateInShanghai(raisedAt), times.yellowWorkingDays);
      return new Date(startOfLocalDateInShanghai(day).getTime() + 24 * 3_600_000 - 1);
    }
    case RiskColour.BLUE:
      return null;
  }
}
