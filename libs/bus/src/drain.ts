import { Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';

/** How long a stopping app lets in-flight jobs finish (below the launcher's and Kubernetes' grace periods). */
export const SHUTDOWN_DRAIN_MS = 8_000;

const logger = new Logger('Shutdown');
/** Workers whose drain timed out: a later call does not wait for them again. */
const givenUp = new WeakSet<Worker>();

/**
 * Graceful stop of a BullMQ worker (issue 14 item 7): takes no new job and waits for the running ones,
 * at most `timeoutMs`; then the stop goes on without it (the unfinished job's lock lapses and it is
 * retried later: the handlers are idempotent). BullMQ's `close(true)` after a `close()` waits for the
 * first one, so "by force" means not waiting any longer. Call it from `onModuleDestroy`, which Nest runs for every module before any
 * `beforeApplicationShutdown`, so no connection a handler needs is closed under it.
 */
export async function drainWorker(worker: Worker | undefined, name: string, timeoutMs = SHUTDOWN_DRAIN_MS): Promise<void> {
  if (!worker || givenUp.has(worker)) return;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const outcome = await Promise.race([worker.close().then(() => 'drained' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    givenUp.add(worker);
    logger.warn(`${name}: jobs still running after ${timeoutMs} ms; stopping without them (they will be retried)`);
  }
}
