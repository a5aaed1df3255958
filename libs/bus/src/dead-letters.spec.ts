import { deadLetterRetentionDays } from './dead-letters';

describe('deadLetterRetentionDays', () => {
  it('issue 14 item 6: defaults to 30 days and reads BUS_DEAD_LETTER_RETENTION_DAYS', () => {
    expect(deadLetterRetentionDays({})).toBe(30);
    expect(deadLetterRetentionDays({ BUS_DEAD_LETTER_RETENTION_DAYS: '90' })).toBe(90);
  });

  it.each(['0', '-3', '1.5', 'thirty'])('issue 14 item 6: refuses %p naming the variable', (raw) => {
    expect(() => deadLetterRetentionDays({ BUS_DEAD_LETTER_RETENTION_DAYS: raw })).toThrow(/BUS_DEAD_LETTER_RETENTION_DAYS/);
  });
});
