import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { encodeCursor } from '../query/cursor';
import { PageArgs, PageArgsUpTo, toConnection } from './connection';

interface Row {
  id: string;
  createdAt: Date;
  name: string;
}

const row = (n: number): Row => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, createdAt: new Date(Date.UTC(2026, 0, n)), name: `r${n}` });

describe('toConnection', () => {
  it('maps each row to a node with its keyset cursor; endCursor is the last edge\'s cursor', () => {
    const c = toConnection({ items: [row(3), row(2)], totalCount: 5, hasNextPage: true }, (r) => r.name);
    expect(c).toEqual({
      totalCount: 5,
      pageInfo: { endCursor: encodeCursor(row(2)), hasNextPage: true },
      edges: [
        { cursor: encodeCursor(row(3)), node: 'r3' },
        { cursor: encodeCursor(row(2)), node: 'r2' },
      ],
    });
  });

  it('an empty page has no end cursor', () => {
    expect(toConnection({ items: [] as Row[], totalCount: 0, hasNextPage: false }, (r) => r.name)).toEqual({
      totalCount: 0,
      pageInfo: { endCursor: null, hasNextPage: false },
      edges: [],
    });
  });

  it('takes a cursor of its own for rows that are not keyset rows', () => {
    const c = toConnection({ items: [{ entryId: 'a' }, { entryId: 'b' }], totalCount: 2, hasNextPage: false }, (r) => r.entryId.toUpperCase(), (r) => `c-${r.entryId}`);
    expect(c.edges).toEqual([
      { cursor: 'c-a', node: 'A' },
      { cursor: 'c-b', node: 'B' },
    ]);
    expect(c.pageInfo.endCursor).toBe('c-b');
  });
});

describe('PageArgs', () => {
  class LeavesArgs extends PageArgs {}
  class CaseloadArgs extends PageArgsUpTo(200) {}
  const errors = (cls: new () => object, plain: object) => validateSync(plainToInstance(cls, plain)).map((e) => e.property);

  it('first is 1..100 and after an optional string', () => {
    expect(errors(LeavesArgs, { first: 20 })).toEqual([]);
    expect(errors(LeavesArgs, { first: 100, after: 'x' })).toEqual([]);
    expect(errors(LeavesArgs, { first: 0 })).toEqual(['first']);
    expect(errors(LeavesArgs, { first: 101 })).toEqual(['first']);
    expect(errors(LeavesArgs, { first: 20, after: 5 })).toEqual(['after']);
  });

  it('PageArgsUpTo(200) allows pages of up to 200 and no more', () => {
    expect(errors(CaseloadArgs, { first: 200 })).toEqual([]);
    expect(errors(CaseloadArgs, { first: 201 })).toEqual(['first']);
  });
});
