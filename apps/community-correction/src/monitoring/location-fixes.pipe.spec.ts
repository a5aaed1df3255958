import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ValidationPipe } from '@nestjs/common';
import { createValidationPipe, setInputWindowClock } from '@homeward/platform';
import { LocationFixDto, LocationFixesDto } from './dto/location-fixes.dto';
import { LocationFixesController } from './location-fixes.controller';
import { LocationFixesPipe } from './location-fixes.pipe';

const NOW = new Date('2026-11-20T02:00:00Z');
const fix = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ deviceId: 'DEV-1', at: '2026-11-20T10:05:00+08:00', lat: 31.75, lng: 120.33, ...over });
const many = (n: number) => Array.from({ length: n }, (_, i) => fix({ deviceId: `DEV-${i}`, lat: 31.75 + i * 1e-6 }));

/** Bodies the endpoint must take: the pipe's own loop decides them. */
const GOOD: Array<[string, unknown]> = [
  ['one fix', { fixes: [fix()] }],
  ['with accuracyM', { fixes: [fix({ accuracyM: 12.5 })] }],
  ['accuracyM null (optional)', { fixes: [fix({ accuracyM: null })] }],
  ['accuracyM 0', { fixes: [fix({ accuracyM: 0 })] }],
  ['1,000 fixes', { fixes: many(1000) }],
  ['the bounds of lat and lng', { fixes: [fix({ lat: -90, lng: 180 }), fix({ lat: 90, lng: -180 })] }],
  ['Z with milliseconds', { fixes: [fix({ at: '2026-11-20T02:05:00.123Z' })] }],
  ['an offset without a colon', { fixes: [fix({ at: '2026-11-20T10:05:00+0800' })] }],
  ['a device id of 64 characters', { fixes: [fix({ deviceId: 'D'.repeat(64) })] }],
  ['a device id of 33 astral characters (66 UTF-16 units, 33 for class-validator)', { fixes: [fix({ deviceId: '📍'.repeat(33) })] }],
];

/** Bodies the endpoint must refuse: the global pipe's answer, word for word. */
const BAD: Array<[string, unknown]> = [
  ['no fixes', { fixes: [] }],
  ['1,001 fixes', { fixes: many(1001) }],
  ['fixes missing', {}],
  ['fixes not an array', { fixes: fix() }],
  ['a body that is an array', [fix()]],
  ['no body', undefined],
  ['a field the DTO lacks, at the top', { fixes: [fix()], source: 'x' }],
  ['a field the DTO lacks, in a fix', { fixes: [fix({ speed: 3 })] }],
  ['an empty device id', { fixes: [fix({ deviceId: '' })] }],
  ['a device id of 65 characters', { fixes: [fix({ deviceId: 'D'.repeat(65) })] }],
  ['a device id that is a number', { fixes: [fix({ deviceId: 42 })] }],
  ['lat 91', { fixes: [fix(), fix({ lat: 91 })] }],
  ['lng -181', { fixes: [fix({ lng: -181 })] }],
  ['lat as a string', { fixes: [fix({ lat: '31.75' })] }],
  ['lat Infinity', { fixes: [fix({ lat: Infinity })] }],
  ['at without an offset', { fixes: [fix({ at: '2026-11-20T10:05:00' })] }],
  ['at with a space', { fixes: [fix({ at: '2026-11-20 10:05' })] }],
  ['at on a day that does not exist', { fixes: [fix({ at: '2026-02-30T10:00:00+08:00' })] }],
  ['at two years back (outside the window)', { fixes: [fix({ at: '2024-11-20T10:05:00+08:00' })] }],
  ['a negative accuracy', { fixes: [fix({ accuracyM: -1 })] }],
  ['a fix that is null', { fixes: [fix(), null] }],
  ['several faults in several fixes', { fixes: [fix({ lat: 100 }), fix({ deviceId: '', at: 'yesterday' })] }],
];

type Outcome = { value: unknown } | { error: { type: string; status?: number; response: unknown } };
async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { value: await run() };
  } catch (e) {
    const err = e as Error & { getStatus?: () => number; getResponse?: () => unknown };
    return { error: { type: err.constructor.name, status: err.getStatus?.(), response: err.getResponse?.() ?? { ...err, message: err.message } } };
  }
}

describe(LocationFixesPipe.name, () => {
  const pipe = new LocationFixesPipe();
  const metadata = { type: 'body' as const, metatype: Object, data: undefined };
  /** What the endpoint did before the pipe: `@Body() dto: LocationFixesDto` under the global ValidationPipe. */
  const globalPipe = (body: unknown) => createValidationPipe().transform(body, { type: 'body', metatype: LocationFixesDto, data: undefined });

  beforeAll(() => setInputWindowClock({ now: () => NOW }));
  afterAll(() => setInputWindowClock(undefined));
  afterEach(() => jest.restoreAllMocks());

  describe('transform', () => {
    it.each(GOOD)('takes %s as the global pipe does (the same LocationFixesDto), without the global pipe', async (_, body) => {
      const expected = await outcome(() => globalPipe(body));
      expect(expected).toHaveProperty('value');
      const fallback = jest.spyOn(ValidationPipe.prototype, 'transform');
      const got = await outcome(() => pipe.transform(body, metadata));
      expect(fallback).not.toHaveBeenCalled();
      expect(got).toStrictEqual(expected);
      const dto = (got as { value: LocationFixesDto }).value;
      expect(dto).toBeInstanceOf(LocationFixesDto);
      for (const f of dto.fixes) expect(f).toBeInstanceOf(LocationFixDto);
    });

    it.each(BAD)('refuses %s with the global pipe\'s own problem', async (_, body) => {
      const expected = await outcome(() => globalPipe(body));
      expect(expected).toHaveProperty('error');
      expect(await outcome(() => pipe.transform(body, metadata))).toStrictEqual(expected);
    });

    it('a refusal is the bilingual 400 problem naming each field at fault', async () => {
      const got = await outcome(() => pipe.transform({ fixes: [fix(), fix({ lat: 91 })] }, metadata));
      expect(got).toMatchObject({
        error: { status: 400, response: { detail: expect.stringContaining('个字段无效'), errors: [{ field: 'fixes[1].lat', message: expect.any(String) }] } },
      });
    });
  });

  it('is the only check of the endpoint\'s body: the parameter is not typed with a class the global pipe would validate first', () => {
    const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, LocationFixesController, 'ingest') as Record<string, { pipes: unknown[] }>;
    expect(Object.values(args).map((a) => a.pipes)).toEqual([[LocationFixesPipe]]);
    const [bodyType] = Reflect.getMetadata('design:paramtypes', LocationFixesController.prototype, 'ingest') as unknown[];
    expect(bodyType).toBe(Object);
  });
});
