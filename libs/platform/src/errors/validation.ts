import { ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { DomainError, DomainErrorCode } from '@homeward/domain';
import { UNKNOWN_TOWN_CONSTRAINT } from '../input/is-town-code';
import { FieldError, RequestValidationException } from './problem';

/** Flattens nested class-validator errors into `{ field: 'person.idNumber', message }`, one per constraint. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    for (const message of Object.values(e.constraints ?? {})) out.push({ field, message });
    if (e.children && e.children.length > 0) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/** The names of the constraints that failed, at any depth. */
function failedConstraints(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => [...Object.keys(e.constraints ?? {}), ...failedConstraints(e.children ?? [])]);
}

/**
 * What the global ValidationPipe throws: 400 with every field at fault; but when the only fault is
 * a well-formed town code that names no town ("999"), the domain's 422 TOWN_UNKNOWN naming the field
 * (docs/partner-api.md "Errors": an unknown town is refused by the domain, not malformed).
 */
export function validationException(errors: ValidationError[]): Error {
  const fields = flattenValidationErrors(errors);
  const failed = failedConstraints(errors);
  if (failed.length > 0 && failed.every((c) => c === UNKNOWN_TOWN_CONSTRAINT)) {
    return new DomainError(DomainErrorCode.TOWN_UNKNOWN, fields[0].message, { field: fields[0].field });
  }
  return new RequestValidationException(fields);
}

/** The global ValidationPipe: whitelist, forbid unknown fields, transform; failures → 400 problem+json with `errors` (an unknown town alone: 422 TOWN_UNKNOWN). */
export function createValidationPipe(overrides: ValidationPipeOptions = {}): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => validationException(errors),
    ...overrides,
  });
}
