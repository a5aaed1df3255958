import {
  DocumentNode,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLOutputType,
  GraphQLSchema,
  Kind,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';

/**
 * Issue 12 item 6, "leaks: zero": operations generated from a schema, so a field added later is tried
 * automatically. Every root field of Query and Mutation (and, on a subgraph, every `_entities` type)
 * becomes one operation whose arguments point at records the caller must not reach (the markers),
 * whose selection asks for every argument-free field two levels down; a leak is a marker in `data`.
 */

/** What the generated arguments point at: records of persons the caller must not reach. */
export interface LeakMarkers {
  /** Record ids (subjects, notices, cases, alerts…), tried for every `ID` argument. */
  ids: string[];
  /** Person keys, tried for `key` / `personKey` arguments and Person representations. */
  personKeys: string[];
  /** A town the caller may not read, or the caller's own town when the markers live there. */
  town: string;
  /** Search text that matches a marker person (e.g. a name). */
  search: string;
  /** A full ID number of a marker person (for `idNumber` arguments). */
  idNumber: string;
  /** Today in Asia/Shanghai (YYYY-MM-DD) for date arguments. */
  today: string;
  /** Strings that must never appear in a response's data: the above and what the records carry (masked ID numbers…). */
  secrets: string[];
}

export interface Probe {
  /** `Query.alerts`, `Mutation.acknowledgeAlert`, `_entities(CorrectionSubject)`… */
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /**
   * Values the probe itself sent that the answer may carry back without telling the caller anything:
   * a representation's key (`_entities` answers `{ key }` for any key it is given, and resolves the
   * other fields of the type in the caller's towns).
   */
  echoes?: string[];
}

const SKIPPED_ROOT_FIELDS = new Set(['_service', '_entities', '__schema', '__type', '__typename']);
const MAX_LEAVES = 30;
const MAX_CHILDREN = 6;

function dateLike(name: string): 'date' | 'instant' | undefined {
  if (/At$/.test(name) || /^at$/i.test(name)) return 'instant';
  if (/(On|Date|Day|day|date|From|To|Until|Since|month|Month)$/.test(name) || /^(on|from|to|until|since|date|day|year|quarter)$/i.test(name)) return 'date';
  return undefined;
}

/** A value of `type` for an argument or input field called `name`, pointing at `markers` (`variant` picks among the ids). */
export function valueFor(type: GraphQLInputType, name: string, markers: LeakMarkers, variant = 0, depth = 0): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType, name, markers, variant, depth);
  if (isListType(type)) return [valueFor(type.ofType, name.replace(/s$/, ''), markers, variant, depth)];
  if (isEnumType(type)) return type.getValues()[0]?.value ?? null;
  if (isInputObjectType(type)) {
    if (depth > 3) return {};
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      const wanted = isNonNullType(f.type) || /(^id$|Id$|Ids$|^key$|personKey|town)/.test(f.name);
      if (wanted) out[f.name] = valueFor(f.type, f.name, markers, variant, depth + 1);
    }
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return /(^key$|personKey|^keys?$)/i.test(name) ? markers.personKeys[variant % markers.personKeys.length] : markers.ids[variant % markers.ids.length];
      case 'Int':
        return /year/i.test(name) ? Number(markers.today.slice(0, 4)) : /quarter/i.test(name) ? 1 : /month/i.test(name) ? 1 : 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'DateTime':
        return `${markers.today}T02:00:00.000Z`;
      case 'JSON':
      case 'JSONObject':
        return {};
      default:
        break;
    }
    if (/(^key$|personKey)/i.test(name)) return markers.personKeys[variant % markers.personKeys.length];
    if (/(^id$|Id$)/.test(name)) return markers.ids[variant % markers.ids.length];
    if (/town/i.test(name)) return markers.town;
    if (/idNumber/i.test(name)) return markers.idNumber;
    if (/^(q|query|search|name|text|term)$/i.test(name)) return markers.search;
    const d = dateLike(name);
    if (d === 'date') return /month/i.test(name) ? markers.today.slice(0, 7) : markers.today;
    if (d === 'instant') return `${markers.today}T02:00:00.000Z`;
    return 'leak-probe';
  }
  return null;
}

/** Arguments worth giving: the required ones and the optional ones that select a record or a town. */
function argumentsOf(field: GraphQLField<unknown, unknown>): readonly GraphQLArgument[] {
  return field.args.filter((a) => isNonNullType(a.type) || /(^id$|Id$|^key$|personKey|town)/.test(a.name));
}

