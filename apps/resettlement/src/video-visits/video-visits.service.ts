import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import {
  DomainError,
  DomainErrorCode,
  VideoVisitOrigin,
  VideoVisitStatus,
  assertVideoVisitDuration,
  assertVideoVisitMove,
  requireTown,
  addDays,
  startOfLocalDateInShanghai,
} from '@homeward/domain';
import { AuditWriter, Clock, PersonKeys, Principal, agencyOwnerKey, assertTownVisible, inTransaction, isUuid, townFilter } from '@homeward/platform';
import { VideoVisitProposalDto } from './dto/video-visit-proposal.dto';
import { VideoVisit, VisitTerminal } from './video-visit.entity';
import { DailyPage, TownListRequest, dailyList } from '../cases/daily-list';

const PRISONER_NO_INDEX = 'prisoner-no';

export interface FamilyVisitRequest {
  town: string;
  prisonName: string;
  prisonerNo: string;
  familyContact: string;
  startsAt: Date;
  durationMinutes: number;
}

/** One prison's line of the demand ledger (需求人员台账, RS-10). */
export interface DemandLedgerLine {
  prison: string;
  requested: number;
  confirmed: number;
  completed: number;
  failed: number;
  cancelled: number;
}

/**
 * RS-10 remote family video visits: terminals at town offices; bookings by a family at a terminal or
 * proposed by a prison; one terminal holds one CONFIRMED visit at a time — the database's exclusion
 * constraint decides between two confirmations at once, so both cannot win.
 */
