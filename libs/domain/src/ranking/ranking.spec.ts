import { DEFAULT_RANKING_WEIGHTS, IndicatorAvailability, attainment, lastClosedPeriods, parseRankingWeights, rankTowns, weightsForYear } from './ranking';

describe(rankTowns.name, () => {
  const w = { 'K-CC1': 1, 'K-RS3': 1, 'K-AC1': 2 };

  it('issue 11 item 6: renormalises over the available weights; an indicator not published is not yet available, never 0', () => {
    const [row] = rankTowns([{ town: '104', indicators: [{ code: 'K-CC1', value: 0.5 }] }], w, 0);
    expect(row.score).toBe(50);
    expect(row.coverage).toBe(0.25);
    expect(row.indicators.find((i) => i.code === 'K-AC1')?.availability).toBe(IndicatorAvailability.NOT_YET_AVAILABLE);
    expect(row.indicators.find((i) => i.code === 'K-RS3')?.availability).toBe(IndicatorAvailability.NOT_YET_AVAILABLE);
  });

  it('issue 11 item 6: nothing to measure (value null) is left out as NO_DATA; a town with nothing is unscored and comes last', () => {
    const rows = rankTowns(
      [
        { town: '001', indicators: [] },
        { town: '104', indicators: [{ code: 'K-CC1', value: null }, { code: 'K-RS3', value: 1 }] },
      ],
      w,
      1,
    );
    expect(rows.map((r) => [r.town, r.score, r.rank, r.flaggedForNotice])).toEqual([
      ['104', 100, 1, true],
      ['001', null, null, false],
    ]);
    expect(rows[0].indicators.find((i) => i.code === 'K-CC1')?.availability).toBe(IndicatorAvailability.NO_DATA);
  });

  it('issue 11 item 6: equal scores share a rank; the bottom N flags every town tied at the boundary', () => {
    const t = (town: string, v: number) => ({ town, indicators: [{ code: 'K-CC1', value: v }] });
    const rows = rankTowns([t('001', 0.9), t('004', 0.7), t('005', 0.7), t('007', 0.8), t('008', 0.6)], { 'K-CC1': 1 }, 2);
    expect(rows.map((r) => [r.town, r.rank, r.flaggedForNotice])).toEqual([
      ['001', 1, false],
      ['007', 2, false],
      ['004', 3, true],
      ['005', 3, true],
      ['008', 5, true],
    ]);
  });
});

describe(attainment.name, () => {
  it('issue 11 item 6: higher is better against the target (capped at 1), lower is better as 1 − value', () => {
    expect(attainment({ target: 0.7, higherIsBetter: true }, 0.35)).toBe(0.5);
    expect(attainment({ target: 0.7, higherIsBetter: true }, 0.9)).toBe(1);
    expect(attainment({ target: null, higherIsBetter: true }, 0.4)).toBe(0.4);
    expect(attainment({ target: 0, higherIsBetter: false }, 0.1)).toBeCloseTo(0.9);
    expect(attainment({ target: 1, higherIsBetter: true }, 1.5)).toBe(1);
  });
});

describe(parseRankingWeights.name, () => {
  it('issue 11 item 6: per year, "*" for the others, the defaults when empty', () => {
    const byYear = parseRankingWeights('{"2027": {"K-CC1": 3}, "*": {"K-RS3": 1}}');
    expect(weightsForYear(byYear, 2027)).toEqual({ 'K-CC1': 3 });
    expect(weightsForYear(byYear, 2028)).toEqual({ 'K-RS3': 1 });
    expect(weightsForYear(parseRankingWeights(''), 2027)).toBe(DEFAULT_RANKING_WEIGHTS);
  });

  it('issue 11 item 6: refuses bad JSON, unknown indicators, negative weights and bad years', () => {
    expect(() => parseRankingWeights('{')).toThrow(RangeError);
    expect(() => parseRankingWeights('{"2027": {"K-XX": 1}}')).toThrow(/unknown indicator/);
    expect(() => parseRankingWeights('{"2027": {"K-CC1": -1}}')).toThrow(/≥ 0/);
    expect(() => parseRankingWeights('{"27": {"K-CC1": 1}}')).toThrow(/not a year/);
  });
});

describe(lastClosedPeriods.name, () => {
  it('issue 11 item 6: the month, quarter and year that ended last', () => {
    expect(lastClosedPeriods('2027-04-01').map((p) => p.label)).toEqual(['2027-03', '2027-Q1', '2026']);
    expect(lastClosedPeriods('2027-01-15').map((p) => p.label)).toEqual(['2026-12', '2026-Q4', '2026']);
    expect(lastClosedPeriods('2027-06-30').map((p) => p.label)).toEqual(['2027-05', '2027-Q1', '2026']);
  });
});
