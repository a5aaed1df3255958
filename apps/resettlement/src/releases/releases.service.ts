import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, QueryFailedError } from 'typeorm';
import {
  DEFAULT_RESETTLEMENT_SETTINGS,
  DomainError,
  DomainErrorCode,
  EventEnvelope,
  IdNumber,
  PickUpBy,
  ResettlementSettings,
  compareLocalDate,
  findTown,
  localDateInShanghai,
  releaseDeadlines,
} from '@homeward/domain';
import { EventPublisher, OnEvent } from '@homeward/bus';
import { AuditWriter, Clock, PersonKeys, Principal, agencyOwnerKey, assertTownVisible, inTransaction, isUuid } from '@homeward/platform';
import { AssistanceCase } from '../cases/assistance-case.entity';
import { ResettlementConfig } from '../config';
import { PreReleaseNotice } from '../notices/pre-release-notice.entity';
import { ReoffenceReport } from '../reoffences/reoffence-report.entity';
import { ReleaseDto } from './dto/release.dto';
import { Release } from './release.entity';
import { DailyPage, TownListRequest, dailyList } from '../cases/daily-list';
import { rowsBy } from '../cases/rows-by';

export interface RecordPickUpCommand {
  releaseId: string;
  by: PickUpBy;
  collectorName: string;
  relationship: string;
  place: string;
  /** When the person was collected; default now. */
  at?: Date | null;
}

