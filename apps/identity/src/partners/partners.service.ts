import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AgencyKind, DomainError, DomainErrorCode, defaultPartnerScopes, isPartnerScopeFor } from '@homeward/domain';
import { AuditWriter, Clock, TokenRevocations, type AuditEntry } from '@homeward/platform';
import { IdentityConfig } from '../config';
import { hashSecret } from '../common/passwords';
import { PartnerClient } from './partner-client.entity';

export interface CreatePartnerCommand {
  kind: string;
  name: string;
  agencyId?: string;
  /** A fixed client id (e.g. for demo clients); generated when absent. */
  clientId?: string;
  scopes?: readonly string[];
}

export interface CreatedPartner {
  client: PartnerClient;
  /** Shown once; only its hash is stored. */
  clientSecret: string;
}

export interface RotatedSecret {
  client: PartnerClient;
  /** Shown once; only its hash is stored. */
  clientSecret: string;
  /** Until when the previous secret is still accepted (PARTNER_SECRET_GRACE_HOURS). */
  previousSecretValidUntil: Date;
}

export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._-]{3,100}$/;

/**
 * Partner agencies' OAuth2 clients: creation, lookup, deactivation (revokes its tokens) and secret rotation
 * with a grace period for the previous secret (tokens: OAuthService).
 */
@Injectable()
export class PartnersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly revocations: TokenRevocations,
    private readonly config: IdentityConfig,
  ) {}

  async create(cmd: CreatePartnerCommand, actor: AuditEntry['actor']): Promise<CreatedPartner> {
    const kind = cmd.kind.trim().toUpperCase() as AgencyKind;
    if (!Object.values(AgencyKind).includes(kind)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `unknown agency kind ${cmd.kind} / 未知协作单位类型`, {
        field: 'kind',
        details: { allowed: Object.values(AgencyKind) },
      });
    }
    const name = cmd.name.trim();
    if (name.length === 0 || name.length > 200) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'agency name must have 1-200 characters / 单位名称长度不正确', {
        field: 'name',
      });
    }
    const clientId = cmd.clientId?.trim() || `${kind.toLowerCase().replace(/_/g, '-')}-${randomBytes(6).toString('hex')}`;
    if (!CLIENT_ID_PATTERN.test(clientId)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'client id must be 3-100 characters of A-Z a-z 0-9 . _ - / 客户端标识格式不正确', {
        field: 'clientId',
      });
    }
    const agencyId = cmd.agencyId?.trim() || clientId;
    if (agencyId.length > 100) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'agency id must have at most 100 characters', { field: 'agencyId' });
    }
    // issue 6 item 15: scopes are checked per partner route, so only known scopes of this kind are issued
    // (none given → every scope the kind may hold).
    const given = [...new Set((cmd.scopes ?? []).map((s) => s.trim()).filter((s) => s.length > 0))];
    const refused = given.filter((s) => !isPartnerScopeFor(kind, s));
    if (refused.length > 0) {
      throw new DomainError(
        DomainErrorCode.VALIDATION_FAILED,
        `scopes ${refused.join(', ')} are not scopes of a ${kind} client / 该类单位不可授予这些权限范围`,
        { field: 'scopes', details: { allowed: defaultPartnerScopes(kind) } },
      );
    }
    const scopes: string[] = given.length > 0 ? given : defaultPartnerScopes(kind);
    const clientSecret = randomBytes(32).toString('base64url');
    const secretHash = await hashSecret(clientSecret);
    const now = this.clock.now();

    const client = await this.dataSource.transaction(async (em) => {
      if (await em.exists(PartnerClient, { where: { clientId } })) throw this.clientIdTaken(clientId);
      const row = em.create(PartnerClient, {
        clientId,
        secretHash,
        agencyKind: kind,
        agencyName: name,
        agencyId,
        scopes,
        previousSecretHash: null,
        previousSecretValidUntil: null,
        secretRotatedAt: null,
        active: true,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await em.insert(PartnerClient, row);
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw this.clientIdTaken(clientId);
        throw e;
      }
      await this.audit.record(
        {
          actor,
          action: 'partner-client.create',
          entityType: 'partner_client',
          entityId: clientId,
          outcome: 'SUCCESS',
          details: { agencyKind: kind, agencyName: name, agencyId, scopes },
        },
        em,
      );
      return row;
    });
    return { client, clientSecret };
  }

  findByClientId(clientId: string): Promise<PartnerClient | null> {
    return this.dataSource.getRepository(PartnerClient).findOne({ where: { clientId } });
  }

  /**
   * Deactivating refuses new tokens and revokes every token already issued to the client, in every app at
   * once (`not-before` on Redis, issue 6 item 8). Activating again lets it get new tokens; the old ones stay revoked.
   */
  async setActive(clientId: string, active: boolean, actor: AuditEntry['actor']): Promise<PartnerClient> {
    return this.change(clientId, actor, active ? 'partner-client.activate' : 'partner-client.deactivate', async (client, now) => {
      client.active = active;
      if (!active) await this.revocations.revokeSubject(client.clientId, now, this.config.PARTNER_TOKEN_TTL_SECONDS);
      return {};
    });
  }

  /**
   * A new secret (shown once). The previous one is still accepted for PARTNER_SECRET_GRACE_HOURS so the
   * agency can switch without downtime; a second rotation ends the first grace at once. Issued tokens stay valid.
   */
  async rotateSecret(clientId: string, actor: AuditEntry['actor']): Promise<RotatedSecret> {
    const clientSecret = randomBytes(32).toString('base64url');
    const secretHash = await hashSecret(clientSecret);
    let validUntil = new Date(0);
    const client = await this.change(clientId, actor, 'partner-client.rotate-secret', async (c, now) => {
      validUntil = new Date(now.getTime() + this.config.PARTNER_SECRET_GRACE_HOURS * 3600_000);
      c.previousSecretHash = c.secretHash;
      c.previousSecretValidUntil = validUntil;
      c.secretHash = secretHash;
      c.secretRotatedAt = now;
      return { previousSecretValidUntil: validUntil.toISOString() };
    });
    return { client, clientSecret, previousSecretValidUntil: validUntil };
  }

  private async change(
    clientId: string,
    actor: AuditEntry['actor'],
    action: string,
    apply: (client: PartnerClient, now: Date) => Promise<Record<string, unknown>>,
  ): Promise<PartnerClient> {
    return this.dataSource.transaction(async (em) => {
      const client = await em.findOne(PartnerClient, { where: { clientId }, lock: { mode: 'pessimistic_write' } });
      if (!client) throw new DomainError(DomainErrorCode.NOT_FOUND, 'partner client not found / 协作单位接入账号不存在', { field: 'clientId' });
      const now = this.clock.now();
      const details = await apply(client, now);
      client.updatedAt = now;
      await em.save(PartnerClient, client);
      await this.audit.record(
        { actor, action, entityType: 'partner_client', entityId: clientId, outcome: 'SUCCESS', details: { agencyKind: client.agencyKind, ...details } },
        em,
      );
      return client;
    });
  }

  private clientIdTaken(clientId: string): DomainError {
    return new DomainError(DomainErrorCode.CONFLICT, `client id ${clientId} is taken / 客户端标识已存在`, { field: 'clientId' });
  }
}
