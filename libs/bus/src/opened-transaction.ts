import { escapeLiteral, type PoolClient, type QueryResult } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

export { escapeLiteral };

/**
 * Runs `work` in a transaction whose first statements travel with START TRANSACTION in one simple-protocol
 * message (issue 13 S1): one round trip to PostgreSQL instead of one per statement, for the bus's hot paths
 * (the relay's batch, a consumer's inbox claim). `opening` is plain SQL, one or more statements separated by
 * `;`, without parameters: every value in it must be a constant of the code or pass through
 * {@link escapeLiteral}. `work` gets the opening statements' results (in order) and the transaction's
 * EntityManager; its return value is committed, its error rolls everything back and is rethrown.
 *
 * TypeORM is told the transaction is open (what `QueryRunner.startTransaction()` sets), so a
 * `manager.transaction(...)` inside `work` nests as a savepoint and COMMIT/ROLLBACK go through TypeORM as
 * usual. `opened-transaction.medium-spec.ts` holds it to that, so a TypeORM upgrade that changes the
 * runner's state is caught there.
 */
export async function inTransactionOpenedWith<T>(
  dataSource: DataSource,
  opening: string,
  work: (results: QueryResult[], manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    let results: QueryResult[];
    try {
      const answer = (await client.query(`START TRANSACTION; ${opening}`)) as unknown as QueryResult[];
      results = answer.slice(1);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined); // a statement failed after START TRANSACTION
      throw err;
    }
    // BaseQueryRunner's own fields, as startTransaction() leaves them
    Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
    try {
      const value = await work(results, runner.manager);
      await runner.commitTransaction();
      return value;
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  } finally {
    await runner.release();
  }
}
