import { DomainError, DomainErrorCode, Role } from '@homeward/domain';
import type { AuditWriter, Principal } from '@homeward/platform';
import type { DataSource } from 'typeorm';
import { AuditLogService, decodeAuditCursor, encodeAuditCursor } from './audit-log.service';

describe(AuditLogService.name, () => {
  function setup(rows: unknown[] = []) {
    const query = jest.fn().mockResolvedValue(rows);
    const record = jest.fn().mockResolvedValue(undefined);
    const service = new AuditLogService({ query } as unknown as DataSource, { record } as unknown as AuditWriter);
    return { service, query, record };
  }
  const auditor: Principal = { sub: 'u-1', kind: 'STAFF', username: 'auditor', roles: [Role.AUDITOR], towns: [] };
  const admin: Principal = { sub: 'u-2', kind: 'STAFF', username: 'boss', roles: [Role.CITY_ADMIN], towns: ['*'] };

  describe('cursors', () => {
    it('round-trip an event id and refuse anything else', () => {
      expect(decodeAuditCursor(encodeAuditCursor('12345'))).toBe('12345');
      expect(() => decodeAuditCursor('garbage')).toThrow(DomainError);
      expect(() => decodeAuditCursor(Buffer.from('audit:1;drop').toString('base64url'))).toThrow(DomainError);
    });
  });

  describe('events', () => {
    it('refuses everyone but AUDITOR without querying (FORBIDDEN)', async () => {
      const { service, query } = setup();
      await expect(service.events(admin)).rejects.toMatchObject({ code: DomainErrorCode.FORBIDDEN });
      expect(query).not.toHaveBeenCalled();
    });

    it('rejects a page size outside 1–200', async () => {
      const { service } = setup();
      await expect(service.events(auditor, {}, 0)).rejects.toMatchObject({ code: DomainErrorCode.VALIDATION_FAILED });
      await expect(service.events(auditor, {}, 201)).rejects.toMatchObject({ code: DomainErrorCode.VALIDATION_FAILED });
    });

    it('binds every filter as a parameter, turns "x.*" into an escaped prefix, and audits the read', async () => {
      const row = {
        id: '7',
        at: new Date('2026-01-01T00:00:00Z'),
        service: 'identity',
        actor_id: 'u-9',
        actor_kind: 'STAFF',
        actor_roles: ['TOWN_OFFICER'],
        action: 'auth.login',
        entity_type: 'user',
        entity_id: 'u-9',
        person_key: null,
        towns: [],
        outcome: 'SUCCESS',
        request_id: null,
        details: { username: 'x' },
      };
      const { service, query, record } = setup([row, { ...row, id: '6' }]);
      const conn = await service.events(auditor, { action: 'auth_*', actorId: "u-9' OR 1=1" }, 1, encodeAuditCursor('10'));
      const [sql, params] = query.mock.calls[0] as [string, unknown[]];
      expect(sql).toContain(`action LIKE $2 ESCAPE '\\'`);
      expect(sql).not.toContain('OR 1=1');
      expect(params).toEqual(["u-9' OR 1=1", 'auth\\_%', '10', 2]);
      expect(conn.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeAuditCursor('7') });
      expect(conn.edges[0].node).toMatchObject({ id: '7', details: '{"username":"x"}' });
      expect(record).toHaveBeenCalledWith(expect.objectContaining({ actor: auditor, action: 'audit.events.read', outcome: 'SUCCESS' }));
    });

    it('issue 6 item 11: "who read this person" also matches list reads that name the person in details.personKeys', async () => {
      const { service, query } = setup([]);
      await service.events(auditor, { personKey: 'k'.repeat(64) }, 10);
      const [sql, params] = query.mock.calls[0] as [string, unknown[]];
      expect(sql).toContain(`(e.person_key = $1 OR e.details->'personKeys' @> jsonb_build_array(CAST($1 AS text)))`);
      expect(params).toEqual(['k'.repeat(64), 11]);
    });
  });
});
