import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The transaction a request already runs in (issue 14 items 1–2). The idempotency interceptor opens
 * one transaction per `@Idempotent()` request, claims the key in it and stores the answer in it
 * before COMMIT; the service's business write joins that same transaction through `inTransaction`,
 * so claim, records, outbox events and stored answer commit together or not at all.
 */
const ambient = new AsyncLocalStorage<EntityManager>();

/** Runs `fn` with `manager` (of an open transaction) as the ambient transaction of this async context. */
export function runInAmbientTransaction<T>(manager: EntityManager, fn: () => Promise<T>): Promise<T> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('runInAmbientTransaction needs the EntityManager of an open transaction');
  return ambient.run(manager, fn);
}

/** The ambient transaction's manager for `dataSource`, if this async context runs in one. */
export function ambientManager(dataSource: DataSource): EntityManager | undefined {
  const m = ambient.getStore();
  if (!m || m.connection !== dataSource || !m.queryRunner?.isTransactionActive || m.queryRunner.isReleased) return undefined;
  return m;
}

/**
 * `dataSource.transaction(fn)`, except inside an ambient transaction (an idempotent partner request):
 * then `fn` runs in it, and its writes commit with the stored answer of the Idempotency-Key. Use it
 * for the business write of every `@Idempotent()` endpoint. An error thrown by `fn` rolls the whole
 * ambient transaction back (the key is not kept).
 */
export function inTransaction<T>(dataSource: DataSource, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
  const m = ambientManager(dataSource);
  return m ? fn(m) : dataSource.transaction(fn);
}
