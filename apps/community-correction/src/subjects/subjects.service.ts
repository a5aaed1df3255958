import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import {
  CorrectionStatus,
  DomainError,
  DomainErrorCode,
  IdNumber,
  correctionDocumentsDeadline,
  correctionNoticeDeadline,
  correctionReportDeadline,
  daysLate,
  parseSentenceType,
  requireTown,
  validateCorrectionPeriod,
} from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import {
  AuditWriter,
  Clock,
  EMPTY_PAGE,
  FieldCipher,
  keysetPage,
  PersonKeys,
  Principal,
  rowsByPersonKeyInTowns,
  agencyOwnerKey,
  personScope,
  whereInScope,
  inTransaction,
} from '@homeward/platform';
import { CorrectionSubject } from './subject.entity';
import { SubjectAccess } from './subject-access';
import { EnrolSubjectDto } from './dto/enrol-subject.dto';

export interface SubjectPage {
  items: CorrectionSubject[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface SubjectListFilter {
  town?: string;
  status?: CorrectionStatus;
  first: number;
  after?: string;
}


@Injectable()
export class SubjectsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly cipher: FieldCipher,
    private readonly personKeys: PersonKeys,
    private readonly clock: Clock,
    private readonly access: SubjectAccess,
  ) {}

  /** Enrolment from the deciding body (CC-3, CC-4): a new subject waiting to report in. */
  async enrol(caller: Principal, dto: EnrolSubjectDto): Promise<CorrectionSubject> {
    const idNumber = IdNumber.parse(dto.person.idNumber, { today: this.clock.today(), field: 'person.idNumber' });
    const town = requireTown(dto.person.residenceTown, undefined, 'person.residenceTown');
    const sentenceType = parseSentenceType(dto.sentenceType, 'sentenceType');
    validateCorrectionPeriod({
      sentenceType,
      judgmentEffectiveDate: dto.judgmentEffectiveDate,
      start: dto.correctionStartDate,
      end: dto.correctionEndDate,
      suspendedPenalty: dto.suspendedPenalty,
      suspendedTermMonths: dto.suspendedTermMonths,
      combinedSentences: dto.combinedSentences,
      detentionCreditDays: dto.detentionCreditDays,
    });
    // CC-3: the deciding body notifies within 5 days; a later notice is accepted and recorded late.
    const notifiedOn = this.clock.today();
    const noticeDeadline = correctionNoticeDeadline(dto.judgmentEffectiveDate);
    if (dto.person.gender && dto.person.gender !== idNumber.gender) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'gender does not match the ID number / 性别与身份证号码不符', {
        field: 'person.gender',
      });
    }
    const personKey = this.personKeys.of(idNumber);

    return inTransaction(this.dataSource, async (manager) => {
      // CC-2: at most one open correction per person — the unique index subjects_one_open_per_person
      // decides (issue 13 S2: no read before the insert; two enrolments of one person at once get
      // 201 and 409, where the read-then-insert answered the second with a 500).
      const subject = manager.getRepository(CorrectionSubject).create({
        personKey,
        idNumberCipher: this.cipher.encrypt(idNumber.value),
        maskedIdNumber: idNumber.masked(),
        name: dto.person.name,
        nameIndex: this.personKeys.nameIndex(dto.person.name),
        gender: idNumber.gender,
        birthDate: idNumber.birthDate,
        phone: dto.person.phone ?? null,
        registeredAddress: dto.person.registeredAddress ?? null,
        residenceAddress: dto.person.residenceAddress ?? null,
        town: town.code,
        sentenceType,
        judgmentDocumentNo: dto.judgmentDocumentNo,
        judgmentEffectiveDate: dto.judgmentEffectiveDate,
        correctionStartDate: dto.correctionStartDate,
        correctionEndDate: dto.correctionEndDate,
        offence: dto.offence,
        decidingAuthority: dto.decidingAuthority,
        organisedCrime: dto.organisedCrime ?? false,
        suspendedPenalty: dto.suspendedPenalty ?? null,
        suspendedTermMonths: dto.suspendedTermMonths ?? null,
        combinedSentences: dto.combinedSentences ?? false,
        detentionCreditDays: dto.detentionCreditDays ?? 0,
        notifiedOn,
        noticeDeadline,
        noticeDaysLate: daysLate(noticeDeadline, notifiedOn),
        enrolledByAgency: agencyOwnerKey(caller),
        status: CorrectionStatus.PENDING_REPORT,
        reportDeadline: correctionReportDeadline(dto.judgmentEffectiveDate),
        documentsDeadline: correctionDocumentsDeadline(dto.judgmentEffectiveDate),
        reportedOn: null,
      });
      await manager.save(subject).catch((e: unknown) => {
        throw isOpenCorrectionConflict(e) ? alreadyEnrolled() : e;
      });
      await this.events.publish(manager, 'correction.subject.enrolled', {
        subjectId: subject.id,
        personKey,
        town: subject.town,
        sentenceType,
        judgmentEffectiveDate: subject.judgmentEffectiveDate,
        reportDeadline: subject.reportDeadline,
        documentsDeadline: subject.documentsDeadline,
        correctionEndDate: subject.correctionEndDate,
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.subject.enrol',
          entityType: 'CorrectionSubject',
          entityId: subject.id,
          personKey,
          towns: [subject.town],
          details: {
            judgmentDocumentNo: subject.judgmentDocumentNo,
            sentenceType,
            suspendedPenalty: subject.suspendedPenalty,
            noticeDaysLate: subject.noticeDaysLate,
          },
        },
        manager,
      );
      return subject;
    });
  }

  /** The enrolling agency reads back the status of its own enrolment. */
  async findForAgency(caller: Principal, id: string): Promise<CorrectionSubject> {
    const subject = await this.dataSource.getRepository(CorrectionSubject).findOneBy({ id, enrolledByAgency: agencyOwnerKey(caller) });
    if (!subject) throw notFound(id);
    await this.audit.record({ actor: caller, action: 'correction.subject.read', entityType: 'CorrectionSubject', entityId: id, personKey: subject.personKey, towns: [subject.town] });
    return subject;
  }

  /** One subject as staff see it; another town's subject is "not found", never the record. */
  async findOne(caller: Principal, id: string): Promise<CorrectionSubject | null> {
    const subject = await this.access.findForRead(this.dataSource.manager, caller, id, 'correction.subject.read');
    if (!subject) return null;
    await this.audit.record({ actor: caller, action: 'correction.subject.read', entityType: 'CorrectionSubject', entityId: id, personKey: subject.personKey, towns: [subject.town] });
    return subject;
  }

  /** Keyset-paginated list in the caller's towns, newest enrolment first. */
  async list(caller: Principal, filter: SubjectListFilter): Promise<SubjectPage> {
    const scope = personScope(caller, filter.town);
    const towns = scope.towns;
    const qb = this.dataSource.getRepository(CorrectionSubject).createQueryBuilder('s');
    if (!whereInScope(qb, 's', scope)) return EMPTY_PAGE;
    if (filter.status) qb.andWhere('s.status = :status', { status: filter.status });
    const page = await keysetPage(qb, 's', { first: filter.first, after: filter.after });
    await this.audit.record({
      actor: caller,
      action: 'correction.subject.list',
      entityType: 'CorrectionSubject',
      towns,
      personKeys: page.items.map((s) => s.personKey),
      details: { ids: page.items.map((s) => s.id), status: filter.status ?? null },
    });
    return page;
  }

  /** Subjects of a person (Person.correctionCases), restricted to the caller's towns. */
  async findByPersonKeys(caller: Principal, keys: readonly string[]): Promise<Map<string, CorrectionSubject[]>> {
    const { byKey, rows } = await rowsByPersonKeyInTowns(this.dataSource.getRepository(CorrectionSubject), caller, keys);
    if (rows.length > 0) {
      await this.audit.record({
        actor: caller,
        action: 'correction.subject.read',
        entityType: 'CorrectionSubject',
        personKeys: rows.map((r) => r.personKey),
        details: { ids: rows.map((r) => r.id) },
      });
    }
    return byKey;
  }


  /**
   * For a staff change: the subject locked FOR UPDATE in `manager`'s transaction. Another town's
   * subject (or an unknown id) is NOT_FOUND, never the record (the denial is audited).
   */
  lockForChange(manager: EntityManager, caller: Principal, id: string): Promise<CorrectionSubject> {
    return this.access.forTownChange(manager, caller, id, 'correction.subject.change');
  }

  /** For a partner: the subject enrolled by the caller's agency, locked FOR UPDATE; else NOT_FOUND (404). */
  async lockForAgency(manager: EntityManager, caller: Principal, id: string): Promise<CorrectionSubject> {
    const subject = await manager
      .getRepository(CorrectionSubject)
      .findOne({ where: { id, enrolledByAgency: agencyOwnerKey(caller) }, lock: { mode: 'pessimistic_write' } });
    if (!subject) throw notFound(id);
    return subject;
  }

  /** The clear ID number of many subjects at once (no audit: the caller audits what it reveals). */
  decryptIdNumber(subject: Pick<CorrectionSubject, 'idNumberCipher'>): string {
    return this.cipher.decrypt(subject.idNumberCipher);
  }

  /** The clear ID number, only for callers allowed to unmask; always audited. */
  async revealIdNumber(caller: Principal, subject: CorrectionSubject, manager?: EntityManager): Promise<string> {
    await this.audit.record(
      { actor: caller, action: 'correction.subject.unmask-id-number', entityType: 'CorrectionSubject', entityId: subject.id, personKey: subject.personKey, towns: [subject.town] },
      manager,
    );
    return this.cipher.decrypt(subject.idNumberCipher);
  }
}

/** The insert hit `subjects_one_open_per_person`: the person has an open (pending or active) correction. */
function isOpenCorrectionConflict(e: unknown): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const driver = e.driverError as { code?: string; constraint?: string };
  return driver.code === '23505' && driver.constraint === 'subjects_one_open_per_person';
}

function alreadyEnrolled(): DomainError {
  return new DomainError(DomainErrorCode.CONFLICT, 'this person is already enrolled in community correction / 该人员已在社区矫正中', {
    field: 'person.idNumber',
  });
}

function notFound(id: string): DomainError {
  return new DomainError(DomainErrorCode.NOT_FOUND, `enrolment ${id} not found / 未找到该记录`);
}
