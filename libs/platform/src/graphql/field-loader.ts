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
