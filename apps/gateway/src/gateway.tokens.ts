/** Injection tokens of the gateway module. */
export const BEARER_VERIFIER = Symbol('BEARER_VERIFIER');
export const SUPERGRAPH_SOURCE = Symbol('SUPERGRAPH_SOURCE');
