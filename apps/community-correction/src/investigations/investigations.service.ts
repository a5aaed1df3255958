import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  activeCalendar,
  DomainError,
  DomainErrorCode,
  IdNumber,
  compareLocalDate,
  investigationDueDate,
  parseLocalDate,
  parseSentenceType,
  requireTown,
} from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, EMPTY_PAGE, FieldCipher, PersonKeys, Principal, isUuid, keysetPage, partnerAgencyOf, personScope, whereInScope, townFilter, inTransaction, RecordAccess } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { Investigation, InvestigationStatus } from './investigation.entity';
import { InvestigationRequestDto } from './dto/investigation-request.dto';
import { AssignInvestigationTownInput, CompleteInvestigationInput, ExtendInvestigationInput, InvestigationsArgs } from './investigation.types';

@Injectable()
export class InvestigationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly cipher: FieldCipher,
    private readonly personKeys: PersonKeys,
    private readonly clock: Clock,
    @Inject(CorrectionConfig) private readonly config: CorrectionConfig,
  ) {
    this.investigations = new RecordAccess(audit, { entity: Investigation, what: 'investigation' });
  }

  private readonly investigations: RecordAccess<Investigation>;

  /** CC-14: a commission from a court, procuratorate, police or prison; due in 10 (expedited 5) working days. */
  async receive(caller: Principal, dto: InvestigationRequestDto): Promise<Investigation> {
    const today = this.clock.today();
    const idNumber = IdNumber.parse(dto.person.idNumber, { today, field: 'person.idNumber' });
    const town = requireTown(dto.person.residenceTown, undefined, 'person.residenceTown');
    const sentenceType = parseSentenceType(dto.proposedSentenceType, 'proposedSentenceType');
    const receivedDate = dto.receivedDate ? parseLocalDate(dto.receivedDate, 'receivedDate') : today;
    if (compareLocalDate(receivedDate, today) > 0) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, 'receivedDate is in the future / 收到委托日期晚于今天', { field: 'receivedDate' });
    }
    const dueDate = investigationDueDate(receivedDate, dto.expedited, activeCalendar(), {
      normal: this.config.INVESTIGATION_WORKING_DAYS,
      expedited: this.config.INVESTIGATION_EXPEDITED_WORKING_DAYS,
    });
    const personKey = this.personKeys.of(idNumber);
    return inTransaction(this.dataSource, async (manager) => {
      const row = manager.getRepository(Investigation).create({
        personKey,
        idNumberCipher: this.cipher.encrypt(idNumber.value),
        maskedIdNumber: idNumber.masked(),
        name: dto.person.name,
        nameIndex: this.personKeys.nameIndex(dto.person.name),
        town: town.code,
        requesterAgencyId: partnerAgencyOf(caller).id,
        requesterAgencyKind: partnerAgencyOf(caller).kind,
        requestingDocumentNo: dto.requestingDocumentNo,
        proposedSentenceType: sentenceType,
        expedited: dto.expedited,
        offence: dto.offence,
        receivedDate,
        originalDueDate: dueDate,
        dueDate,
        extensionReason: null,
        status: InvestigationStatus.PENDING,
        opinion: null,
        summary: null,
        report: null,
        completedOn: null,
        completedAt: null,
        completedBy: null,
      });
      await manager.save(row);
      await this.events.publish(manager, 'correction.investigation.received', {
        investigationId: row.id,
        personKey,
        town: row.town,
        dueDate,
        remindOn: this.remindOn(dueDate),
      });
      await this.record(manager, caller, 'correction.investigation.receive', row, { requestingDocumentNo: row.requestingDocumentNo, expedited: row.expedited, dueDate });
      return row;
    });
  }

  /** The requester reads its own commission only; anyone else gets 404. */
  async findForRequester(caller: Principal, id: string): Promise<Investigation> {
    const agency = partnerAgencyOf(caller);
    const row = await this.dataSource.getRepository(Investigation).findOneBy({ id, requesterAgencyId: agency.id, requesterAgencyKind: agency.kind });
    if (!row) throw new DomainError(DomainErrorCode.NOT_FOUND, `investigation request ${id} not found / 未找到该调查评估委托`);
    await this.audit.record({ actor: caller, action: 'correction.investigation.read', entityType: 'Investigation', entityId: id, personKey: row.personKey, towns: [row.town] });
    return row;
  }

  async findOne(caller: Principal, id: string): Promise<Investigation | null> {
    const row = isUuid(id) ? await this.dataSource.getRepository(Investigation).findOneBy({ id }) : null;
    const visible = this.investigations.canSee(caller, row) ? row : null;
    await this.audit.record({
      actor: caller,
      action: 'correction.investigation.read',
      entityType: 'Investigation',
      entityId: id,
      outcome: visible ? 'SUCCESS' : 'DENIED',
      ...(visible ? { personKey: visible.personKey, towns: [visible.town] } : {}),
    });
    return visible;
  }

  async list(caller: Principal, filter: InvestigationsArgs): Promise<{ items: Investigation[]; totalCount: number; endCursor: string | null; hasNextPage: boolean }> {
    const scope = personScope(caller, filter.town);
    const towns = scope.towns;
    const qb = this.dataSource.getRepository(Investigation).createQueryBuilder('i');
    if (!whereInScope(qb, 'i', scope)) return EMPTY_PAGE;
    if (filter.status) qb.andWhere('i.status = :status', { status: filter.status });
    const page = await keysetPage(qb, 'i', { first: filter.first, after: filter.after });
    await this.audit.record({ actor: caller, action: 'correction.investigation.list', entityType: 'Investigation', towns, personKeys: page.items.map((i) => i.personKey), details: { ids: page.items.map((i) => i.id) } });
    return page;
  }

  /** The bureau gives the assessment to another town's justice office. */
  async assignTown(caller: Principal, input: AssignInvestigationTownInput): Promise<Investigation> {
    const town = requireTown(input.town, undefined, 'town');
    return this.change(caller, input.investigationId, 'correction.investigation.assign-town', async (manager, row) => {
      row.town = town.code;
      await manager.save(row);
      await this.publishRescheduled(manager, row);
      return { town: town.code };
    });
  }

  /** CC-14: extension by agreement: a later due date with its reason. */
  async extend(caller: Principal, input: ExtendInvestigationInput): Promise<Investigation> {
    const newDueDate = parseLocalDate(input.newDueDate, 'newDueDate');
    return this.change(caller, input.investigationId, 'correction.investigation.extend', async (manager, row) => {
      if (compareLocalDate(newDueDate, row.dueDate) <= 0) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, `the new due date must be after ${row.dueDate} / 延期后的期限须晚于原期限`, { field: 'newDueDate' });
      }
      const previousDueDate = row.dueDate;
      row.dueDate = newDueDate;
      row.extensionReason = input.reason;
      await manager.save(row);
      await this.publishRescheduled(manager, row);
      return { previousDueDate, dueDate: newDueDate };
    });
  }

  /** CC-14: the opinion SUITABLE / UNSUITABLE with a summary and the report the requester fetches. */
  async complete(caller: Principal, input: CompleteInvestigationInput): Promise<Investigation> {
    return this.change(caller, input.investigationId, 'correction.investigation.complete', async (manager, row) => {
      const today = this.clock.today();
      row.status = InvestigationStatus.COMPLETED;
      row.opinion = input.opinion;
      row.summary = input.summary;
      row.report = input.report;
      row.completedOn = today;
      row.completedAt = this.clock.now();
      row.completedBy = caller.username ?? caller.sub;
      await manager.save(row);
      const onTime = compareLocalDate(today, row.dueDate) <= 0;
      await this.events.publish(manager, 'correction.investigation.completed', {
        investigationId: row.id,
        personKey: row.personKey,
        town: row.town,
        completedOn: today,
        onTime,
      });
      return { opinion: input.opinion, onTime };
    });
  }

  private async change(
    caller: Principal,
    id: string,
    action: string,
    apply: (manager: EntityManager, row: Investigation) => Promise<Record<string, unknown>>,
  ): Promise<Investigation> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.investigations.forChange(manager, caller, id, action);
      if (row.status !== InvestigationStatus.PENDING) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the assessment is already completed / 调查评估已完成', { details: { status: row.status } });
      }
      const details = await apply(manager, row);
      await this.record(manager, caller, action, row, details);
      return row;
    });
  }

  private async publishRescheduled(manager: EntityManager, row: Investigation): Promise<void> {
    await this.events.publish(manager, 'correction.investigation.rescheduled', {
      investigationId: row.id,
      personKey: row.personKey,
      town: row.town,
      dueDate: row.dueDate,
      remindOn: this.remindOn(row.dueDate),
    });
  }

  private remindOn(dueDate: string): string {
    return activeCalendar().addWorkingDays(dueDate, -this.config.INVESTIGATION_REMINDER_WORKING_DAYS);
  }

  private async record(manager: EntityManager, caller: Principal, action: string, row: Investigation, details: Record<string, unknown>): Promise<void> {
    await this.audit.record({ actor: caller, action, entityType: 'Investigation', entityId: row.id, personKey: row.personKey, towns: [row.town], details }, manager);
  }
}
