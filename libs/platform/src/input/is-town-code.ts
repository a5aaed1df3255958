import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { isTownCode } from '@homeward/domain';

/**
 * Where the known town codes come from: a predicate over a code. By default libs/domain's
 * `isTownCode`, which reads the town list in force: the reference data the app loaded from the
 * database (issue 7 item 10), else the shipped file.
 */
export type TownCodeSource = (code: string) => boolean;

const COMPILED: TownCodeSource = (code) => isTownCode(code);

let source: TownCodeSource = COMPILED;

/**
 * The one question every input asks of the towns reference data: is this a town code of Jiangyin
 * in force today? `@IsTownCode()` and the services that take a town ask it here, so the source can
 * be swapped in one place.
 */
export function isKnownTownCode(code: string): boolean {
  return /^\d{3}$/.test(code) && source(code);
}

/**
 * Replaces the source of the known town codes, e.g. with the reference data an app loaded from the
 * database at boot: `useTownCodeSource((code) => snapshot.has(code))`, or a set of codes. Without an
 * argument, back to the codes compiled in libs/domain (TOWNS).
 */
export function useTownCodeSource(next?: TownCodeSource | ReadonlySet<string>): void {
  if (next === undefined) source = COMPILED;
  else if (typeof next === 'function') source = next;
  else source = (code) => next.has(code);
}

/** The message a caller reads for an unknown town (English / 中文). */
export function unknownTownMessage(property: string, value: unknown): string {
  const shown = typeof value === 'string' ? `"${value.slice(0, 20)}"` : 'the value';
  return `${property}: ${shown} is not a town code of Jiangyin (three digits, e.g. 104 徐霞客镇) / ${property}：${shown} 不是江阴市的镇（街道）代码（三位数字，如 104 徐霞客镇）`;
}

/** The constraint a well-formed but unknown town code fails: the global ValidationPipe answers it with 422 TOWN_UNKNOWN. */
export const UNKNOWN_TOWN_CONSTRAINT = 'isKnownTownCode';

const TOWN_CODE_SHAPE = /^\d{3}$/;

/**
 * A town code of Jiangyin in force (`isKnownTownCode`). Two checks, as docs/partner-api.md "Errors" asks:
 * not three digits is malformed (400); three digits that name no town ("999") is a well-formed
 * request the reference data refuses (422 TOWN_UNKNOWN over REST, `TOWN_UNKNOWN` in GraphQL), with
 * a bilingual message naming the field. `@IsTownCode({ each: true })` for a list.
 */
export function IsTownCode(options?: ValidationOptions): PropertyDecorator {
  const shape = ValidateBy(
    {
      name: 'isTownCodeShape',
      validator: {
        validate: (value: unknown): boolean => typeof value === 'string' && TOWN_CODE_SHAPE.test(value),
        defaultMessage: (args?: ValidationArguments): string => {
          const property = args?.property ?? 'town';
          return `${property} must be a three-digit town code of Jiangyin (e.g. 104 徐霞客镇) / ${property} 应为三位数字的江阴市镇（街道）代码（如 104 徐霞客镇）`;
        },
      },
    },
    options,
  );
  const known = ValidateBy(
    {
      name: UNKNOWN_TOWN_CONSTRAINT,
      validator: {
        // A malformed value is the shape check's to report, once.
        validate: (value: unknown): boolean => typeof value !== 'string' || !TOWN_CODE_SHAPE.test(value) || isKnownTownCode(value),
        defaultMessage: (args?: ValidationArguments): string => unknownTownMessage(args?.property ?? 'town', args?.value),
      },
    },
    options,
  );
  return (target: object, propertyKey: string | symbol) => {
    shape(target, propertyKey);
    known(target, propertyKey);
  };
}
