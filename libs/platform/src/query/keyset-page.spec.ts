import { DomainError, DomainErrorCode } from '@homeward/domain';
import { SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor } from './cursor';
import { EMPTY_PAGE, keysetPage } from './keyset-page';

interface Row {
  id: string;
  createdAt: Date;
}

const row = (n: number): Row => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, createdAt: new Date(Date.UTC(2026, 0, n)) });

/** Records what keysetPage asks of the query builder and serves `rows` (up to the take) plus `count`. */
function fakeQb(rows: Row[], count: number) {
  const calls = { wheres: [] as Array<[string, unknown]>, orders: [] as string[], take: -1 };
  const qb = {
    clone: () => ({ getCount: async () => count }),
    andWhere(sql: string, params: unknown) {
      calls.wheres.push([sql, params]);
      return qb;
    },
    orderBy(col: string, dir: string) {
      calls.orders.push(`${col} ${dir}`);
      return qb;
    },
    addOrderBy(col: string, dir: string) {
      calls.orders.push(`${col} ${dir}`);
      return qb;
    },
    take(n: number) {
      calls.take = n;
      return qb;
    },
    getMany: async () => rows.slice(0, calls.take),
  };
  return { qb: qb as unknown as SelectQueryBuilder<Row>, calls };
}

describe('keysetPage', () => {
  it('fetches one row more than the page, newest first, and reports the next page and end cursor', async () => {
    const { qb, calls } = fakeQb([row(5), row(4), row(3)], 3);
    const page = await keysetPage(qb, 'x', { first: 2 });
    expect(calls.take).toBe(3);
    expect(calls.orders).toEqual(['x.createdAt DESC', 'x.id DESC']);
    expect(calls.wheres).toEqual([]);
    expect(page).toEqual({ items: [row(5), row(4)], totalCount: 3, endCursor: encodeCursor(row(4)), hasNextPage: true });
  });

  it('the last page has no next page; an empty page has no end cursor', async () => {
    expect(await keysetPage(fakeQb([row(1)], 1).qb, 'x', { first: 2 })).toEqual({ items: [row(1)], totalCount: 1, endCursor: encodeCursor(row(1)), hasNextPage: false });
    expect(await keysetPage(fakeQb([], 0).qb, 'x', { first: 2 })).toEqual({ items: [], totalCount: 0, endCursor: null, hasNextPage: false });
  });

  it('continues strictly before the cursor row', async () => {
    const { qb, calls } = fakeQb([], 7);
    await keysetPage(qb, 'x', { first: 10, after: encodeCursor(row(4)) });
    const c = decodeCursor(encodeCursor(row(4)));
    expect(calls.wheres).toEqual([['(x.createdAt, x.id) < (:at, :id)', { at: c.at, id: c.id }]]);
  });

  it('clamps the page size to 1..max (100 unless given)', async () => {
    const sizes: number[] = [];
    for (const [first, max] of [[0, undefined], [-5, undefined], [500, undefined], [500, 200], [150, 200]] as const) {
      const { qb, calls } = fakeQb([], 0);
      await keysetPage(qb, 'x', { first, max });
      sizes.push(calls.take - 1);
    }
    expect(sizes).toEqual([1, 1, 100, 200, 150]);
  });

  it('rejects a malformed cursor as VALIDATION_FAILED', async () => {
    const err = await keysetPage(fakeQb([], 0).qb, 'x', { first: 1, after: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(DomainErrorCode.VALIDATION_FAILED);
  });

  it('EMPTY_PAGE is an empty, frozen page', () => {
    expect(EMPTY_PAGE).toEqual({ items: [], totalCount: 0, endCursor: null, hasNextPage: false });
    expect(Object.isFrozen(EMPTY_PAGE) && Object.isFrozen(EMPTY_PAGE.items)).toBe(true);
  });
});
