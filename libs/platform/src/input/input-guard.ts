import type { NextFunction, Request, Response } from 'express';
import { FieldError, ProblemException, problemTitle, problemType } from '../errors/problem';

/**
 * Limits every app applies to what a caller sends (issue 6 items 5 and 13), before any DTO,
 * resolver, interceptor or query sees it. The gateway applies the same limits at the edge.
 */
export const INPUT_LIMITS = {
  /** Largest request body (JSON or form), bytes. */
  maxBodyBytes: 2 * 1024 * 1024,
  /** Deepest nesting of objects/arrays in a JSON body or GraphQL variables (a partner body needs 4). */
  maxJsonDepth: 32,
} as const;

/**
 * Characters no field may hold: C0 controls except TAB, LF and CR (free text may hold those),
 * DEL, and C1 controls. NUL breaks PostgreSQL text; the others only hide things from a reader.
 */
// eslint-disable-next-line no-control-regex
export const FORBIDDEN_CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** What is wrong with an input value, if anything: the first violation found. */
export interface InputViolation {
  /** `person.name`, `variables.input.note`, `notices[0].person` (the JSON path). */
  field: string;
  reason: 'CONTROL_CHARACTER' | 'TOO_DEEP';
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** The printable code point of the first forbidden control character in `s`, e.g. `U+0000`. */
export function forbiddenCharacterIn(s: string): string | undefined {
  const m = FORBIDDEN_CONTROL_CHARACTERS.exec(s);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/**
 * Walks a parsed JSON value (iteratively: a 5,000-deep body cannot overflow the stack here) and
 * returns the first string or key holding a forbidden control character, or the first value
 * nested deeper than `maxDepth`.
 */
export function findInputViolation(value: unknown, root = '', maxDepth: number = INPUT_LIMITS.maxJsonDepth): InputViolation | undefined {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop() as { v: unknown; path: string; depth: number };
    if (typeof v === 'string') {
      if (FORBIDDEN_CONTROL_CHARACTERS.test(v)) return { field: path || '(body)', reason: 'CONTROL_CHARACTER' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return { field: path || '(body)', reason: 'TOO_DEEP' };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: childPath(path, i), depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, child] = entries[i];
      const p = childPath(path, k);
      if (FORBIDDEN_CONTROL_CHARACTERS.test(k)) return { field: p, reason: 'CONTROL_CHARACTER' };
      stack.push({ v: child, path: p, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The message a caller reads for a violation (English / 中文). */
export function violationMessage(v: InputViolation): string {
  return v.reason === 'TOO_DEEP'
    ? `nested deeper than ${INPUT_LIMITS.maxJsonDepth} levels / 嵌套超过 ${INPUT_LIMITS.maxJsonDepth} 层`
    : 'contains a control character (only tab, line feed and carriage return are allowed) / 含有控制字符（仅允许制表符、换行符、回车符）';
}

/** 400 problem+json naming the field at fault (what the guard throws). */
export class InputRejectedException extends ProblemException {
  constructor(violation: InputViolation) {
    const errors: FieldError[] = [{ field: violation.field, message: violationMessage(violation) }];
    super(400, problemTitle(400), `request refused: ${violation.field} ${errors[0].message}`, {
      type: problemType(violation.reason === 'TOO_DEEP' ? 'input-too-deep' : 'control-character'),
      errors,
    });
  }
}

/** 400 for a body that is not valid UTF-8 (it would otherwise be stored with U+FFFD in place of the bytes). */
export class InvalidEncodingException extends ProblemException {
  constructor() {
    super(400, problemTitle(400), 'the request body is not valid UTF-8 / 请求体不是有效的 UTF-8 编码', { type: problemType('invalid-encoding') });
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** True when `buf` is well-formed UTF-8 (no stray continuation bytes, overlongs or surrogates). */
export function isValidUtf8(buf: Uint8Array): boolean {
  try {
    UTF8.decode(buf);
    return true;
  } catch {
    return false;
  }
}

/** body-parser `verify`: refuses a body that is not UTF-8 before it is decoded. */
export function verifyUtf8Body(_req: unknown, _res: unknown, buf: Buffer): void {
  if (!isValidUtf8(buf)) throw new InvalidEncodingException();
}

/** Throws InputRejectedException when `value` breaks a limit. */
export function assertSafeInput(value: unknown, root = ''): void {
  const v = findInputViolation(value, root);
  if (v) throw new InputRejectedException(v);
}

/**
 * Express middleware after the body parsers: the parsed body and the query string must hold no
 * forbidden control character and nest no deeper than INPUT_LIMITS.maxJsonDepth. For /graphql
 * this covers the variables and the query text; string literals inside the query are checked by
 * the GraphQL validation rule `noControlCharactersRule`.
 */
export function inputGuardMiddleware(req: Request, _res: Response, next: NextFunction): void {
  try {
    if (req.body !== undefined && typeof req.body === 'object') assertSafeInput(req.body);
    if (typeof req.body === 'string') assertSafeInput(req.body, '(body)');
    assertSafeInput(req.query, 'query');
    next();
  } catch (err) {
    next(err);
  }
}
