import { ENUM_LABELS } from '@homeward/domain';
import { CORRECTION_ENUM_LABELS, enumLabelEntries } from './labels';

describe('enum label dictionary', () => {
  it('covers every shared enum of libs/domain and correction\'s own, each value with a Chinese label', () => {
    for (const name of Object.keys(ENUM_LABELS)) expect(CORRECTION_ENUM_LABELS[name]).toBeDefined();
    for (const e of enumLabelEntries()) expect(e.label).toMatch(/[\u4e00-\u9fff]/);
  });

  it('filters by name and ignores unknown names', () => {
    expect(enumLabelEntries(['CorrectionStatus', 'NoSuchEnum'])).toEqual(
      Object.entries(ENUM_LABELS.CorrectionStatus).map(([value, label]) => ({ enum: 'CorrectionStatus', value, label })),
    );
    expect(enumLabelEntries(['SanctionKind']).length).toBeGreaterThan(0);
  });
});
