import { LoaderContext, fieldLoader, rowLoader } from './field-loader';

describe(rowLoader.name, () => {
  it('hands the batch the parent rows themselves, once per id, and the fallback to rows it leaves out', async () => {
    const ctx: LoaderContext = {};
    const batch = jest.fn(async (rows: readonly { id: string; n: number }[]) => new Map(rows.filter((r) => r.id !== 'c').map((r) => [r.id, r.n * 10])));
    const load = (row: { id: string; n: number }) => rowLoader(ctx, 'test.rows', batch, -1).load(row);
    const values = await Promise.all([load({ id: 'a', n: 1 }), load({ id: 'b', n: 2 }), load({ id: 'a', n: 1 }), load({ id: 'c', n: 3 })]);
    expect(values).toEqual([10, 20, 10, -1]);
    expect(batch).toHaveBeenCalledTimes(1);
    expect(batch.mock.calls[0][0]).toEqual([
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
      { id: 'c', n: 3 },
    ]);
  });

  it('keeps one loader per request and name, apart from the fieldLoaders of the same request', async () => {
    const ctx: LoaderContext = {};
    const rows = rowLoader(ctx, 'test.rows', async (r: readonly { id: string }[]) => new Map(r.map((x) => [x.id, 'row'])), '');
    expect(rowLoader(ctx, 'test.rows', async () => new Map(), '')).toBe(rows);
    const ids = fieldLoader(ctx, 'test.ids', async (keys) => new Map(keys.map((k) => [k, 'id'])), '');
    expect(await Promise.all([rows.load({ id: 'x' }), ids.load('x')])).toEqual(['row', 'id']);
  });
});
