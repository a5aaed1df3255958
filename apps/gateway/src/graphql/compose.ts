import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

export interface SubgraphSdl {
  name: string;
  url: string;
  sdl: string;
}

export type ComposeOutcome = { ok: true; supergraphSdl: string; hints: string[] } | { ok: false; errors: string[] };

/**
 * Compose subgraph SDLs (federation 2) into a supergraph SDL, as the gateway loads from
 * SUPERGRAPH_PATH in production. Parse and composition errors are returned, one per line,
 * prefixed with the subgraph when known.
 */
export function composeSupergraph(subgraphs: readonly SubgraphSdl[]): ComposeOutcome {
  const errors: string[] = [];
  const services = [];
  for (const s of subgraphs) {
    try {
      services.push({ name: s.name, url: s.url, typeDefs: parse(s.sdl) });
    } catch (err) {
      errors.push(`${s.name}: ${(err as Error).message}`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const result = composeServices(services);
  if (result.errors) {
    return { ok: false, errors: result.errors.map((e) => e.message) };
  }
  return { ok: true, supergraphSdl: result.supergraphSdl, hints: result.hints.map((h) => h.toString()) };
}