/** The selection set of `type`: its argument-free leaves and, `depth` levels down, its objects (connections included). */
export function selectionFor(type: GraphQLOutputType | GraphQLNamedType, depth = 2): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isUnionType(named)) {
    const parts = named.getTypes().map((t) => {
      const inner = selectionFor(t, depth);
      return inner ? `... on ${t.name} ${inner}` : '';
    });
    return `{ __typename ${parts.join(' ')} }`;
  }
  if (!isObjectType(named) && !isInterfaceType(named)) return '';
  const fields = Object.values(named.getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined));
  const leaves = fields.filter((f) => isLeafType(getNamedType(f.type))).slice(0, MAX_LEAVES).map((f) => f.name);
  const children: string[] = [];
  if (depth > 0) {
    for (const f of fields) {
      if (children.length >= MAX_CHILDREN) break;
      if (isLeafType(getNamedType(f.type))) continue;
      // A connection's edges and node do not count as a level: what matters is the record inside.
      const inner = selectionFor(f.type, f.name === 'edges' || f.name === 'node' ? depth : depth - 1);
      if (inner) children.push(`${f.name} ${inner}`);
    }
  }
  const all = [...leaves, ...children];
  return all.length ? `{ ${all.join(' ')} }` : '{ __typename }';
}

/** One probe per root field of Query and Mutation and per id variant (queries: every id marker; mutations: the first). */
export function rootFieldProbes(schema: GraphQLSchema, markers: LeakMarkers): Probe[] {
  const probes: Probe[] = [];
  for (const [kind, root] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      if (SKIPPED_ROOT_FIELDS.has(field.name)) continue;
      const args = argumentsOf(field);
      const takesId = args.some((a) => /ID/.test(String(a.type)) || isInputObjectType(getNamedType(a.type)));
      const variants = kind === 'query' && takesId ? Math.max(markers.ids.length, markers.personKeys.length) : 1;
      for (let v = 0; v < variants; v += 1) {
        const defs = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
        const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
        const variables = Object.fromEntries(args.map((a) => [a.name, valueFor(a.type, a.name, markers, v)]));
        probes.push({
          name: `${root.name}.${field.name}${variants > 1 ? `#${v}` : ''}`,
          query: `${kind}${defs ? ` Probe(${defs})` : ''} { ${field.name}${call} ${selectionFor(field.type)} }`,
          variables,
        });
      }
    }
  }
  return probes;
}

/** The `@key` fields of each entity type in a subgraph's SDL (`_service { sdl }`), e.g. `{ Person: ['key'] }`. */
export function entityKeysOf(sdl: DocumentNode): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of sdl.definitions) {
    if (d.kind !== Kind.OBJECT_TYPE_DEFINITION && d.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const dir of d.directives ?? []) {
      if (dir.name.value !== 'key') continue;
      const fields = dir.arguments?.find((a) => a.name.value === 'fields');
      if (fields?.value.kind === Kind.STRING && !out[d.name.value]) out[d.name.value] = fields.value.value.trim().split(/\s+/);
    }
  }
  return out;
}

/** One `_entities` probe per entity type of a subgraph and marker (the subgraph's own fields of the type selected). */
export function entityProbes(schema: GraphQLSchema, keys: Record<string, string[]>, markers: LeakMarkers): Probe[] {
  const probes: Probe[] = [];
  for (const [typeName, keyFields] of Object.entries(keys)) {
    const type = schema.getType(typeName);
    if (!type || !isObjectType(type)) continue;
    if (keyFields.some((k) => k.includes('{'))) continue; // compound keys: none here today
    const values = (k: string): string[] => (k === 'key' || /personKey/.test(k) ? markers.personKeys : k === 'code' ? [markers.town] : markers.ids);
    const variants = Math.max(...keyFields.map((k) => values(k).length));
    for (let v = 0; v < variants; v += 1) {
      const representation: Record<string, unknown> = { __typename: typeName };
      for (const k of keyFields) representation[k] = values(k)[v % values(k).length];
      probes.push({
        name: `_entities(${typeName})#${v}`,
        query: `query Probe($r: [_Any!]!) { _entities(representations: $r) { ... on ${typeName} ${selectionFor(type)} } }`,
        variables: { r: [representation] },
        echoes: keyFields.map((k) => String(representation[k])),
      });
    }
  }
  return probes;
}

/**
 * The markers found in a response's `data` (never in its errors, which may echo the caller's own
 * arguments). A probe's own echoes count only where they appear other than as the echoed key itself.
 */
export function leakedMarkers(data: unknown, markers: LeakMarkers, echoes: readonly string[] = []): string[] {
  if (data === null || data === undefined) return [];
  let text = JSON.stringify(data);
  for (const e of echoes) text = text.split(JSON.stringify(e)).join('"<echo>"');
  return [...new Set([...markers.ids, ...markers.personKeys, ...markers.secrets])].filter((m) => m && text.includes(m));
}
