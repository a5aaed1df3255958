import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  AftercareCaseStatus,
  AftercareSettings,
  DomainError,
  DomainErrorCode,
  IdNumber,
  Role,
  assertReleaseWithinWindow,
  contactDue,
  findTown,
  isDomainError,
  isLateNotice,
  requireTown,
} from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, FieldCipher, FieldError, Page, PersonKeys, Principal, agencyOwnerKey, flattenValidationErrors, inTransaction, isUuid, keysetPage, townFilter } from '@homeward/platform';
import { AftercareCase } from '../cases/aftercare-case.entity';
import { AftercareConfig, aftercareSettings } from '../config';
import { ReleaseNoticeDto, ReleaseNoticeResultDto } from './dto/release-notice.dto';
import { ReleaseNotice } from './release-notice.entity';

const RECORD_NO_INDEX = 'centre-record-no';
/** Rows per INSERT (PostgreSQL takes at most 65535 parameters; a notice has about 25 columns). */
const CHUNK = 500;

/**
 * AC-1: release notices from rehabilitation centres in monthly batches. Each item is accepted (a
 * notice and its aftercare case) or rejected with its field errors on its own; an accepted notice is
 * matched to the service station of the residence town, or waits in the city queue (never lost).
 */
@Injectable()
export class ReleaseNoticesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly cipher: FieldCipher,
    private readonly personKeys: PersonKeys,
    private readonly clock: Clock,
    @Inject(AftercareConfig) private readonly config: AftercareConfig,
  ) {}

  /** AC-1: one batch, in one transaction (the Idempotency-Key's answer is stored with it). */
  async receiveBatch(caller: Principal, items: readonly unknown[]): Promise<ReleaseNoticeResultDto[]> {
    const today = this.clock.today();
    const s = this.settings();
    const centreAgency = agencyOwnerKey(caller);
    const results: ReleaseNoticeResultDto[] = [];
    const accepted: { index: number; notice: ReleaseNotice; kase: AftercareCase; centre: string }[] = [];
    const seen = new Set<string>();

    for (const [index, raw] of items.entries()) {
      const prepared = this.prepare(raw, today, s, centreAgency);
      if ('errors' in prepared) {
        results.push({ index, status: 422, errors: prepared.errors });
        continue;
      }
      const uniq = `${prepared.notice.centreRecordNoIndex}|${prepared.notice.releaseDate}`;
      if (seen.has(uniq)) {
        results.push({ index, status: 422, errors: [duplicate()] });
        continue;
      }
      seen.add(uniq);
      accepted.push({ index, ...prepared });
      results.push({ index, status: 201, id: prepared.notice.id, town: prepared.notice.town, late: prepared.notice.late });
    }

    return inTransaction(this.dataSource, async (manager) => {
      const already = await this.alreadySent(manager, centreAgency, accepted.map((a) => a.notice));
      const fresh = accepted.filter((a) => !already.has(`${a.notice.centreRecordNoIndex}|${a.notice.releaseDate}`));
      for (const a of accepted) {
        if (fresh.includes(a)) continue;
        results[a.index] = { index: a.index, status: 422, errors: [duplicate()] };
      }
      for (let i = 0; i < fresh.length; i += CHUNK) {
        const chunk = fresh.slice(i, i + CHUNK);
        await manager.getRepository(ReleaseNotice).insert(chunk.map((a) => a.notice));
        await manager.getRepository(AftercareCase).insert(chunk.map((a) => a.kase));
      }
      await this.events.publishMany(
        manager,
        'aftercare.notice.received',
        fresh.map(({ notice, kase }) => ({
          noticeId: notice.id,
          caseId: kase.id,
          personKey: notice.personKey,
          town: notice.town,
          releaseDate: notice.releaseDate,
          keyPerson: notice.keyPerson,
          late: notice.late,
          contactDue: kase.contactDue as string,
        })),
      );
      if (items.length > 0 && fresh.length === 0) {
        // AL-7: nothing of this batch is in the house until the centre sends it again — operations must know.
        const fields = [...new Set(results.flatMap((r) => (r.errors ?? []).map((e) => e.field)))].slice(0, 20);
        await this.events.publish(manager, 'partner.batch.rejected', { service: 'aftercare', endpoint: 'POST /api/v1/aftercare/release-notices', agency: centreAgency, received: items.length, fields });
      }
      await this.audit.record(
        {
          actor: caller,
          action: 'aftercare.notice.receive-batch',
          entityType: 'ReleaseNotice',
          towns: [...new Set(fresh.map((a) => a.notice.town).filter((t): t is string => t !== null))],
          personKeys: fresh.map((a) => a.notice.personKey),
          details: { received: items.length, accepted: fresh.length, rejected: items.length - fresh.length, ids: fresh.map((a) => a.notice.id), cityQueue: fresh.filter((a) => a.notice.town === null).length },
        },
        manager,
      );
      return results;
    });
  }

  /** AC-1: one keyset page of the city queue (newest first, totalCount = how many wait), audited; CITY_ADMIN only. */
  async cityQueuePage(caller: Principal, args: { first: number; after?: string }): Promise<Page<ReleaseNotice>> {
    if (!caller.roles.includes(Role.CITY_ADMIN)) throw new DomainError(DomainErrorCode.FORBIDDEN, 'only the city office sees the city queue / 仅市局可查看待分配名单');
    const qb = this.dataSource.getRepository(ReleaseNotice).createQueryBuilder('n').where('n.town IS NULL');
    const page = await keysetPage(qb, 'n', { first: args.first, after: args.after });
    await this.audit.record({
      actor: caller,
      action: 'aftercare.notice.city-queue.list',
      entityType: 'ReleaseNotice',
      towns: [],
      personKeys: page.items.map((r) => r.personKey),
      details: { count: page.items.length, waiting: page.totalCount },
    });
    return page;
  }

  /** AC-1: the city queue (notices matching no station), for CITY_ADMIN only; never empty while one waits. */
  async cityQueue(caller: Principal, limit = 200): Promise<ReleaseNotice[]> {
    if (!caller.roles.includes(Role.CITY_ADMIN)) throw new DomainError(DomainErrorCode.FORBIDDEN, 'only the city office sees the city queue / 仅市局可查看待分配名单');
    const rows = await this.dataSource.getRepository(ReleaseNotice).createQueryBuilder('n').where('n.town IS NULL').orderBy('n.release_date', 'ASC').addOrderBy('n.id', 'ASC').take(limit).getMany();
    await this.audit.record({ actor: caller, action: 'aftercare.notice.city-queue.list', entityType: 'ReleaseNotice', towns: [], personKeys: rows.map((r) => r.personKey), details: { count: rows.length } });
    return rows;
  }

  /** The notices of the caller's towns, soonest release first. */
  async list(caller: Principal, town: string | null = null, limit = 200): Promise<ReleaseNotice[]> {
    const towns = townFilter(caller, town);
    if (towns.length === 0) return [];
    const rows = await this.dataSource.getRepository(ReleaseNotice).createQueryBuilder('n').where('n.town IN (:...towns)', { towns }).orderBy('n.release_date', 'ASC').addOrderBy('n.id', 'ASC').take(limit).getMany();
    await this.audit.record({ actor: caller, action: 'aftercare.notice.list', entityType: 'ReleaseNotice', towns: [...new Set(rows.map((r) => r.town as string))], personKeys: rows.map((r) => r.personKey), details: { count: rows.length } });
    return rows;
  }

  /** AC-1: the city office gives an unmatched notice (and its case) a service station. */
  async assignTown(caller: Principal, id: string, townCode: string, reason: string): Promise<ReleaseNotice> {
    if (!caller.roles.includes(Role.CITY_ADMIN)) throw new DomainError(DomainErrorCode.FORBIDDEN, 'only the city office assigns a station / 仅市局可指定服务站');
    if (!reason.trim()) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'a reason is required / 须说明理由', { field: 'reason' });
    const town = requireTown(townCode, this.clock.today(), 'town');
    return inTransaction(this.dataSource, async (manager) => {
      const notice = isUuid(id) ? await manager.getRepository(ReleaseNotice).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!notice) throw new DomainError(DomainErrorCode.NOT_FOUND, 'release notice not found / 未找到该解戒人员信息');
      const before = notice.town;
      notice.town = town.code;
      notice.matchedBy = 'ASSIGNED';
      await manager.save(notice);
      const kase = await manager.getRepository(AftercareCase).findOneByOrFail({ noticeId: notice.id });
      kase.town = town.code;
      await manager.save(kase);
      await this.events.publish(manager, 'aftercare.notice.town-assigned', {
        noticeId: notice.id,
        caseId: kase.id,
        personKey: notice.personKey,
        town: town.code,
        releaseDate: notice.releaseDate,
        contactDue: kase.contactDue as string,
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'aftercare.notice.assign-town',
          entityType: 'ReleaseNotice',
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

  /** Validates and builds one item; a fault is the item's 422, never the batch's. */
  private prepare(
    raw: unknown,
    today: string,
    s: AftercareSettings,
    centreAgency: string,
  ): { notice: ReleaseNotice; kase: AftercareCase; centre: string } | { errors: FieldError[] } {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return { errors: [{ field: '', message: 'each notice must be an object / 每条通知须为对象' }] };
    }
    const dto = plainToInstance(ReleaseNoticeDto, raw);
    const invalid = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
    if (invalid.length > 0) return { errors: flattenValidationErrors(invalid) };
    try {
      const idNumber = IdNumber.parse(dto.person.idNumber, { today, field: 'person.idNumber' });
      if (dto.person.gender && dto.person.gender !== idNumber.gender) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'gender does not match the ID number / 性别与身份证号码不符', { field: 'person.gender' });
      }
      assertReleaseWithinWindow(dto.releaseDate, today, s);
      const town = findTown(dto.person.residenceTown, today) ? dto.person.residenceTown : null;
      const personKey = this.personKeys.of(idNumber);
      const noticeId = randomUUID();
      const late = isLateNotice(dto.releaseDate, today, s);
      const notice = Object.assign(new ReleaseNotice(), {
        id: noticeId,
        personKey,
        idNumberCipher: this.cipher.encrypt(idNumber.value),
        maskedIdNumber: idNumber.masked(),
        name: dto.person.name,
        nameIndex: this.personKeys.nameIndex(dto.person.name),
        gender: idNumber.gender,
        birthDate: idNumber.birthDate,
        phone: dto.person.phone ?? null,
        residenceAddress: dto.person.residenceAddress ?? null,
        residenceTownCode: dto.person.residenceTown,
        town,
        matchedBy: town ? 'RESIDENCE' : 'CITY_QUEUE',
        centreAgency,
        centreRecordNo: dto.centreRecordNo.trim(),
        centreRecordNoIndex: this.personKeys.identifierIndex(RECORD_NO_INDEX, `${centreAgency}|${dto.centreRecordNo.trim()}`),
        releaseDate: dto.releaseDate,
        keyPerson: dto.keyPerson,
        communityRehabilitation: dto.communityRehabilitation,
        receivedOn: today,
        late,
      } satisfies Partial<ReleaseNotice>);
      const kase = Object.assign(new AftercareCase(), {
        id: randomUUID(),
        personKey,
        town,
        centre: centreAgency,
        releaseDate: dto.releaseDate,
        status: AftercareCaseStatus.AWAITING_CONTACT,
        noticeId,
        keyPerson: dto.keyPerson,
        communityRehabilitation: dto.communityRehabilitation,
        contactDue: contactDue(dto.releaseDate, s),
      } satisfies Partial<AftercareCase>);
      return { notice, kase, centre: centreAgency };
    } catch (e) {
      if (isDomainError(e)) return { errors: [{ field: e.field ?? '', message: e.message }] };
      throw e;
    }
  }

  private async alreadySent(manager: EntityManager, centreAgency: string, notices: ReleaseNotice[]): Promise<Set<string>> {
    if (notices.length === 0) return new Set();
    const rows: { idx: string; release_date: string }[] = await manager.query(
      `SELECT centre_record_no_index AS idx, release_date::text AS release_date FROM aftercare.release_notices
        WHERE centre_agency = $1 AND centre_record_no_index = ANY($2::char(64)[])`,
      [centreAgency, notices.map((n) => n.centreRecordNoIndex)],
    );
    return new Set(rows.map((r) => `${r.idx}|${r.release_date}`));
  }

  private settings(): AftercareSettings {
    return aftercareSettings(this.config);
  }
}

function duplicate(): FieldError {
  return { field: 'centreRecordNo', message: 'this centre already sent a notice for this record number and release date / 该戒毒人员同一解戒日期的信息已报送' };
}