@Injectable()
export class VideoVisitsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly personKeys: PersonKeys,
    private readonly clock: Clock,
  ) {}

  /** RS-10: today's requested or confirmed visits at the caller's offices, earliest first. */
  today(caller: Principal, p: TownListRequest): Promise<DailyPage<VideoVisit>> {
    const today = this.clock.today();
    return dailyList(this.dataSource, this.audit, caller, {
      ...p,
      entity: VideoVisit,
      entityType: 'VideoVisit',
      action: 'resettlement.video-visit.list',
      orderBy: 'startsAt',
      where: (qb) =>
        qb
          .andWhere('r.startsAt >= :from AND r.startsAt < :to', { from: startOfLocalDateInShanghai(today), to: startOfLocalDateInShanghai(addDays(today, 1)) })
          .andWhere("r.status IN ('REQUESTED', 'CONFIRMED')"),
      details: { list: 'video-visits-today' },
    });
  }


  async addTerminal(caller: Principal, townCode: string, name: string): Promise<VisitTerminal> {
    const town = requireTown(townCode, this.clock.today(), 'town');
    assertTownVisible(caller, town.code, 'town');
    return inTransaction(this.dataSource, async (manager) => {
      const terminal = manager.getRepository(VisitTerminal).create({ town: town.code, name: name.trim(), active: true });
      try {
        await manager.save(terminal);
      } catch (e) {
        if (isUniqueViolation(e)) throw new DomainError(DomainErrorCode.CONFLICT, 'this office already has a terminal of that name / 该司法所已有同名终端', { field: 'name' });
        throw e;
      }
      await this.audit.record({ actor: caller, action: 'resettlement.visit-terminal.add', entityType: 'VisitTerminal', entityId: terminal.id, towns: [town.code] }, manager);
      return terminal;
    });
  }

  /** RS-10: a prison proposes a visit at a town office's terminal. */
  async propose(caller: Principal, dto: VideoVisitProposalDto): Promise<VideoVisit> {
    const town = requireTown(dto.town, this.clock.today(), 'town');
    const startsAt = new Date(dto.proposedStart);
    this.assertSlot(startsAt, dto.durationMinutes);
    const prisonAgency = agencyOwnerKey(caller);
    const prisonerNoIndex = this.personKeys.identifierIndex(PRISONER_NO_INDEX, dto.prisonerNo);
    return inTransaction(this.dataSource, async (manager) => {
      const [known] = await manager.query<{ person_key: string }[]>(
        `SELECT person_key FROM resettlement.pre_release_notices WHERE prison_agency = $1 AND prisoner_no_index = $2 ORDER BY expected_release_date DESC LIMIT 1`,
        [prisonAgency, prisonerNoIndex],
      );
      const visit = manager.getRepository(VideoVisit).create({
        town: town.code,
        origin: VideoVisitOrigin.PRISON,
        prisonAgency,
        prisonName: null,
        prisonerNo: dto.prisonerNo.trim(),
        prisonerNoIndex,
        personKey: known?.person_key ?? null,
        familyContact: null,
        startsAt,
        endsAt: new Date(startsAt.getTime() + dto.durationMinutes * 60_000),
        status: VideoVisitStatus.REQUESTED,
        terminalId: null,
        terminalSeq: null,
        outcome: null,
        createdBy: caller.sub,
      });
      await manager.save(visit);
      await this.audit.record(
        { actor: caller, action: 'resettlement.video-visit.propose', entityType: 'VideoVisit', entityId: visit.id, personKey: visit.personKey ?? undefined, towns: [town.code] },
        manager,
      );
      return visit;
    });
  }

  /** RS-10: a family asks for a visit at the town office's terminal (recorded by the office). */
  async requestByFamily(caller: Principal, r: FamilyVisitRequest): Promise<VideoVisit> {
    const town = requireTown(r.town, this.clock.today(), 'town');
    assertTownVisible(caller, town.code, 'town');
    this.assertSlot(r.startsAt, r.durationMinutes);
    return inTransaction(this.dataSource, async (manager) => {
      const visit = manager.getRepository(VideoVisit).create({
        town: town.code,
        origin: VideoVisitOrigin.FAMILY,
        prisonAgency: null,
        prisonName: r.prisonName,
        prisonerNo: r.prisonerNo.trim(),
        prisonerNoIndex: this.personKeys.identifierIndex(PRISONER_NO_INDEX, r.prisonerNo),
        personKey: null,
        familyContact: r.familyContact,
        startsAt: r.startsAt,
        endsAt: new Date(r.startsAt.getTime() + r.durationMinutes * 60_000),
        status: VideoVisitStatus.REQUESTED,
        terminalId: null,
        terminalSeq: null,
        outcome: null,
        createdBy: caller.sub,
      });
      await manager.save(visit);
      await this.audit.record({ actor: caller, action: 'resettlement.video-visit.request', entityType: 'VideoVisit', entityId: visit.id, towns: [town.code] }, manager);
      return visit;
    });
  }

  /**
   * RS-10: the office confirms a requested visit on one of its terminals. Two confirmations of
   * overlapping visits on one terminal cannot both commit: the loser gets 409. Locks: the visit's
   * row, then the terminal's (every path that takes both takes them in this order).
   */
  async confirm(caller: Principal, visitId: string, terminalId: string): Promise<VideoVisit> {
    return inTransaction(this.dataSource, async (manager) => {
      const visit = await this.findOne(caller, visitId, manager, true);
      assertVideoVisitMove(visit.status, VideoVisitStatus.CONFIRMED);
      // The terminal's row is locked so that confirmations on one terminal take turns. Without it two
      // overlapping confirmations each insert their index entry, each waits on the other's
      // transaction to decide the exclusion constraint, and PostgreSQL aborts one with a deadlock
      // (40P01, a 500) instead of the constraint's 23P01 (a 409).
      const terminal = isUuid(terminalId)
        ? await manager.getRepository(VisitTerminal).findOne({ where: { id: terminalId }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!terminal || terminal.town !== visit.town || !terminal.active) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'no active terminal of this office with that id / 本司法所无此可用终端', { field: 'terminalId' });
      }
      try {
        await manager.query(
          `UPDATE resettlement.video_visits SET status = 'CONFIRMED', terminal_id = $2, terminal_seq = $3, updated_at = now(), version = version + 1 WHERE id = $1`,
          [visit.id, terminal.id, terminal.seq],
        );
      } catch (e) {
        if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23P01') {
          throw new DomainError(DomainErrorCode.CONFLICT, 'the terminal already holds a confirmed visit at that time / 该终端此时段已有确认的会见', { field: 'terminalId' });
        }
        throw e;
      }
      await this.audit.record(
        { actor: caller, action: 'resettlement.video-visit.confirm', entityType: 'VideoVisit', entityId: visit.id, personKey: visit.personKey ?? undefined, towns: [visit.town], details: { terminalId } },
        manager,
      );
      return manager.getRepository(VideoVisit).findOneByOrFail({ id: visit.id });
    });
  }

  /** RS-10: COMPLETED, FAILED or CANCELLED, with what happened. */
  async finish(caller: Principal, visitId: string, to: VideoVisitStatus.COMPLETED | VideoVisitStatus.FAILED | VideoVisitStatus.CANCELLED, outcome?: string | null): Promise<VideoVisit> {
    return inTransaction(this.dataSource, async (manager) => {
      const visit = await this.findOne(caller, visitId, manager, true);
      assertVideoVisitMove(visit.status, to);
      if (to === VideoVisitStatus.COMPLETED && visit.startsAt.getTime() > this.clock.now().getTime()) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'a visit cannot be completed before it starts / 会见尚未开始，不能登记完成', { field: 'status' });
      }
      visit.status = to;
      visit.outcome = outcome ?? null;
      await manager.save(visit);
      await this.audit.record(
        { actor: caller, action: `resettlement.video-visit.${to.toLowerCase()}`, entityType: 'VideoVisit', entityId: visit.id, personKey: visit.personKey ?? undefined, towns: [visit.town] },
        manager,
      );
      return visit;
    });
  }

  /** The prison reads back its proposal. */
  async findForPrison(caller: Principal, id: string): Promise<VideoVisit> {
    const visit = isUuid(id) ? await this.dataSource.getRepository(VideoVisit).findOneBy({ id, prisonAgency: agencyOwnerKey(caller) }) : null;
    if (!visit) throw notFound();
    await this.audit.record({ actor: caller, action: 'resettlement.video-visit.read', entityType: 'VideoVisit', entityId: id, personKey: visit.personKey ?? undefined, towns: [visit.town] });
    return visit;
  }

  async findOne(caller: Principal, id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<VideoVisit> {
    const visit = isUuid(id) ? await manager.getRepository(VideoVisit).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) }) : null;
    if (!visit || townFilter(caller, visit.town).length === 0) {
      await this.audit.record({ actor: caller, action: 'resettlement.video-visit.read', entityType: 'VideoVisit', entityId: id, outcome: 'DENIED' });
      throw notFound();
    }
    return visit;
  }

  /** RS-10: the demand ledger per prison, for the caller's towns. */
  async demandLedger(caller: Principal): Promise<DemandLedgerLine[]> {
    const towns = townFilter(caller);
    if (towns.length === 0) return [];
    const rows = await this.dataSource.getRepository(VideoVisit).find({ where: towns.map((town) => ({ town })) });
    const byPrison = new Map<string, DemandLedgerLine>();
    for (const v of rows) {
      const prison = v.prisonAgency ?? v.prisonName ?? '?';
      const line = byPrison.get(prison) ?? { prison, requested: 0, confirmed: 0, completed: 0, failed: 0, cancelled: 0 };
      line[v.status.toLowerCase() as 'requested'] += 1;
      byPrison.set(prison, line);
    }
    await this.audit.record({ actor: caller, action: 'resettlement.video-visit.ledger', entityType: 'VideoVisit', towns, personKeys: rows.map((r) => r.personKey) });
    return [...byPrison.values()].sort((a, b) => a.prison.localeCompare(b.prison));
  }

  private assertSlot(startsAt: Date, durationMinutes: number): void {
    assertVideoVisitDuration(durationMinutes);
    if (startsAt.getTime() < this.clock.now().getTime()) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, 'a visit cannot start in the past / 会见开始时间不能早于现在', { field: 'proposedStart' });
    }
  }
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505';
}

function notFound(): DomainError {
  return new DomainError(DomainErrorCode.NOT_FOUND, 'video visit not found / 未找到该会见');
}
