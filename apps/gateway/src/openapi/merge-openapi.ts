/**
 * Merging the apps' OpenAPI documents into the one the gateway serves at /api/docs-json.
 * Pure: the fetching lives in OpenApiAggregator.
 */

/** The parts of an OpenAPI 3 document the merge touches; everything else is carried along. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [k: string]: unknown };
  servers?: unknown[];
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown> | undefined>;
  tags?: Array<{ name: string; [k: string]: unknown }>;
  security?: unknown[];
  [k: string]: unknown;
}

export interface SourceDocument {
  /** App name (identity, correction, ...); used to prefix colliding component names. */
  name: string;
  document: OpenApiDocument;
}

export interface MissingSource {
  name: string;
  reason: string;
}

export interface MergeOptions {
  title?: string;
  version?: string;
  description?: string;
}

const REF_PREFIX = '#/components/';

/**
 * Merge documents: paths and tags are unioned (a path owned by two apps keeps the first and
 * records a note), components are unioned per section; when two apps define the same
 * component name with different content, the later one is renamed `<App>_<Name>` and every
 * `$ref` inside its own paths and components is rewritten to the new name. Apps that could
 * not be fetched are listed in `info.description`.
 */
export function mergeOpenApi(
  sources: readonly SourceDocument[],
  missing: readonly MissingSource[] = [],
  options: MergeOptions = {},
): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Record<string, Record<string, unknown>> = {};
  const tags = new Map<string, { name: string; [k: string]: unknown }>();
  const notes: string[] = [];
  const securityRequirements: unknown[] = [];

  for (const { name, document } of sources) {
    const renames = planRenames(name, document.components ?? {}, components);
    const doc = renames.size > 0 ? rewriteRefs(document, renames) : document;

    for (const [section, entries] of Object.entries(doc.components ?? {})) {
      if (!entries) continue;
      const target = (components[section] ??= {});
      for (const [key, value] of Object.entries(entries)) {
        const newKey = renames.get(`${section}/${key}`) ?? key;
        target[newKey] = value;
      }
    }
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (paths[path]) {
        notes.push(`Path ${path} is described by more than one app; kept the first, skipped ${name}'s.`);
        continue;
      }
      paths[path] = item;
    }
    for (const tag of doc.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
    for (const req of doc.security ?? []) {
      if (!securityRequirements.some((r) => deepEqual(r, req))) securityRequirements.push(req);
    }
  }

  const description = [
    options.description ?? 'Homeward partner REST API, merged from every app behind the gateway.',
    ...notes,
    ...missing.map((m) => `Not included: ${m.name} (${m.reason}).`),
  ].join('\n\n');

  return {
    openapi: '3.0.0',
    info: { title: options.title ?? 'Homeward API', version: options.version ?? '1.0.0', description },
    servers: [{ url: '/' }],
    paths: sortKeys(paths),
    components: sortKeys(Object.fromEntries(Object.entries(components).map(([k, v]) => [k, sortKeys(v)]))),
    tags: [...tags.values()],
    ...(securityRequirements.length > 0 ? { security: securityRequirements } : {}),
  };
}

/** `section/name` → new name for components that collide with an already merged, different one. */
function planRenames(
  app: string,
  incoming: NonNullable<OpenApiDocument['components']>,
  merged: Record<string, Record<string, unknown>>,
): Map<string, string> {
  const renames = new Map<string, string>();
  const prefix = app.charAt(0).toUpperCase() + app.slice(1).replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase());
  for (const [section, entries] of Object.entries(incoming)) {
    if (!entries) continue;
    const existing = merged[section] ?? {};
    for (const [key, value] of Object.entries(entries)) {
      if (key in existing && !deepEqual(existing[key], value)) {
        let candidate = `${prefix}_${key}`;
        for (let n = 2; candidate in existing || candidate in entries; n++) candidate = `${prefix}_${key}${n}`;
        renames.set(`${section}/${key}`, candidate);
      }
    }
  }
  return renames;
}

function rewriteRefs<T>(value: T, renames: Map<string, string>): T {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, renames)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(REF_PREFIX)) {
        const target = v.slice(REF_PREFIX.length);
        const slash = target.indexOf('/');
        const renamed = renames.get(target);
        out[k] = renamed ? `${REF_PREFIX}${target.slice(0, slash)}/${renamed}` : v;
      } else {
        out[k] = rewriteRefs(v, renames);
      }
    }
    return out as T;
  }
  return value;
}

function sortKeys<V>(record: Record<string, V>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
