export interface EventuallyOptions {
  /** Give up after this many ms (default 10 000). */
  timeoutMs?: number;
  /** Pause between probes (default 100 ms). */
  intervalMs?: number;
}

/**
 * Calls `probe` until `ok` holds for its result and returns that result; throws
 * `condition not reached in <n> s` after `timeoutMs`. For work done by queue consumers.
 */
export async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, opts: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 100;
  const attempts = Math.max(1, Math.ceil(timeoutMs / intervalMs));
  for (let i = 0; i < attempts; i += 1) {
    const v = await probe();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not reached in ${timeoutMs / 1000} s`);
}

/** Anything with `query(sql)` answering rows (a TypeORM DataSource) or `{ rows }` (a pg client or pool). */
export interface LockProbe {
  query(sql: string): Promise<unknown>;
}

/**
 * Waits until some backend of the current database waits on a lock — the moment a test that holds one
 * transaction open knows the other has reached its conflicting statement.
 */
export async function untilALockIsAwaited(db: LockProbe, opts: EventuallyOptions = {}): Promise<void> {
  await eventually(
    async () => {
      const answer = (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)) as
        | Array<{ n: number }>
        | { rows: Array<{ n: number }> };
      return (Array.isArray(answer) ? answer : answer.rows)[0].n;
    },
    (n) => n > 0,
    opts,
  );
}
