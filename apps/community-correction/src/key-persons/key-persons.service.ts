import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainError, DomainErrorCode, monthRange, requireTown } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Principal, canSeeTown, isUuid, townFilter } from '@homeward/platform';
import { CorrectionSubject } from '../subjects/subject.entity';
import { actorName } from '../subjects/subject-access';
import { KeyPersonDetermination, KeyPersonEntry, KeyPersonFlagLevel, TransformationProgress } from './key-person.entity';

export interface KeyPersonEntryInput {
  subjectId: string;
  reasons: string[];
  flagLevel: KeyPersonFlagLevel;
  transformationProgress: TransformationProgress;
  released: boolean;
}

export interface RecordDeterminationInput {
  town: string;
  month: string;
  entries: KeyPersonEntryInput[];
  note?: string | null;
}

export interface CurrentKeyPerson {
  entry: KeyPersonEntry;
  town: string;
  month: string;
}

@Injectable()
export class KeyPersonsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
  ) {}

  /**
   * CC-10: a town's determination for a month (一月一认定). Recording again for the same month makes a
   * new version; earlier versions stay (history). Every listed subject must belong to the town.
   */
  async record(caller: Principal, input: RecordDeterminationInput): Promise<KeyPersonDetermination> {
    requireTown(input.town);
    monthRange(input.month);
    if (!canSeeTown(caller, input.town)) {
      await this.audit.record({ actor: caller, action: 'correction.key-persons.determine', entityType: 'KeyPersonDetermination', towns: [input.town], outcome: 'DENIED' });
      throw new DomainError(DomainErrorCode.NOT_FOUND, `town ${input.town} not found / 未找到该镇街`, { field: 'town' });
    }
    const ids = input.entries.map((e) => e.subjectId);
    if (new Set(ids).size !== ids.length) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'a subject is listed twice / 同一对象重复认定', { field: 'entries' });
    }
    return this.dataSource.transaction(async (manager) => {
      const subjects = ids.length ? await manager.getRepository(CorrectionSubject).findBy({ id: In(ids.filter(isUuid)) }) : [];
      const inTown = new Set(subjects.filter((s) => s.town === input.town).map((s) => s.id));
      const keyOf = new Map(subjects.map((s) => [s.id, s.personKey]));
      const missing = ids.filter((id) => !inTown.has(id));
      if (missing.length > 0) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `subjects not in town ${input.town} / 对象不属于该镇街: ${missing.join(', ')}`, {
          field: 'entries',
          details: { subjectIds: missing },
        });
      }
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`key-persons:${input.town}:${input.month}`]);
      const [{ v }] = await manager.query(
        `SELECT coalesce(max(version), 0)::int AS v FROM correction.key_person_determinations WHERE town = $1 AND month = $2`,
        [input.town, input.month],
      );
      const determination = manager.getRepository(KeyPersonDetermination).create({
        town: input.town,
        month: input.month,
        version: v + 1,
        note: input.note ?? '',
        recordedBy: actorName(caller),
      });
      await manager.save(determination);
      const entries = input.entries.map((e) => manager.getRepository(KeyPersonEntry).create({ ...e, determinationId: determination.id }));
      // The entries' foreign keys lock their subjects (KEY SHARE): saved in subject id order, the order in which
      // every multi-subject lock here is taken (a holiday-table change locks all open subjects by id), not in the
      // officer's order — two orders could deadlock (a lock-order review, session 14). The answer keeps the officer's order.
      if (entries.length) await manager.save([...entries].sort((a, b) => (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0)));
      determination.entries = entries;
      await this.events.publish(manager, 'correction.key-persons.determined', {
        determinationId: determination.id,
        town: determination.town,
        month: determination.month,
        version: determination.version,
        keyPersonCount: entries.filter((e) => !e.released).length,
        // AL-4 (issue 11): alerts keeps who is a key person (a released entry is no longer one).
        subjects: entries.map((e) => ({ subjectId: e.subjectId, personKey: keyOf.get(e.subjectId) as string, keyPerson: !e.released })),
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.key-persons.determine',
          entityType: 'KeyPersonDetermination',
          entityId: determination.id,
          towns: [determination.town],
          details: { month: determination.month, version: determination.version, subjectIds: ids },
        },
        manager,
      );
      return determination;
    });
  }

  /** A town's determination for a month: the latest version, or the one asked for; null outside the caller's towns. */
  async find(caller: Principal, town: string, month: string, version?: number): Promise<KeyPersonDetermination | null> {
    if (!canSeeTown(caller, town)) {
      await this.audit.record({ actor: caller, action: 'correction.key-persons.read', entityType: 'KeyPersonDetermination', towns: [town], outcome: 'DENIED' });
      return null;
    }
    const d = await this.dataSource.getRepository(KeyPersonDetermination).findOne({
      where: { town, month, ...(version ? { version } : {}) },
      order: { version: 'DESC' },
      relations: { entries: true },
    });
    await this.audit.record({ actor: caller, action: 'correction.key-persons.read', entityType: 'KeyPersonDetermination', entityId: d?.id, towns: [town], details: { month, version: d?.version ?? null } });
    return d;
  }

  /** All versions of a town-month, newest first (history). */
  async versions(town: string, month: string): Promise<KeyPersonDetermination[]> {
    return this.dataSource.getRepository(KeyPersonDetermination).find({ where: { town, month }, order: { version: 'DESC' } });
  }

  /**
   * Current key persons in the caller's towns: the entries not released of each town's latest
   * determination (latest month, latest version); keyset-paginated by entry id.
   */
  async current(caller: Principal, town: string | undefined, first: number, after?: string): Promise<{ items: CurrentKeyPerson[]; totalCount: number; hasNextPage: boolean }> {
    const towns = townFilter(caller, town);
    if (towns.length === 0) return { items: [], totalCount: 0, hasNextPage: false };
    const take = Math.min(Math.max(first, 1), 100);
    const cursor = after ? decodeEntryCursor(after) : null;
    const latest = `WITH latest AS (
        SELECT DISTINCT ON (town) id, town, month FROM correction.key_person_determinations
        WHERE town = ANY($1) ORDER BY town, month DESC, version DESC)`;
    const [{ n }] = await this.dataSource.query(
      `${latest} SELECT count(*)::int AS n FROM correction.key_person_entries e JOIN latest l ON l.id = e.determination_id WHERE NOT e.released`,
      [towns],
    );
    const rows: Array<{ id: string; town: string; month: string }> = await this.dataSource.query(
      `${latest} SELECT e.id, l.town, l.month FROM correction.key_person_entries e JOIN latest l ON l.id = e.determination_id
       WHERE NOT e.released AND ($2::uuid IS NULL OR e.id > $2::uuid) ORDER BY e.id LIMIT $3`,
      [towns, cursor, take + 1],
    );
    const page = rows.slice(0, take);
    const entries = page.length ? await this.dataSource.getRepository(KeyPersonEntry).findBy({ id: In(page.map((r) => r.id)) }) : [];
    const byId = new Map(entries.map((e) => [e.id, e]));
    await this.audit.record({ actor: caller, action: 'correction.key-persons.list', entityType: 'KeyPersonEntry', towns, details: { ids: page.map((r) => r.id) } });
    return {
      items: page.map((r) => ({ entry: byId.get(r.id)!, town: r.town, month: r.month })),
      totalCount: n,
      hasNextPage: rows.length > take,
    };
  }

  /**
   * CC-26: whether the subject is a key person of `town` now: listed and not released in the town's
   * latest determination (latest month, latest version), as `current` counts them.
   */
  async isCurrentKeyPerson(manager: EntityManager, subjectId: string, town: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `WITH latest AS (
          SELECT id FROM correction.key_person_determinations WHERE town = $1 ORDER BY month DESC, version DESC LIMIT 1)
       SELECT 1 FROM correction.key_person_entries e JOIN latest l ON l.id = e.determination_id
        WHERE e.subject_id = $2 AND NOT e.released`,
      [town, subjectId],
    );
    return rows.length > 0;
  }

  async subjects(ids: readonly string[]): Promise<Map<string, CorrectionSubject>> {
    const rows = ids.length ? await this.dataSource.getRepository(CorrectionSubject).findBy({ id: In([...ids]) }) : [];
    return new Map(rows.map((s) => [s.id, s]));
  }
}

export function encodeEntryCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

function decodeEntryCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isUuid(id)) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'bad cursor / 游标无效', { field: 'after' });
  return id;
}
