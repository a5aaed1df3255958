import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import {
  DEFAULT_RESETTLEMENT_SETTINGS,
  DomainError,
  DomainErrorCode,
  IdNumber,
  ReceiptStatus,
  ResettlementSettings,
  Role,
  VerificationItem,
  VerificationResult,
  addDays,
  assertReleaseAfterNotice,
  findTown,
  impliedKeyCategories,
  isKeyPerson,
  normaliseKeyCategories,
  requireTown,
  verificationDue,
  verificationResult,
} from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, FieldCipher, PersonKeys, Principal, agencyOwnerKey, assertTownVisible, inTransaction, isUuid, townFilter } from '@homeward/platform';
import { ResettlementConfig } from '../config';
import { PreReleaseNoticeDto } from './dto/pre-release-notice.dto';
import { KeyCategoryChange, NoticeMatch, PreReleaseNotice, VerificationRecord } from './pre-release-notice.entity';
import { DailyPage, TownListRequest, dailyList } from '../cases/daily-list';
import { rowsBy } from '../cases/rows-by';

const PRISONER_NO_INDEX = 'prisoner-no';

export interface VerifyNoticeCommand {
  noticeId: string;
  items: { item: VerificationItem; matches: boolean; note?: string | null }[];
  notes?: string | null;
}

export interface NoticeListFilter {
  town?: string | null;
  /** Only notices not yet verified or whose receipt is not yet sent (the office's to-do list). */
  open?: boolean | null;
  releaseFrom?: string | null;
  releaseTo?: string | null;
  limit: number;
}

/**
 * RS-1 … RS-3: pre-release notices from prisons, matched to a town office (or the city queue), the
 * office's verification and the receipt the prison reads back.
 */
