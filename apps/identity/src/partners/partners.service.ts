import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AgencyKind, DomainError, DomainErrorCode, defaultPartnerScopes, isPartnerScopeFor } from '@homeward/domain';
import { AuditWriter, Clock, type AuditEntry } from '@homeward/platform';
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

export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._-]{3,100}$/;

/** Partner agencies' OAuth2 clients: creation and lookup (tokens: OAuthService). */
@Injectable()
export class PartnersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
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

  private clientIdTaken(clientId: string): DomainError {
    return new DomainError(DomainErrorCode.CONFLICT, `client id ${clientId} is taken / 客户端标识已存在`, { field: 'clientId' });
  }
}
