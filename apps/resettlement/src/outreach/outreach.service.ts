import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { DEFAULT_RESETTLEMENT_SETTINGS, DomainError, DomainErrorCode, compareLocalDate, quarterOf, quarterRange, requireTown, socialWorkersNeeded } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, Principal, assertTownVisible, inTransaction, isUuid } from '@homeward/platform';
import { OutreachVisit, SocialWorkerEntry } from './outreach.entity';

/** RS-9 prison outreach (each town at least once a quarter) and RS-12 the social-worker roster (1 per 50 subjects). */
@Injectable()
export class OutreachService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {}

  async recordVisit(caller: Principal, townCode: string, prisonName: string, visitedOn: string, participants: number, note?: string | null): Promise<OutreachVisit> {
    const town = requireTown(townCode, this.clock.today(), 'town').code;
    assertTownVisible(caller, town, 'town');
    if (compareLocalDate(visitedOn, this.clock.today()) > 0) throw new DomainError(DomainErrorCode.DATE_INVALID, 'visitedOn cannot be in the future / 帮教日期不能晚于今天', { field: 'visitedOn' });
    if (!Number.isInteger(participants) || participants < 1) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'participants must be at least 1 / 参加人数至少为1', { field: 'participants' });
    return inTransaction(this.dataSource, async (manager) => {
      const v = await manager.save(manager.getRepository(OutreachVisit).create({ town, prisonName: prisonName.trim(), visitedOn, participants, note: note ?? null, recordedBy: caller.sub }));
      await this.audit.record({ actor: caller, action: 'resettlement.outreach.record', entityType: 'OutreachVisit', entityId: v.id, towns: [town] }, manager);
      // AL-3: the town's quarter is done (alerts settles its RS-9 watch, or the BLUE alert of a visit recorded late).
      await this.events.publish(manager, 'resettlement.outreach.visited', { visitId: v.id, town, visitedOn: v.visitedOn, quarter: quarterOf(v.visitedOn) });
      return v;
    });
  }

  /** RS-9: the towns among `towns` without an outreach visit in the quarter `YYYY-Qn`. */
  async townsWithoutOutreach(towns: readonly string[], quarter: string): Promise<string[]> {
    const { start, end } = quarterRange(quarter);
    const rows = await this.dataSource.query<{ town: string }[]>(
      `SELECT DISTINCT town FROM resettlement.outreach_visits WHERE town = ANY($1) AND visited_on BETWEEN $2 AND $3`,
      [towns, start, end],
    );
    const visited = new Set(rows.map((r) => r.town));
    return towns.filter((t) => !visited.has(t));
  }

  async addSocialWorker(caller: Principal, townCode: string, name: string, startedOn: string): Promise<SocialWorkerEntry> {
    const town = requireTown(townCode, this.clock.today(), 'town').code;
    assertTownVisible(caller, town, 'town');
    return inTransaction(this.dataSource, async (manager) => {
      const w = await manager.save(manager.getRepository(SocialWorkerEntry).create({ town, name, startedOn, endedOn: null, recordedBy: caller.sub }));
      await this.audit.record({ actor: caller, action: 'resettlement.social-worker.add', entityType: 'SocialWorkerEntry', entityId: w.id, towns: [town] }, manager);
      return w;
    });
  }

  async endSocialWorker(caller: Principal, id: string, endedOn: string): Promise<SocialWorkerEntry> {
    return inTransaction(this.dataSource, async (manager) => {
      const w = isUuid(id) ? await manager.getRepository(SocialWorkerEntry).findOneBy({ id, endedOn: IsNull() }) : null;
      if (!w) throw new DomainError(DomainErrorCode.NOT_FOUND, 'social worker not found / 未找到该社工');
      assertTownVisible(caller, w.town, 'social worker');
      if (compareLocalDate(endedOn, w.startedOn) < 0) throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'endedOn before startedOn / 结束日期早于开始日期', { field: 'endedOn' });
      w.endedOn = endedOn;
      await manager.save(w);
      await this.audit.record({ actor: caller, action: 'resettlement.social-worker.end', entityType: 'SocialWorkerEntry', entityId: w.id, towns: [w.town] }, manager);
      return w;
    });
  }

  /** RS-12 on a day: the town's social workers, its active assistance subjects, and the workers it needs (1 per 50, cfg). */
  async socialWorkerRatio(town: string, on: string, perWorker: number): Promise<{ workers: number; subjects: number; needed: number }> {
    const [row] = await this.dataSource.query<{ workers: number; subjects: number }[]>(
      `SELECT (SELECT count(*)::int FROM resettlement.social_workers WHERE town = $1 AND started_on <= $2 AND (ended_on IS NULL OR ended_on >= $2)) AS workers,
              (SELECT count(*)::int FROM resettlement.assistance_cases WHERE town = $1 AND start_date <= $2 AND end_date >= $2) AS subjects`,
      [town, on],
    );
    return { ...row, needed: socialWorkersNeeded(row.subjects, { ...DEFAULT_RESETTLEMENT_SETTINGS, subjectsPerSocialWorker: perWorker }) };
  }
}
