/**
 * PostgreSQL's answers that mean "another transaction got in the way", not "this request is wrong":
 * the whole transaction was rolled back, nothing of it was written, and the same request sent again
 * can succeed. `40P01` deadlock_detected, `40001` serialization_failure, `55P03` lock_not_available.
 */
export const TRANSIENT_DATABASE_CODES: ReadonlySet<string> = new Set(['40P01', '40001', '55P03']);

/** What a caller reads for a transient database failure (REST `detail`, GraphQL `message`). */
export const TRY_AGAIN_MESSAGE =
  'Another change to the same records was being made at the same moment; nothing was changed. Send the request again. / 同一时刻有其他操作在修改相同的记录，本次未作任何更改，请重新提交。';

/** The GraphQL `extensions.code` and REST problem `code` of a transient database failure. */
export const TRY_AGAIN_CODE = 'TRY_AGAIN';

/** Seconds in the Retry-After header of a transient database failure's 503. */
export const TRY_AGAIN_AFTER_SECONDS = 1;

/**
 * The SQLSTATE of a TypeORM `QueryFailedError` (its `driverError.code`) or of a `pg` error (`code`),
 * when it is one of {@link TRANSIENT_DATABASE_CODES}; else undefined. Looks through `cause` once.
 */
export function transientDatabaseCode(error: unknown): string | undefined {
  for (let e: unknown = error, i = 0; e && typeof e === 'object' && i < 3; e = (e as { cause?: unknown }).cause, i++) {
    const x = e as { code?: unknown; driverError?: { code?: unknown } };
    const code = typeof x.driverError?.code === 'string' ? x.driverError.code : typeof x.code === 'string' ? x.code : undefined;
    if (code && TRANSIENT_DATABASE_CODES.has(code)) return code;
    if (x.driverError) return undefined;
  }
  return undefined;
}