@Injectable()
export class NoticesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly cipher: FieldCipher,
    private readonly personKeys: PersonKeys,
    private readonly clock: Clock,
    @Inject(ResettlementConfig) private readonly config: ResettlementConfig,
  ) {}

  /** The case page: the notice of each id (a DataLoader batch). */
  byIds(ids: readonly string[]): Promise<Map<string, PreReleaseNotice[]>> {
    return rowsBy(this.dataSource, PreReleaseNotice, 'id', ids);
  }


  /** RS-2: the office's to-do list: notices not verified or whose receipt is not sent, soonest release first. */
  toHandle(caller: Principal, p: TownListRequest): Promise<DailyPage<PreReleaseNotice>> {
    return dailyList(this.dataSource, this.audit, caller, {
      ...p,
      entity: PreReleaseNotice,
      entityType: 'PreReleaseNotice',
      action: 'resettlement.notice.list',
      orderBy: 'expectedReleaseDate',
      where: (qb) => qb.andWhere("(r.verification IS NULL OR r.receiptStatus = 'PENDING')"),
      details: { list: 'to-handle' },
    });
  }

  /** RS-5: the notices expected to be released today … today + 6 and not released yet, soonest first. */
  expectedThisWeek(caller: Principal, p: TownListRequest): Promise<DailyPage<PreReleaseNotice>> {
    const today = this.clock.today();
    return dailyList(this.dataSource, this.audit, caller, {
      ...p,
      entity: PreReleaseNotice,
      entityType: 'PreReleaseNotice',
      action: 'resettlement.notice.list',
      orderBy: 'expectedReleaseDate',
      where: (qb) =>
        qb
          .andWhere('r.expectedReleaseDate BETWEEN :from AND :to', { from: today, to: addDays(today, 6) })
          .andWhere('NOT EXISTS (SELECT 1 FROM resettlement.releases x WHERE x.notice_id = r.id)'),
      details: { list: 'releases-this-week' },
    });
  }


  /** RS-1: a prison's notice. A notice whose towns name no Jiangyin town waits in the city queue, never refused. */
  async receive(caller: Principal, dto: PreReleaseNoticeDto): Promise<PreReleaseNotice> {
    const today = this.clock.today();
    const idNumber = IdNumber.parse(dto.person.idNumber, { today, field: 'person.idNumber' });
    if (dto.person.gender && dto.person.gender !== idNumber.gender) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'gender does not match the ID number / 性别与身份证号码不符', { field: 'person.gender' });
    }
    assertReleaseAfterNotice(dto.expectedReleaseDate, today);
    const sent = normaliseKeyCategories(dto.keyCategories);
    const { town, matchedBy } = this.match(dto.person.residenceTown, dto.person.registeredTown ?? null, today);
    const categories = impliedKeyCategories({ registeredTown: dto.person.registeredTown ?? null, residenceTown: dto.person.residenceTown }, sent);
    const personKey = this.personKeys.of(idNumber);
    const prisonAgency = agencyOwnerKey(caller);

    return inTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(PreReleaseNotice);
      const notice = repo.create({
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
        residenceTownCode: dto.person.residenceTown,
        registeredTownCode: dto.person.registeredTown ?? null,
        town,
        matchedBy,
        prisonAgency,
        prisonerNo: dto.prisonerNo.trim(),
        prisonerNoIndex: this.personKeys.identifierIndex(PRISONER_NO_INDEX, dto.prisonerNo),
        expectedReleaseDate: dto.expectedReleaseDate,
        offence: dto.offence,
        sentence: dto.sentence,
        conductInPrison: dto.conductInPrison,
        health: dto.health ?? null,
        keyCategories: categories,
        keyPerson: isKeyPerson(categories),
        receivedOn: today,
        verificationDue: verificationDue(dto.expectedReleaseDate, this.settings()),
        verification: null,
        verificationRecordJson: null,
        verifiedOn: null,
        verifiedBy: null,
        receiptStatus: ReceiptStatus.PENDING,
        receiptSentAt: null,
      });
      try {
        await manager.save(notice);
      } catch (e) {
        if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
          throw new DomainError(
            DomainErrorCode.CONFLICT,
            'this prison already sent a notice for this prisoner and release date / 该罪犯同一释放日期的预释放信息已报送',
            { field: 'prisonerNo' },
          );
        }
        throw e;
      }
      await this.events.publish(manager, 'resettlement.notice.received', {
        noticeId: notice.id,
        personKey,
        town,
        expectedReleaseDate: notice.expectedReleaseDate,
        keyPerson: notice.keyPerson,
        verificationDue: notice.verificationDue,
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'resettlement.notice.receive',
          entityType: 'PreReleaseNotice',
          entityId: notice.id,
          personKey,
          towns: town ? [town] : [],
          details: { matchedBy, keyPerson: notice.keyPerson, keyCategories: categories },
        },
        manager,
      );
      return notice;
    });
  }

  /** RS-2: the prison reads the receipt of its own notice (another agency's notice is "not found"). */
  async receiptFor(caller: Principal, id: string): Promise<PreReleaseNotice> {
    const notice = isUuid(id) ? await this.dataSource.getRepository(PreReleaseNotice).findOneBy({ id, prisonAgency: agencyOwnerKey(caller) }) : null;
    if (!notice) throw notFound();
    await this.audit.record({
      actor: caller,
      action: 'resettlement.notice.receipt.read',
      entityType: 'PreReleaseNotice',
      entityId: id,
      personKey: notice.personKey,
      towns: notice.town ? [notice.town] : [],
    });
    return notice;
  }

  /** One notice as staff see it: the city queue is the city's (CITY_ADMIN); a town's notices its officers'. */
  async findOne(caller: Principal, id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<PreReleaseNotice> {
    const notice = isUuid(id)
      ? await manager.getRepository(PreReleaseNotice).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) })
      : null;
    if (!notice || !this.canSee(caller, notice)) {
      await this.audit.record({ actor: caller, action: 'resettlement.notice.read', entityType: 'PreReleaseNotice', entityId: id, outcome: 'DENIED' });
      throw notFound();
    }
    return notice;
  }

  /** One notice for the staff GraphQL: NOT_FOUND (audited) outside the caller's towns, the read audited. */
  async read(caller: Principal, id: string): Promise<PreReleaseNotice> {
    const notice = await this.findOne(caller, id);
    await this.audit.record({
      actor: caller,
      action: 'resettlement.notice.read',
      entityType: 'PreReleaseNotice',
      entityId: notice.id,
      personKey: notice.personKey,
      towns: notice.town ? [notice.town] : [],
    });
    return notice;
  }

  /** The notices of the caller's towns (or the city queue for CITY_ADMIN with `town: null` asked), soonest release first. */
  async list(caller: Principal, filter: NoticeListFilter, cityQueue = false): Promise<PreReleaseNotice[]> {
    const qb = this.dataSource.getRepository(PreReleaseNotice).createQueryBuilder('n');
    if (cityQueue) {
      if (!caller.roles.includes(Role.CITY_ADMIN)) return [];
      qb.where('n.town IS NULL');
    } else {
      const towns = townFilter(caller, filter.town ?? null);
      if (towns.length === 0) return [];
      qb.where('n.town IN (:...towns)', { towns });
    }
    if (filter.open) qb.andWhere("(n.verification IS NULL OR n.receipt_status = 'PENDING')");
    if (filter.releaseFrom) qb.andWhere('n.expected_release_date >= :from', { from: filter.releaseFrom });
    if (filter.releaseTo) qb.andWhere('n.expected_release_date <= :to', { to: filter.releaseTo });
    const rows = await qb.orderBy('n.expected_release_date', 'ASC').addOrderBy('n.id', 'ASC').take(filter.limit).getMany();
    await this.audit.record({
      actor: caller,
      action: cityQueue ? 'resettlement.notice.city-queue.list' : 'resettlement.notice.list',
      entityType: 'PreReleaseNotice',
      towns: [...new Set(rows.map((r) => r.town).filter((t): t is string => t !== null))],
      personKeys: rows.map((r) => r.personKey),
      details: { count: rows.length },
    });
    return rows;
  }

  /** RS-1: the city office gives an unmatched notice its town (or moves a notice to the right town). */
  async assignTown(caller: Principal, id: string, townCode: string, reason: string): Promise<PreReleaseNotice> {
    const town = requireTown(townCode, this.clock.today(), 'town');
    return inTransaction(this.dataSource, async (manager) => {
      const notice = await this.findOne(caller, id, manager, true);
      if (notice.receiptStatus === ReceiptStatus.SENT) throw conflict('the receipt was already sent; the notice can no longer move / 回执已发送，不能再变更镇街');
      const before = notice.town;
      notice.town = town.code;
      notice.matchedBy = 'ASSIGNED';
      await manager.save(notice);
      await this.events.publish(manager, 'resettlement.notice.town-assigned', {
        noticeId: notice.id,
        personKey: notice.personKey,
        town: town.code,
        expectedReleaseDate: notice.expectedReleaseDate,
        keyPerson: notice.keyPerson,
        verificationDue: notice.verificationDue,
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'resettlement.notice.assign-town',
          entityType: 'PreReleaseNotice',
          entityId: notice.id,
          personKey: notice.personKey,
          towns: [town.code, ...(before ? [before] : [])],
          details: { from: before, to: town.code, reasonLength: reason.length },
        },
        manager,
      );
      return notice;
    });
  }

  /** RS-2: the town office's verification; repeatable until the receipt is sent. */
  async verify(caller: Principal, cmd: VerifyNoticeCommand): Promise<PreReleaseNotice> {
    const result: VerificationResult = verificationResult(cmd.items);
    const today = this.clock.today();
    return inTransaction(this.dataSource, async (manager) => {
      const notice = await this.findOne(caller, cmd.noticeId, manager, true);
      this.assertTownStaff(caller, notice);
      if (notice.receiptStatus === ReceiptStatus.SENT) throw conflict('the receipt was already sent / 回执已发送，不能再修改核查结果');
      const record: VerificationRecord = { items: cmd.items.map((i) => ({ item: i.item, matches: i.matches, note: i.note ?? null })), notes: cmd.notes ?? null };
      notice.verification = result;
      notice.verificationRecordJson = JSON.stringify(record);
      notice.verifiedOn = today;
      notice.verifiedBy = caller.sub;
      await manager.save(notice);
      await this.events.publish(manager, 'resettlement.notice.verified', {
        noticeId: notice.id,
        personKey: notice.personKey,
        town: notice.town as string,
        result,
        verifiedOn: today,
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'resettlement.notice.verify',
          entityType: 'PreReleaseNotice',
          entityId: notice.id,
          personKey: notice.personKey,
          towns: [notice.town as string],
          details: { result },
        },
        manager,
      );
      return notice;
    });
  }

  /** RS-2: the receipt goes back to the prison; it needs the verification first. */
  async sendReceipt(caller: Principal, id: string): Promise<PreReleaseNotice> {
    return inTransaction(this.dataSource, async (manager) => {
      const notice = await this.findOne(caller, id, manager, true);
      this.assertTownStaff(caller, notice);
      if (notice.verification === null) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'verify the notice before sending the receipt / 请先完成核查再发送回执', { field: 'noticeId' });
      }
      if (notice.receiptStatus === ReceiptStatus.SENT) return notice;
      notice.receiptStatus = ReceiptStatus.SENT;
      notice.receiptSentAt = this.clock.now();
      await manager.save(notice);
      await this.events.publish(manager, 'resettlement.receipt.sent', {
        noticeId: notice.id,
        personKey: notice.personKey,
        town: notice.town as string,
        sentOn: this.clock.today(),
      });
      await this.audit.record(
        { actor: caller, action: 'resettlement.notice.send-receipt', entityType: 'PreReleaseNotice', entityId: notice.id, personKey: notice.personKey, towns: [notice.town as string] },
        manager,
      );
      return notice;
    });
  }

  /** RS-3: the office changes the key-person categories with a reason; the history is kept. */
  async changeKeyCategories(caller: Principal, id: string, raw: string[], reason: string): Promise<PreReleaseNotice> {
    const after = normaliseKeyCategories(raw);
    if (!reason.trim()) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'a reason is required / 须说明变更理由', { field: 'reason' });
    return inTransaction(this.dataSource, async (manager) => {
      const notice = await this.findOne(caller, id, manager, true);
      this.assertTownStaff(caller, notice);
      const before = notice.keyCategories;
      notice.keyCategories = after;
      notice.keyPerson = isKeyPerson(after);
      await manager.save(notice);
      await manager.save(manager.getRepository(KeyCategoryChange).create({ noticeId: notice.id, before, after, reason, changedBy: caller.sub }));
      await this.audit.record(
        {
          actor: caller,
          action: 'resettlement.notice.change-key-categories',
          entityType: 'PreReleaseNotice',
          entityId: notice.id,
          personKey: notice.personKey,
          towns: [notice.town as string],
          details: { before, after },
        },
        manager,
      );
      return notice;
    });
  }

  /** The case page: the RS-3 category changes of each notice (a DataLoader batch), oldest first. */
  keyCategoryChangesByNoticeIds(noticeIds: readonly string[]): Promise<Map<string, KeyCategoryChange[]>> {
    return rowsBy(this.dataSource, KeyCategoryChange, 'noticeId', noticeIds, 'changedAt');
  }

  async keyCategoryHistory(noticeId: string): Promise<KeyCategoryChange[]> {
    return this.dataSource.getRepository(KeyCategoryChange).find({ where: { noticeId }, order: { changedAt: 'ASC' } });
  }

  private canSee(caller: Principal, notice: PreReleaseNotice): boolean {
    if (notice.town === null) return caller.roles.includes(Role.CITY_ADMIN);
    return townFilter(caller, notice.town).length > 0;
  }

  /** Verification and receipts are the town office's work (and the city's); a notice in the city queue has no office yet. */
  private assertTownStaff(caller: Principal, notice: PreReleaseNotice): void {
    if (notice.town === null) {
      throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'give the notice a town first / 请先为该信息指定镇街', { field: 'noticeId' });
    }
    assertTownVisible(caller, notice.town, 'notice');
  }

  /** RS-1: actual residence first, then registered residence, else the city queue. */
  private match(residenceTown: string, registeredTown: string | null, today: string): { town: string | null; matchedBy: NoticeMatch } {
    if (findTown(residenceTown, today)) return { town: residenceTown, matchedBy: 'RESIDENCE' };
    if (registeredTown && findTown(registeredTown, today)) return { town: registeredTown, matchedBy: 'REGISTRATION' };
    return { town: null, matchedBy: 'CITY_QUEUE' };
  }

  private settings(): ResettlementSettings {
    return { ...DEFAULT_RESETTLEMENT_SETTINGS, verificationLeadDays: this.config.PRE_RELEASE_VERIFICATION_LEAD_DAYS };
  }
}

function notFound(): DomainError {
  return new DomainError(DomainErrorCode.NOT_FOUND, 'pre-release notice not found / 未找到该预释放人员信息');
}

function conflict(message: string): DomainError {
  return new DomainError(DomainErrorCode.CONFLICT, message);
}