/** RS-5 releases and pick-ups; RS-6 the assistance case a release opens. */
@Injectable()
export class ReleasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly personKeys: PersonKeys,
    private readonly clock: Clock,
    @Inject(ResettlementConfig) private readonly config: ResettlementConfig,
  ) {}

  /** The case page: the release of each case (a DataLoader batch). */
  byCaseIds(caseIds: readonly string[]): Promise<Map<string, Release[]>> {
    return rowsBy(this.dataSource, Release, 'caseId', caseIds);
  }


  /** RS-5: key persons released and not picked up yet, earliest due first. */
  pickUpsMissing(caller: Principal, p: TownListRequest): Promise<DailyPage<Release>> {
    return dailyList(this.dataSource, this.audit, caller, {
      ...p,
      entity: Release,
      entityType: 'Release',
      action: 'resettlement.release.list',
      orderBy: 'pickUpDue',
      where: (qb) => qb.andWhere('r.keyPerson = true').andWhere('r.pickedUpAt IS NULL'),
      details: { list: 'pick-ups-missing' },
    });
  }


  /** RS-5: the prison confirms the actual release, of a notice it sent or of a person. */
  async receive(caller: Principal, dto: ReleaseDto): Promise<Release> {
    const today = this.clock.today();
    if (compareLocalDate(dto.actualReleaseDate, today) > 0) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, `actualReleaseDate ${dto.actualReleaseDate} is in the future / 实际释放日期不能晚于今天`, {
        field: 'actualReleaseDate',
      });
    }
    const prisonAgency = agencyOwnerKey(caller);
    const personKey = dto.person ? this.personKeys.of(IdNumber.parse(dto.person.idNumber, { today, field: 'person.idNumber' })) : null;

    return inTransaction(this.dataSource, async (manager) => {
      const notice = await this.noticeFor(manager, prisonAgency, dto.preReleaseNoticeId ?? null, personKey);
      if (notice && personKey && notice.personKey !== personKey) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'the person is not the person of the notice / 人员与预释放信息不符', { field: 'person.idNumber' });
      }
      let town: string | null;
      if (notice) town = notice.town;
      else {
        town = findTown(dto.person!.residenceTown, today)?.code ?? null;
        if (!town) {
          throw new DomainError(
            DomainErrorCode.TOWN_UNKNOWN,
            `residenceTown "${dto.person!.residenceTown}" is no Jiangyin town: send a pre-release notice first / 未知的镇街代码，请先报送预释放人员信息`,
            { field: 'person.residenceTown' },
          );
        }
      }
      const deadlines = releaseDeadlines(dto.actualReleaseDate, this.settings());
      const release = manager.getRepository(Release).create({
        noticeId: notice?.id ?? null,
        personKey: notice?.personKey ?? (personKey as string),
        town,
        prisonAgency,
        actualReleaseDate: dto.actualReleaseDate,
        handedOverTo: dto.handedOverTo ?? null,
        keyPerson: notice?.keyPerson ?? false,
        pickUpDue: deadlines.pickUpDue,
        riskAssessmentDue: deadlines.riskAssessmentDue,
        policeHandOverDue: deadlines.policeHandOverDue,
        caseId: null,
        pickedUpAt: null,
        pickedUpBy: null,
        pickUpJson: null,
        pickUpRecordedBy: null,
      });
      try {
        await manager.save(release);
      } catch (e) {
        if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
          throw new DomainError(DomainErrorCode.CONFLICT, 'this notice\'s release was already confirmed / 该人员的释放已确认', { field: 'preReleaseNoticeId' });
        }
        throw e;
      }
      if (town) await this.openCase(manager, release, deadlines.assistanceEnds);
      await this.publishReleased(manager, release);
      await this.matchReoffences(manager, release);
      await this.audit.record(
        {
          actor: caller,
          action: 'resettlement.release.receive',
          entityType: 'Release',
          entityId: release.id,
          personKey: release.personKey,
          towns: town ? [town] : [],
          details: { noticeId: release.noticeId, actualReleaseDate: release.actualReleaseDate, keyPerson: release.keyPerson },
        },
        manager,
      );
      return release;
    });
  }

  /** RS-1 → RS-6: a release whose notice waited in the city queue gets the town, and its case opens. */
  @OnEvent('resettlement.notice.town-assigned')
  async onNoticeTownAssigned(event: EventEnvelope<'resettlement.notice.town-assigned'>, manager: EntityManager): Promise<void> {
    const release = await manager.getRepository(Release).findOne({ where: { noticeId: event.payload.noticeId, town: IsNull() }, lock: { mode: 'pessimistic_write' } });
    if (!release) return;
    release.town = event.payload.town;
    await manager.save(release);
    await this.openCase(manager, release, releaseDeadlines(release.actualReleaseDate, this.settings()).assistanceEnds);
    await this.publishReleased(manager, release);
    await this.audit.record(
      { actor: { system: 'resettlement' }, action: 'resettlement.release.town-assigned', entityType: 'Release', entityId: release.id, personKey: release.personKey, towns: [release.town] },
      manager,
    );
  }

  /** RS-5: the town office records who collected the person at the gate. */
  async recordPickUp(caller: Principal, cmd: RecordPickUpCommand): Promise<Release> {
    const at = cmd.at ?? this.clock.now();
    return inTransaction(this.dataSource, async (manager) => {
      const release = await this.findOne(caller, cmd.releaseId, manager, true);
      if (release.pickedUpAt) throw new DomainError(DomainErrorCode.CONFLICT, 'the pick-up is already recorded / 已登记接回情况');
      const day = localDateInShanghai(at);
      if (compareLocalDate(day, release.actualReleaseDate) < 0 || at.getTime() > this.clock.now().getTime()) {
        throw new DomainError(DomainErrorCode.DATE_INVALID, 'the pick-up time must be between the release day and now / 接回时间须在释放当日至今之间', { field: 'at' });
      }
      release.pickedUpAt = at;
      release.pickedUpBy = cmd.by;
      release.pickUpJson = JSON.stringify({ collectorName: cmd.collectorName, relationship: cmd.relationship, place: cmd.place });
      release.pickUpRecordedBy = caller.sub;
      await manager.save(release);
      await this.events.publish(manager, 'resettlement.pickup.recorded', { releaseId: release.id, personKey: release.personKey, town: release.town as string, pickedUpOn: day });
      await this.audit.record(
        {
          actor: caller,
          action: 'resettlement.release.record-pick-up',
          entityType: 'Release',
          entityId: release.id,
          personKey: release.personKey,
          towns: [release.town as string],
          details: { by: cmd.by, onTime: compareLocalDate(day, release.pickUpDue) <= 0 },
        },
        manager,
      );
      return release;
    });
  }

  /** The prison reads back a release it confirmed (another agency's is "not found", audited). */
  async findForPrison(caller: Principal, id: string): Promise<Release> {
    const release = isUuid(id) ? await this.dataSource.getRepository(Release).findOneBy({ id, prisonAgency: agencyOwnerKey(caller) }) : null;
    if (!release) throw notFound();
    await this.audit.record({ actor: caller, action: 'resettlement.release.read', entityType: 'Release', entityId: id, personKey: release.personKey, towns: release.town ? [release.town] : [] });
    return release;
  }

  /** One release as staff see it (the town's officers and the city); anything else is "not found", audited. */
  async findOne(caller: Principal, id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Release> {
    const release = isUuid(id) ? await manager.getRepository(Release).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) }) : null;
    try {
      if (!release) throw notFound();
      assertTownVisible(caller, release.town, 'release');
      return release;
    } catch (e) {
      await this.audit.record({ actor: caller, action: 'resettlement.release.read', entityType: 'Release', entityId: id, outcome: 'DENIED' });
      throw e instanceof DomainError ? notFound() : e;
    }
  }

  /** The prison's notice: by id (its own only), else its latest unreleased notice for the person. */
  private async noticeFor(manager: EntityManager, prisonAgency: string, noticeId: string | null, personKey: string | null): Promise<PreReleaseNotice | null> {
    if (noticeId) {
      const notice = await manager.getRepository(PreReleaseNotice).findOneBy({ id: noticeId, prisonAgency });
      if (!notice) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `no pre-release notice ${noticeId} of this prison / 未找到本监狱报送的该预释放人员信息`, {
          field: 'preReleaseNoticeId',
        });
      }
      return notice;
    }
    if (!personKey) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'give preReleaseNoticeId or person / 须提供预释放信息编号或人员信息', { field: 'preReleaseNoticeId' });
    }
    const rows = await manager.query<{ id: string }[]>(
      `SELECT n.id FROM resettlement.pre_release_notices n
        WHERE n.prison_agency = $1 AND n.person_key = $2
          AND NOT EXISTS (SELECT 1 FROM resettlement.releases r WHERE r.notice_id = n.id)
        ORDER BY n.expected_release_date DESC LIMIT 1`,
      [prisonAgency, personKey],
    );
    return rows.length > 0 ? manager.getRepository(PreReleaseNotice).findOneBy({ id: rows[0].id }) : null;
  }

  /** RS-6: the assistance case of a release, 5 years (cfg) from the release day. */
  private async openCase(manager: EntityManager, release: Release, endDate: string): Promise<void> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(AssistanceCase)
      .values({ personKey: release.personKey, town: release.town as string, source: 'PRISON_RELEASE', sourceRecordId: release.id, startDate: release.actualReleaseDate, endDate, status: 'ACTIVE' })
      .orIgnore()
      .returning(['id'])
      .execute();
    const id = (inserted.raw as { id: string }[])[0]?.id ?? (await manager.getRepository(AssistanceCase).findOneByOrFail({ source: 'PRISON_RELEASE', sourceRecordId: release.id })).id;
    release.caseId = id;
    await manager.update(Release, { id: release.id }, { caseId: id });
  }

  private async publishReleased(manager: EntityManager, r: Release): Promise<void> {
    await this.events.publish(manager, 'resettlement.person.released', {
      releaseId: r.id,
      personKey: r.personKey,
      town: r.town,
      releaseDate: r.actualReleaseDate,
      keyPerson: r.keyPerson,
      pickUpDue: r.pickUpDue,
      riskAssessmentDue: r.riskAssessmentDue,
      policeHandOverDue: r.policeHandOverDue,
      caseId: r.caseId,
    });
  }

  /** RS-8: reports that came before the person appeared here, for offences on or after this release. */
  private async matchReoffences(manager: EntityManager, release: Release): Promise<void> {
    const reports = await manager
      .getRepository(ReoffenceReport)
      .createQueryBuilder('o')
      .setLock('pessimistic_write')
      .where('o.person_key = :k AND o.matched_at IS NULL AND o.offence_date >= :d', { k: release.personKey, d: release.actualReleaseDate })
      .getMany();
    for (const o of reports) {
      o.releaseId = release.id;
      o.caseId = release.caseId;
      o.town = release.town;
      o.matchedAt = this.clock.now();
      await manager.save(o);
      await this.events.publish(manager, 'resettlement.reoffence.reported', {
        reportId: o.id,
        personKey: o.personKey,
        town: o.town,
        offenceDate: o.offenceDate,
        releaseId: o.releaseId,
        caseId: o.caseId,
        matched: true,
      });
    }
  }

  private settings(): ResettlementSettings {
    return {
      ...DEFAULT_RESETTLEMENT_SETTINGS,
      verificationLeadDays: this.config.PRE_RELEASE_VERIFICATION_LEAD_DAYS,
      assistanceYears: this.config.ASSISTANCE_AFTER_RELEASE_YEARS,
      subjectsPerSocialWorker: this.config.RESETTLEMENT_SUBJECTS_PER_SOCIAL_WORKER,
    };
  }
}

function notFound(): DomainError {
  return new DomainError(DomainErrorCode.NOT_FOUND, 'release not found / 未找到该释放记录');
}
