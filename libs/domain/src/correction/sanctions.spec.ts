import { SanctionKind, SanctionLapse, SanctionRecord, isHigherSanction, suggestNextSanction } from './sanctions';

const A = (decidedOn: string): SanctionRecord => ({ kind: SanctionKind.ADMONITION, decidedOn });
const W = (decidedOn: string): SanctionRecord => ({ kind: SanctionKind.WARNING, decidedOn });
const lost = (days: number): SanctionLapse => ({ kind: 'LOST_CONTACT', days });
const late = (days: number): SanctionLapse => ({ kind: 'LATE', days });

describe(suggestNextSanction.name, () => {
  it('CC-11: no lapse and no history → nothing', () => {
    expect(suggestNextSanction([], null)).toBeNull();
  });

  it.each([
    [1, SanctionKind.ADMONITION],
    [10, SanctionKind.ADMONITION],
    [11, SanctionKind.WARNING],
    [30, SanctionKind.WARNING],
    [31, SanctionKind.REVOCATION_PROPOSAL],
  ])('CC-11: lost contact of %i day(s) → %s (threshold boundaries)', (days, kind) => {
    expect(suggestNextSanction([], lost(days))?.kind).toBe(kind);
  });

  it.each([
    [1, SanctionKind.ADMONITION],
    [10, SanctionKind.ADMONITION],
    [11, SanctionKind.WARNING],
    [31, SanctionKind.WARNING],
    [400, SanctionKind.WARNING],
  ])('CC-11 (issue 7 item 2): a report-in or check-in %i day(s) late → %s, never revocation (that is for lost contact)', (days, kind) => {
    expect(suggestNextSanction([], late(days))?.kind).toBe(kind);
  });

  it('CC-11: the reason is in Chinese and names what and the days', () => {
    expect(suggestNextSanction([], late(11))).toEqual({ kind: SanctionKind.WARNING, label: '警告', reason: '迟报11日，超过10日，建议警告' });
    expect(suggestNextSanction([], lost(31))).toEqual({
      kind: SanctionKind.REVOCATION_PROPOSAL,
      label: '提请撤销缓刑/假释或收监执行',
      reason: '脱离监管31日，超过30日，建议提请撤销缓刑/假释或收监执行',
    });
  });

  it('CC-11: one 训诫 → nothing more; two 训诫 without improvement → 警告', () => {
    expect(suggestNextSanction([A('2026-03-01')], null)).toBeNull();
    expect(suggestNextSanction([A('2026-03-01'), A('2026-04-01')], null)).toMatchObject({ kind: SanctionKind.WARNING, reason: '已受训诫2次，仍未改正，建议警告' });
  });

  it('CC-11: an improvement after the first 训诫 resets the count', () => {
    expect(suggestNextSanction([A('2026-03-01'), A('2026-04-01')], null, '2026-03-15')).toBeNull();
    expect(suggestNextSanction([A('2026-03-01'), A('2026-04-01')], null, '2026-03-01')?.kind).toBe(SanctionKind.WARNING);
  });

  it('CC-11: 训诫 before a 警告 do not count again after it', () => {
    expect(suggestNextSanction([A('2026-03-01'), A('2026-04-01'), W('2026-05-01')], null)).toBeNull();
    expect(suggestNextSanction([A('2026-03-01'), A('2026-04-01'), W('2026-05-01'), A('2026-06-01')], null)).toBeNull();
  });

  it('CC-11: one 警告 → nothing more; two 警告 without improvement → propose revocation', () => {
    expect(suggestNextSanction([W('2026-03-01')], null)).toBeNull();
    expect(suggestNextSanction([W('2026-03-01'), W('2026-04-01')], null)?.kind).toBe(SanctionKind.REVOCATION_PROPOSAL);
    expect(suggestNextSanction([W('2026-03-01'), W('2026-04-01')], null, '2026-03-02')).toBeNull();
  });

  it('CC-11: the highest applicable step wins', () => {
    expect(suggestNextSanction([A('2026-03-01'), A('2026-04-01')], late(3))?.kind).toBe(SanctionKind.WARNING);
    expect(suggestNextSanction([A('2026-03-01'), A('2026-04-01')], lost(40))?.kind).toBe(SanctionKind.REVOCATION_PROPOSAL);
  });

  it('CC-11: nothing once a revocation proposal is on record', () => {
    expect(suggestNextSanction([{ kind: SanctionKind.REVOCATION_PROPOSAL, decidedOn: '2026-03-01' }], lost(40))).toBeNull();
  });

  it('CC-11: the thresholds are configuration', () => {
    const t = { admonitionMaxDays: 5, revocationMinDaysExclusive: 20, repeatCount: 3 };
    expect(suggestNextSanction([], late(6), null, t)?.kind).toBe(SanctionKind.WARNING);
    expect(suggestNextSanction([], lost(21), null, t)?.kind).toBe(SanctionKind.REVOCATION_PROPOSAL);
    expect(suggestNextSanction([A('2026-03-01'), A('2026-04-01')], null, null, t)).toBeNull();
    expect(suggestNextSanction([A('2026-03-01'), A('2026-04-01'), A('2026-05-01')], null, null, t)?.kind).toBe(SanctionKind.WARNING);
  });
});

describe(isHigherSanction.name, () => {
  it('orders the ladder', () => {
    expect(isHigherSanction(SanctionKind.ADMONITION, null)).toBe(true);
    expect(isHigherSanction(SanctionKind.WARNING, SanctionKind.ADMONITION)).toBe(true);
    expect(isHigherSanction(SanctionKind.WARNING, SanctionKind.WARNING)).toBe(false);
  });
});
