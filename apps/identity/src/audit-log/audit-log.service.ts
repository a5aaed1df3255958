import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, DomainErrorCode, Role } from '@homeward/domain';
import { AuditWriter, serviceOfChain, type Principal } from '@homeward/platform';
import {
  AUDIT_PAGE_DEFAULT,
  AUDIT_PAGE_MAX,
  AuditEvent,
  AuditEventConnection,
  AuditEventFilter,
  AuditOutcome,
} from './dto/audit-event.types';

interface AuditRow {
  id: string;
  at: Date;
  service: string;
  actor_id: string | null;
  actor_kind: string | null;
  actor_roles: string[] | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  person_key: string | null;
  towns: string[] | null;
  outcome: string;
  request_id: string | null;
  details: unknown;
}

export function encodeAuditCursor(id: string): string {
  return Buffer.from(`audit:${id}`).toString('base64url');
}

export function decodeAuditCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^audit:(\d{1,19})$/.exec(text);
  if (!m) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'invalid cursor / 分页游标无效', { field: 'after' });
  return m[1];
}

/** Escapes LIKE wildcards so a prefix filter matches literally. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Reads the audit log (`audit.events`); identity is its only reader and AUDITOR the only role allowed.
 * Every read is itself written to the audit log.
 */
@Injectable()
export class AuditLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
  ) {}

  async events(
    principal: Principal,
    filter: AuditEventFilter = {},
    first = AUDIT_PAGE_DEFAULT,
    after?: string | null,
  ): Promise<AuditEventConnection> {
    if (!principal.roles.includes(Role.AUDITOR)) {
      throw new DomainError(DomainErrorCode.FORBIDDEN, 'only AUDITOR may read the audit log / 仅审计员可查看审计日志');
    }
    if (!Number.isInteger(first) || first < 1 || first > AUDIT_PAGE_MAX) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `first must be 1-${AUDIT_PAGE_MAX} / 每页条数须在 1-${AUDIT_PAGE_MAX} 之间`, {
        field: 'first',
      });
    }
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.split('?').join(`$${params.length}`)); // every ? of a clause is its one value
    };
    // Columns are qualified (`e.`): the SELECT list turns id into text, and a bare `ORDER BY id` would sort that
    // text (1, 10, 100, …, 99), issue 6 item 4.
    if (filter.actorId) add('e.actor_id = ?', filter.actorId);
    if (filter.action) {
      if (filter.action.endsWith('*')) add(`e.action LIKE ? ESCAPE '\\'`, likePrefix(filter.action.slice(0, -1)));
      else add('e.action = ?', filter.action);
    }
    if (filter.entityType) add('e.entity_type = ?', filter.entityType);
    if (filter.entityId) add('e.entity_id = ?', filter.entityId);
    // issue 6 item 11: list and nested reads name their persons in details.personKeys.
    if (filter.personKey) add(`(e.person_key = ? OR e.details->'personKeys' @> jsonb_build_array(CAST(? AS text)))`, filter.personKey);
    if (filter.outcome) add('e.outcome = ?', filter.outcome);
    // issue 13: a service appends to several chains, `service`, `service#1`, … (audit-writer.ts)
    if (filter.service) add(`split_part(e.service, '#', 1) = ?`, filter.service);
    if (filter.from) add('e.at >= ?', filter.from);
    if (filter.to) add('e.at < ?', filter.to);
    if (after) add('e.id < ?::bigint', decodeAuditCursor(after));
    params.push(first + 1);
    const sql = `
      SELECT e.id::text AS id, e.at, e.service, e.actor_id, e.actor_kind, e.actor_roles, e.action, e.entity_type, e.entity_id,
             e.person_key, e.towns, e.outcome, e.request_id, e.details
        FROM audit.events e
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY e.id DESC
       LIMIT $${params.length}`;
    const rows = (await this.dataSource.query(sql, params)) as AuditRow[];
    const page = rows.slice(0, first).map(toEvent);

    await this.audit.record({
      actor: principal,
      action: 'audit.events.read',
      entityType: 'audit_event',
      outcome: 'SUCCESS',
      details: { filter: serialiseFilter(filter), first, after: after ?? null, returned: page.length },
    });

    return {
      edges: page.map((node) => ({ cursor: encodeAuditCursor(node.id), node })),
      nodes: page,
      pageInfo: {
        hasNextPage: rows.length > first,
        endCursor: page.length ? encodeAuditCursor(page[page.length - 1].id) : null,
      },
    };
  }
}

function toEvent(r: AuditRow): AuditEvent {
  return {
    id: r.id,
    at: new Date(r.at),
    service: serviceOfChain(r.service),
    actorId: r.actor_id,
    actorKind: r.actor_kind,
    actorRoles: r.actor_roles ?? [],
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    personKey: r.person_key,
    towns: r.towns ?? [],
    outcome: r.outcome as AuditOutcome,
    requestId: r.request_id,
    details: r.details === null || r.details === undefined ? null : JSON.stringify(r.details),
  };
}

function serialiseFilter(f: AuditEventFilter): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(f)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
}
