import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { CorrectionStatus, DomainError, DomainErrorCode, SentenceType, compareLocalDate, parseLocalDate } from '@homeward/domain';
import { AuditWriter, Clock, FieldCipher, Principal, isKnownTownCode } from '@homeward/platform';
import { SubjectAccess, actorName } from '../subjects/subject-access';
import { CustodyProposal, PursuitRequest, ResidenceDispute } from './pursuit.entity';

type Row = PursuitRequest | CustodyProposal | ResidenceDispute;

/** CC-24 pursuit and return to custody (追逃 / 收监执行), and residence disputes (居住地争议). */
@Injectable()
export class PursuitsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly cipher: FieldCipher,
    private readonly subjects: SubjectAccess,
  ) {}

  /** CC-24: an ABSCONDED subject is reported to police for pursuit (one open request at a time). */
  async requestPursuit(caller: Principal, input: { subjectId: string; kind: 'ABSCONDED' | 'SENTENCE_NOT_EXECUTED'; policeUnit: string; requestedOn?: string }): Promise<PursuitRequest> {
    const requestedOn = this.pastOrToday(input.requestedOn, 'requestedOn');
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.forChange(manager, caller, input.subjectId, 'correction.pursuit.request');
      if (input.kind === 'ABSCONDED' && (subject.status !== CorrectionStatus.ACTIVE || subject.lostContactOn === null)) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'CC-24: only an absconded subject is reported for pursuit / 仅脱管对象可提请追逃', { field: 'subjectId' });
      }
      const repo = manager.getRepository(PursuitRequest);
      if (await repo.existsBy({ subjectId: subject.id, status: 'REQUESTED' })) {
        throw new DomainError(DomainErrorCode.CONFLICT, 'CC-24: a pursuit request for this subject is already open / 该对象已有在办追逃', { field: 'subjectId' });
      }
      const row = repo.create({ subjectId: subject.id, personKey: subject.personKey, town: subject.town, kind: input.kind, requestedOn, policeUnit: input.policeUnit, status: 'REQUESTED', foundOn: null, returnedOn: null, recordedBy: actorName(caller) });
      await manager.save(row);
      await this.record(manager, caller, 'correction.pursuit.request', 'PursuitRequest', row, { kind: row.kind, requestedOn });
      return row;
    });
  }

  /** CC-24: the police found the person (FOUND), then returned them to supervision or custody (RETURNED). */
  async recordPursuitOutcome(caller: Principal, input: { pursuitId: string; status: 'FOUND' | 'RETURNED'; on: string }): Promise<PursuitRequest> {
    const on = this.pastOrToday(input.on, 'on');
    return this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, caller, PursuitRequest, input.pursuitId, 'correction.pursuit.outcome');
      if (compareLocalDate(on, row.requestedOn) < 0) throw dateBefore('on', row.requestedOn);
      if (input.status === 'FOUND') {
        if (row.status !== 'REQUESTED') throw illegal(row.status);
        row.foundOn = on;
      } else {
        if (row.status === 'RETURNED') throw illegal(row.status);
        if (row.foundOn && compareLocalDate(on, row.foundOn) < 0) throw dateBefore('on', row.foundOn);
        row.foundOn ??= on;
        row.returnedOn = on;
      }
      row.status = input.status;
      await manager.save(row);
      await this.record(manager, caller, 'correction.pursuit.outcome', 'PursuitRequest', row, { status: row.status, on });
      return row;
    });
  }

  /** CC-24: a proposal to the court / deciding body: REVOCATION for probation and parole, COMMITMENT for 暂予监外执行. */
  async submitProposal(caller: Principal, input: { subjectId: string; kind: 'REVOCATION' | 'COMMITMENT'; grounds: string; sentTo: string; sentOn?: string }): Promise<CustodyProposal> {
    const sentOn = this.pastOrToday(input.sentOn, 'sentOn');
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.forChange(manager, caller, input.subjectId, 'correction.custody-proposal.submit', { requireActive: true });
      const fits =
        input.kind === 'REVOCATION'
          ? subject.sentenceType === SentenceType.PROBATION || subject.sentenceType === SentenceType.PAROLE
          : subject.sentenceType === SentenceType.TEMPORARY_OUTSIDE_EXECUTION;
      if (!fits) {
        throw new DomainError(
          DomainErrorCode.ILLEGAL_TRANSITION,
          `CC-24: a ${input.kind} proposal does not apply to ${subject.sentenceType} (revocation: probation/parole; commitment: 暂予监外执行) / 该建议类型不适用于此刑罚`,
          { field: 'kind' },
        );
      }
      const repo = manager.getRepository(CustodyProposal);
      const row = repo.create({
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        kind: input.kind,
        groundsCipher: this.cipher.encrypt(input.grounds),
        sentTo: input.sentTo,
        sentOn,
        decision: null,
        decidedOn: null,
        decisionDocumentNo: null,
        recordedBy: actorName(caller),
      });
      await manager.save(row);
      await this.record(manager, caller, 'correction.custody-proposal.submit', 'CustodyProposal', row, { kind: row.kind, sentOn });
      return row;
    });
  }

  /** CC-24: the court's / deciding body's decision, once. A granted proposal is then carried out with terminateSubject. */
  async recordDecision(caller: Principal, input: { proposalId: string; granted: boolean; decidedOn: string; documentNo?: string }): Promise<CustodyProposal> {
    const decidedOn = this.pastOrToday(input.decidedOn, 'decidedOn');
    return this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, caller, CustodyProposal, input.proposalId, 'correction.custody-proposal.decide');
      if (row.decision !== null) throw illegal(row.decision);
      if (compareLocalDate(decidedOn, row.sentOn) < 0) throw dateBefore('decidedOn', row.sentOn);
      row.decision = input.granted ? 'GRANTED' : 'REFUSED';
      row.decidedOn = decidedOn;
      row.decisionDocumentNo = input.documentNo ?? null;
      await manager.save(row);
      await this.record(manager, caller, 'correction.custody-proposal.decide', 'CustodyProposal', row, { decision: row.decision, decidedOn });
      return row;
    });
  }

  async raiseResidenceDispute(caller: Principal, input: { subjectId: string; designatingAuthority: string; raisedOn?: string }): Promise<ResidenceDispute> {
    const raisedOn = this.pastOrToday(input.raisedOn, 'raisedOn');
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.forChange(manager, caller, input.subjectId, 'correction.residence-dispute.raise');
      const repo = manager.getRepository(ResidenceDispute);
      const row = repo.create({ subjectId: subject.id, personKey: subject.personKey, town: subject.town, raisedOn, designatingAuthority: input.designatingAuthority, designatedTown: null, decision: null, decidedOn: null, recordedBy: actorName(caller) });
      await manager.save(row);
      await this.record(manager, caller, 'correction.residence-dispute.raise', 'ResidenceDispute', row, { raisedOn });
      return row;
    });
  }

  /** The designating authority's decision; a designated town of Jiangyin must be a known town code. */
  async decideResidenceDispute(caller: Principal, input: { disputeId: string; decision: string; designatedTown?: string; decidedOn: string }): Promise<ResidenceDispute> {
    const decidedOn = this.pastOrToday(input.decidedOn, 'decidedOn');
    if (input.designatedTown && !isKnownTownCode(input.designatedTown)) {
      throw new DomainError(DomainErrorCode.TOWN_UNKNOWN, `unknown town ${input.designatedTown} / 未知的镇（街道）代码`, { field: 'designatedTown' });
    }
    return this.dataSource.transaction(async (manager) => {
      const row = await this.lock(manager, caller, ResidenceDispute, input.disputeId, 'correction.residence-dispute.decide');
      if (row.decidedOn !== null) throw illegal('DECIDED');
      if (compareLocalDate(decidedOn, row.raisedOn) < 0) throw dateBefore('decidedOn', row.raisedOn);
      row.decision = input.decision;
      row.designatedTown = input.designatedTown ?? null;
      row.decidedOn = decidedOn;
      await manager.save(row);
      await this.record(manager, caller, 'correction.residence-dispute.decide', 'ResidenceDispute', row, { decidedOn, designatedTown: row.designatedTown });
      return row;
    });
  }

  /** Rows of a kind for many subjects at once (one query), oldest first. */
  async bySubjectIds<T extends Row>(entity: new () => T, ids: readonly string[]): Promise<Map<string, T[]>> {
    const out = new Map<string, T[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(entity).find({ where: { subjectId: In([...ids]) } as never, order: { createdAt: 'ASC' } as never });
    for (const r of rows) out.get(r.subjectId)?.push(r);
    return out;
  }

  grounds(p: CustodyProposal): string {
    return this.cipher.decrypt(p.groundsCipher);
  }

  private pastOrToday(raw: string | undefined, field: string): string {
    if (raw === undefined) return this.clock.today();
    const d = parseLocalDate(raw, field);
    if (compareLocalDate(d, this.clock.today()) > 0) throw new DomainError(DomainErrorCode.DATE_INVALID, `${field} is in the future / 日期不能晚于今天`, { field });
    return d;
  }

  /** The row, locked after its subject, when its subject is in the caller's towns; NOT_FOUND (audited) otherwise. */
  private async lock<T extends Row>(manager: EntityManager, caller: Principal, entity: new () => T, id: string, action: string): Promise<T> {
    const { row } = await this.subjects.recordForChange(manager, caller, entity, id, action);
    if (!row) throw new DomainError(DomainErrorCode.NOT_FOUND, `record ${id} not found / 未找到该记录`, { field: 'id' });
    return row;
  }

  private record(manager: EntityManager, caller: Principal, action: string, entityType: string, row: Row, details: Record<string, unknown>): Promise<void> {
    return this.audit.record({ actor: caller, action, entityType, entityId: row.id, personKey: row.personKey, towns: [row.town], details: { subjectId: row.subjectId, ...details } }, manager);
  }
}

function illegal(state: string): DomainError {
  return new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `CC-24: already ${state} / 该记录已处理`, { details: { state } });
}

function dateBefore(field: string, earliest: string): DomainError {
  return new DomainError(DomainErrorCode.DATE_RANGE_INVALID, `${field} is before ${earliest} / 日期早于${earliest}`, { field });
}
