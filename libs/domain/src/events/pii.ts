import { idNumberCheckChar } from '../id-number/id-number';

/**
 * Field names that carry personal data and must never appear in an event payload
 * (Redis is not encrypted storage). Matched case-insensitively, ignoring `_` and `-`.
 */
export const PII_FIELD_NAMES = [
  'idNumber',
  'idCard',
  'idCardNumber',
  'identityNumber',
  'name',
  'fullName',
  'personName',
  'phone',
  'mobile',
  'address',
  'registeredAddress',
  'residenceAddress',
] as const;

export type PiiFieldName = (typeof PII_FIELD_NAMES)[number];

const normalise = (key: string): string => key.toLowerCase().replace(/[_-]/g, '');
const PII_KEYS = new Set(PII_FIELD_NAMES.map(normalise));

/** Thrown by assertNoPii: a programming error (500), not a domain refusal. */
export class PiiInPayloadError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`Event payload carries personal data at "${path}": ${reason}`);
    this.name = 'PiiInPayloadError';
  }
}

function looksLikeIdNumber(v: string): boolean {
  const s = v.trim().toUpperCase();
  return /^\d{17}[\dX]$/.test(s) && idNumberCheckChar(s) === s[17];
}

function walk(value: unknown, path: string, seen: Set<object>): void {
  if (typeof value === 'string') {
    if (looksLikeIdNumber(value)) throw new PiiInPayloadError(path, 'value looks like a resident ID number');
    return;
  }
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, seen));
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    if (PII_KEYS.has(normalise(key))) throw new PiiInPayloadError(childPath, 'field name is on the PII list');
    walk(child, childPath, seen);
  }
}

/**
 * Throws PiiInPayloadError when a payload (at any depth) has a field named like PII or a
 * string value that is a well-formed ID number. The bus calls this before publishing.
 */
export function assertNoPii(payload: unknown): void {
  walk(payload, '', new Set());
}
