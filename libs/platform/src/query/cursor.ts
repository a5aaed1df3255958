import { DomainError, DomainErrorCode } from '@homeward/domain';

/** Opaque keyset cursor over (createdAt, id): stable under inserts, one index range scan per page. */
export interface KeysetCursor {
  at: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ at: row.createdAt.toISOString(), id: row.id })).toString('base64url');
}

export function decodeCursor(cursor: string): KeysetCursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as KeysetCursor;
    if (typeof parsed.at === 'string' && !Number.isNaN(Date.parse(parsed.at)) && isUuid(parsed.id)) return parsed;
  } catch {
    /* reported below */
  }
  throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'invalid cursor / 分页游标无效', { field: 'after' });
}
