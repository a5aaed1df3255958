import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('issue 3: every enum of the correction subgraph has a Chinese label for every value', () => {
    const sdl = readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8');
    const enums = [...sdl.matchAll(/^enum (\w+)[^{]*\{([^}]*)\}/gm)]
      .filter(([, name]) => !name.startsWith('link__'))
      .map(([, name, body]) => ({ name, values: body.split('\n').map((l) => l.trim()).filter((l) => /^[A-Z][A-Z0-9_]*$/.test(l)) }));
    expect(enums.length).toBeGreaterThan(20);
    const missing = enums.flatMap(({ name, values }) =>
      values.filter((v) => !CORRECTION_ENUM_LABELS[name]?.[v]).map((v) => `${name}.${v}`),
    );
    expect(missing).toEqual([]);
  });
});
