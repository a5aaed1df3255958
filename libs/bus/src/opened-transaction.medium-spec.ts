import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@homeward/testing';
import { escapeLiteral, inTransactionOpenedWith } from './opened-transaction';

jest.setTimeout(60_000);

/** inTransactionOpenedWith: the bus's one-round-trip transaction opening (issue 13 S1), on real PostgreSQL. */
describe('inTransactionOpenedWith (issue 13 S1; real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    // one connection: a connection left inside a transaction would show in the next test
    ds = new DataSource({ type: 'postgres', url: db.url, extra: { max: 1 } });
    await ds.initialize();
    await ds.query(`CREATE TABLE t (v text PRIMARY KEY)`);
  });
  beforeEach(() => ds.query(`TRUNCATE t`));
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const values = async (): Promise<string[]> => ((await ds.query(`SELECT v FROM t ORDER BY v`)) as { v: string }[]).map((r) => r.v);

  it('the opening statements and the work commit together; the work gets each opening statement\'s result', async () => {
    const answer = await inTransactionOpenedWith(ds, `INSERT INTO t VALUES ('a') RETURNING v; SELECT txid_current() AS tx`, async ([inserted, tx], m) => {
      const [{ tx: sameTx }] = await m.query(`SELECT txid_current() AS tx`);
      await m.query(`INSERT INTO t VALUES ($1)`, ['b']);
      return { inserted: inserted.rows, sameTransaction: String(sameTx) === String(tx.rows[0].tx) };
    });
    expect(answer).toEqual({ inserted: [{ v: 'a' }], sameTransaction: true });
    expect(await values()).toEqual(['a', 'b']);
  });

  it('an error in the work rolls back the opening statements as well, and is rethrown', async () => {
    await expect(
      inTransactionOpenedWith(ds, `INSERT INTO t VALUES ('a')`, async (_, m) => {
        await m.query(`INSERT INTO t VALUES ('b')`);
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(await values()).toEqual([]);
  });

  it('an opening statement that fails rolls back and leaves the connection usable (pool of one)', async () => {
    await expect(inTransactionOpenedWith(ds, `INSERT INTO t VALUES ('a'); INSERT INTO t VALUES ('a')`, async () => 'never')).rejects.toThrow(/duplicate key/);
    expect(await values()).toEqual([]);
    const [{ s }] = await ds.query(`SELECT pg_current_xact_id_if_assigned() IS NULL AS s`);
    expect(s).toBe(true);
  });

  it('a manager.transaction() inside the work is a savepoint: it neither commits early nor survives the outer rollback', async () => {
    await expect(
      inTransactionOpenedWith(ds, `INSERT INTO t VALUES ('a')`, async (_, m) => {
        await m.transaction(async (inner) => {
          await inner.query(`INSERT INTO t VALUES ('b')`);
        });
        // an inner failure rolls back only the inner part
        await m
          .transaction(async (inner) => {
            await inner.query(`INSERT INTO t VALUES ('c')`);
            throw new Error('inner failed');
          })
          .catch(() => undefined);
        const seen = await m.query(`SELECT v FROM t ORDER BY v`);
        expect(seen).toEqual([{ v: 'a' }, { v: 'b' }]);
        throw new Error('outer failed');
      }),
    ).rejects.toThrow('outer failed');
    // with a plain START TRANSACTION unknown to TypeORM, the first inner transaction's COMMIT would have kept 'a' and 'b'
    expect(await values()).toEqual([]);
  });

  it('escapeLiteral keeps a quote-laden value one literal (no statement of its own)', async () => {
    const nasty = `x'); DROP TABLE t; --`;
    await inTransactionOpenedWith(ds, `INSERT INTO t VALUES (${escapeLiteral(nasty)})`, async () => undefined);
    expect(await values()).toEqual([nasty]);
  });
});
