import { RiskColour } from '@homeward/domain';
import { responseDueBy } from './response-time';

const times = { redMinutes: 60, orangeMinutes: 240, yellowWorkingDays: 3 };

describe(responseDueBy.name, () => {
  it('AL-2: RED must be acknowledged within 1 hour and ORANGE within 4 hours', () => {
    const raised = new Date('2026-11-27T02:00:00Z');
    expect(responseDueBy(RiskColour.RED, raised, times)?.toISOString()).toBe('2026-11-27T03:00:00.000Z');
    expect(responseDueBy(RiskColour.ORANGE, raised, times)?.toISOString()).toBe('2026-11-27T06:00:00.000Z');
  });

  it('AL-2: YELLOW is due at the end of the 3rd working day after the day it was raised', () => {
    // Friday 2026-11-27 (Shanghai) → Mon 30, Tue 1, Wed 2 Dec; end of 2 Dec Shanghai = 15:59:59.999Z.
    const raised = new Date('2026-11-27T02:00:00Z');
    expect(responseDueBy(RiskColour.YELLOW, raised, times)?.toISOString()).toBe('2026-12-02T15:59:59.999Z');
  });

  it('AL-2: YELLOW skips the National Day holiday', () => {
    // Raised on 2026-09-30 (Wed, Shanghai); 1–7 Oct are holidays, so the 3rd working day is in the week after.
    const raised = new Date('2026-09-30T02:00:00Z');
    const due = responseDueBy(RiskColour.YELLOW, raised, times)!;
    expect(due.getTime()).toBeGreaterThan(new Date('2026-10-08T00:00:00Z').getTime());
  });

  it('AL-2: BLUE has no response time', () => {
    expect(responseDueBy(RiskColour.BLUE, new Date(), times)).toBeNull();
  });
});
