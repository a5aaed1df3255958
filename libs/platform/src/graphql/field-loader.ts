import DataLoader from 'dataloader';

/** The GraphQL request context as a subgraph builds it: the request's DataLoaders live here. */
export interface LoaderContext {
  loaders?: Map<string, DataLoader<string, unknown>>;
}

/**
 * One DataLoader per (request, name) behind a field: a list of 200 rows asking for the field
 * costs one batch, not 200 (STYLE.md). `batch` returns the values by key; a key it leaves out
 * gets `fallback`. The loader lives as long as the request, so `batch` may close over the caller.
 */
export function fieldLoader<V>(
  ctx: LoaderContext,
  name: string,
  batch: (keys: readonly string[]) => Promise<Map<string, V>>,
  fallback: V,
  options: { windowMs?: number } = {},
): DataLoader<string, V> {
  ctx.loaders ??= new Map();
  let loader = ctx.loaders.get(name) as DataLoader<string, V> | undefined;
  if (!loader) {
    // windowMs: collect the keys for that long (for heavy batches whose fields reach the loader a few I/O
    // turns apart, e.g. after per-field guards); default: DataLoader's own tick.
    const schedule = options.windowMs ? { batchScheduleFn: (cb: () => void) => setTimeout(cb, options.windowMs) } : {};
    loader = new DataLoader<string, V>(async (keys) => {
      const byKey = await batch(keys);
      return keys.map((k) => byKey.get(k) ?? fallback);
    }, schedule);
    ctx.loaders.set(name, loader as DataLoader<string, unknown>);
  }
  return loader;
}

/**
 * Like `fieldLoader`, but keyed by the parent row itself (cached by its `id`): the batch gets the rows
 * the list already read, so a per-row field does not read them again (issue 13 S5: the caseload's
 * `supervision` and `compliance` each re-read the page's 20 subjects, every encrypted column decrypted).
 */
export function rowLoader<P extends { id: string }, V>(
  ctx: LoaderContext,
  name: string,
  batch: (rows: readonly P[]) => Promise<Map<string, V>>,
  fallback: V,
): DataLoader<P, V, string> {
  ctx.loaders ??= new Map();
  let loader = ctx.loaders.get(name) as unknown as DataLoader<P, V, string> | undefined;
  if (!loader) {
    loader = new DataLoader<P, V, string>(
      async (rows) => {
        const byId = await batch(rows);
        return rows.map((r) => byId.get(r.id) ?? fallback);
      },
      { cacheKeyFn: (r) => r.id },
    );
    ctx.loaders.set(name, loader as unknown as DataLoader<string, unknown>);
  }
  return loader;
}
