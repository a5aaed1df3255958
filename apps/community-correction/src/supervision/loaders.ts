import DataLoader from 'dataloader';

/** The GraphQL request context: per-request DataLoaders live here. */
export interface LoaderContext {
  loaders?: Map<string, DataLoader<string, unknown>>;
}

/** One DataLoader per (request, name): a list of 200 subjects asking for a field costs one query, not 200. */
export function loaderOf<V>(ctx: LoaderContext, name: string, batch: (keys: readonly string[]) => Promise<Map<string, V>>, fallback: V): DataLoader<string, V> {
  ctx.loaders ??= new Map();
  let loader = ctx.loaders.get(name) as DataLoader<string, V> | undefined;
  if (!loader) {
    loader = new DataLoader<string, V>(async (keys) => {
      const byKey = await batch(keys);
      return keys.map((k) => byKey.get(k) ?? fallback);
    });
    ctx.loaders.set(name, loader as DataLoader<string, unknown>);
  }
  return loader;
}
