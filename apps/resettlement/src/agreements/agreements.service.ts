import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { DomainError, DomainErrorCode, assertAgreementParties, compareLocalDate } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, Principal, assertTownVisible, inTransaction } from '@homeward/platform';
import { NoticesService } from '../notices/notices.service';
import { Agreement, AgreementClauses, AgreementParty } from './agreement.entity';
import { rowsBy } from '../cases/rows-by';

const PARTY_ROLES = ['PERSON', 'TOWN_OFFICE', 'FAMILY', 'EMPLOYER', 'SOCIAL_ORGANISATION', 'VOLUNTEER'];

/** RS-4 agreements "1+1+N": the person, the town office and N others, with control, education and assistance clauses. */
@Injectable()
export class AgreementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notices: NoticesService,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  /** The case page: the agreement of each notice (a DataLoader batch). */
  byNoticeIds(noticeIds: readonly string[]): Promise<Map<string, Agreement[]>> {
    return rowsBy(this.dataSource, Agreement, 'noticeId', noticeIds);
  }


  /** RS-4: the person applies for an agreement (it is then required before release, as for key persons). */
  async markApplied(caller: Principal, noticeId: string): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const notice = await this.notices.findOne(caller, noticeId, manager, true);
      assertTownVisible(caller, notice.town, 'notice');
      notice.agreementApplied = true;
      await manager.save(notice);
      await this.audit.record(
        { actor: caller, action: 'resettlement.agreement.apply', entityType: 'PreReleaseNotice', entityId: notice.id, personKey: notice.personKey, towns: [notice.town as string] },
        manager,
      );
    });
  }

  async sign(caller: Principal, noticeId: string, parties: AgreementParty[], clauses: AgreementClauses, signedOn: string): Promise<Agreement> {
    const unknown = parties.filter((p) => !PARTY_ROLES.includes(p.role));
    if (unknown.length > 0) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `unknown party roles: ${unknown.map((p) => p.role).join(', ')} / 协议方类别无效`, {
        field: 'parties',
        details: { allowed: PARTY_ROLES },
      });
    }
    assertAgreementParties(parties);
    if (!clauses.control.trim() || !clauses.education.trim() || !clauses.assistance.trim()) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'the agreement needs control, education and assistance clauses / 协议须包括管控、教育和帮扶条款', { field: 'clauses' });
    }
    if (compareLocalDate(signedOn, this.clock.today()) > 0) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, 'signedOn cannot be in the future / 签订日期不能晚于今天', { field: 'signedOn' });
    }
    return inTransaction(this.dataSource, async (manager) => {
      const notice = await this.notices.findOne(caller, noticeId, manager, true);
      assertTownVisible(caller, notice.town, 'notice');
      let a: Agreement;
      try {
        a = await manager.save(
          manager.getRepository(Agreement).create({
            noticeId: notice.id,
            personKey: notice.personKey,
            town: notice.town as string,
            partiesJson: JSON.stringify(parties),
            clausesJson: JSON.stringify(clauses),
            signedOn,
            recordedBy: caller.sub,
          }),
        );
      } catch (e) {
        if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
          throw new DomainError(DomainErrorCode.CONFLICT, 'an agreement was already signed for this notice / 该人员已签订协议', { field: 'noticeId' });
        }
        throw e;
      }
      await this.events.publish(manager, 'resettlement.agreement.signed', { agreementId: a.id, noticeId: notice.id, personKey: a.personKey, town: a.town, signedOn });
      await this.audit.record(
        { actor: caller, action: 'resettlement.agreement.sign', entityType: 'Agreement', entityId: a.id, personKey: a.personKey, towns: [a.town], details: { parties: parties.map((p) => p.role) } },
        manager,
      );
      return a;
    });
  }
}
