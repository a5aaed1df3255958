import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  DomainError,
  DomainErrorCode,
  type EventPayloads,
  MonitoringStatus,
  COUNTY_AREA,
  boxPolygon,
  compareLocalDate,
  parseLocalDate,
  addDays,
  monitoringExpiryWarningDate,
  parseMonitoringGround,
  startOfLocalDateInShanghai,
  toPgPolygon,
  validateMonitoringExtension,
  validateMonitoringPeriod,
} from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, EMPTY_PAGE, returnedRows, Principal, RecordAccess, isUuid, keysetPage, personScope, whereInScope, canSeePerson, townFilter, inTransaction } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { SCHEMA } from '../migrations';
import { ElectronicMonitoring, MonitoringExtension } from './monitoring.entity';
import { ProhibitionZone } from './prohibition-zone.entity';
import { SubjectAccess } from '../subjects/subject-access';
import { AddProhibitionZoneInput, ApproveMonitoringInput, EndMonitoringInput, ExtendMonitoringInput } from './dto/monitoring.inputs';
import { LocationFixDto } from './dto/location-fixes.dto';

export interface MonitoringPage {
  items: ElectronicMonitoring[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface IngestResult {
  /** Fixes stored: those whose device maps to an electronic location in force at the fix time. */
  accepted: number;
  /** Fixes of unknown devices or outside the approved period, not stored. */
  unmatched: number;
  /** Breach episodes that started in this batch (one `correction.location.breach` event each). */
  breaches: number;
}

/** CC-12: the county (Jiangyin), where a subject may move without approval, as a PostgreSQL polygon literal (the boundary in force: reference data). */
let countyParam: { area: typeof COUNTY_AREA; literal: string } | undefined;
function countyAreaParam(): string {
  if (countyParam?.area !== COUNTY_AREA) countyParam = { area: COUNTY_AREA, literal: toPgPolygon(COUNTY_AREA) };
  return countyParam.literal;
}

/**
 * The whole ingest of a batch of fixes as ONE statement (one round trip, atomic on its own): map
 * device → the electronic location in force at the fix time, test each fix against the allowed area
 * (CC-12: the county, or an approved leave's travel area while the leave runs, never a zone of a
 * prohibition order in force), insert the fixes, update each monitoring's last fix,
 * silence and breach state, and return the `correction.location.breach` payload of each breach that
 * started. `ingest` publishes them with ONE `EventPublisher.publishMany` in the same transaction (the
 * catalogue's guard applies to each; issue 8 item 4).
 *
 * The decision is taken from each monitoring as it is NOW, locked (`current`: `ORDER BY id FOR NO KEY
 * UPDATE`), not as the statement's snapshot saw it (a lock-order review, session 14). Two batches in flight
 * that share devices — the platform posts two to four at a time — used to lock the shared monitorings in the
 * order of the GROUP BY's output (a hash order), so they could deadlock (a 503 and a retry for the platform);
 * and a batch that waited for another's lock wrote what it had decided from the row as it was before the other
 * committed: a second breach event for one episode, a last fix moved back in time. Under READ COMMITTED a
 * locking read that waited returns the row as the other transaction committed it, and every batch now locks
 * in id order. The mapping (device → electronic location, which does not change under a batch) still comes
 * from `mapped`'s read. The statement inserts the fixes before it takes the locks (its answer counts the
 * inserted rows before the updated ones), so two batches that share devices still insert side by side; the
 * locks taken in a statement of their own before the ingest made them queue for each other's whole
 * transaction instead: half the throughput (bench/README.md "Location fixes at 700,000 subjects").
 */
export const INGEST_SQL = `
WITH input AS (
  SELECT f."deviceId" AS device_id, f."at" AS at, f."lat" AS lat, f."lng" AS lng, f."accuracyM" AS accuracy_m
  FROM jsonb_to_recordset($1::jsonb) AS f("deviceId" text, "at" timestamptz, "lat" float8, "lng" float8, "accuracyM" real)
),
mapped AS (
  SELECT i.*, m.id AS monitoring_id, m.subject_id, m.person_key, m.town,
    (
      EXISTS (SELECT 1 FROM ${SCHEMA}.prohibition_zones z
              WHERE z.subject_id = m.subject_id
                AND (i.at AT TIME ZONE 'Asia/Shanghai')::date >= z.start_date
                AND (z.end_date IS NULL OR (i.at AT TIME ZONE 'Asia/Shanghai')::date <= z.end_date)
                AND z.area @> point(i.lng, i.lat))
      OR NOT (
        $2::polygon @> point(i.lng, i.lat)
        OR EXISTS (SELECT 1 FROM ${SCHEMA}.leaves l
                   WHERE l.subject_id = m.subject_id AND l.status = 'APPROVED' AND l.travel_area IS NOT NULL
                     AND (i.at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN l.start_date AND l.end_date
                     AND l.travel_area @> point(i.lng, i.lat))
      )
    ) AS outside
  FROM input i
  JOIN ${SCHEMA}.monitorings m ON m.device_id = i.device_id AND m.status = 'ACTIVE' AND i.at >= m.starts_at AND i.at < m.ends_at
),
inserted AS (
  INSERT INTO ${SCHEMA}.location_fixes (monitoring_id, subject_id, device_id, at, lat, lng, accuracy_m, outside, received_at)
  SELECT monitoring_id, subject_id, device_id, at, lat, lng, accuracy_m, outside, $3 FROM mapped
  RETURNING 1
),
per_monitoring AS (
  SELECT monitoring_id, subject_id, person_key, town,
         max(at) AS last_at, min(at) FILTER (WHERE outside) AS first_outside_at,
         (array_agg(outside ORDER BY at DESC))[1] AS last_outside
  FROM mapped GROUP BY monitoring_id, subject_id, person_key, town
),
current AS MATERIALIZED (
  SELECT m.id, m.breach_since, m.last_fix_at FROM ${SCHEMA}.monitorings m
  WHERE m.id IN (SELECT monitoring_id FROM per_monitoring)
  ORDER BY m.id
  FOR NO KEY UPDATE
),
decided AS (
  SELECT p.*, c.breach_since, c.last_fix_at,
         (c.breach_since IS NULL AND p.first_outside_at IS NOT NULL) AS new_breach,
         (NOT p.last_outside AND (c.last_fix_at IS NULL OR p.last_at >= c.last_fix_at)) AS back_inside,
         (c.last_fix_at IS NULL OR p.last_at > c.last_fix_at) AS newer
  FROM per_monitoring p JOIN current c ON c.id = p.monitoring_id
),
updated AS (
  UPDATE ${SCHEMA}.monitorings m SET
    last_fix_at = CASE WHEN d.newer THEN d.last_at ELSE m.last_fix_at END,
    silent_since = CASE WHEN d.newer THEN NULL ELSE m.silent_since END,
    breach_since = CASE WHEN d.back_inside THEN NULL WHEN d.new_breach THEN d.first_outside_at ELSE m.breach_since END
  FROM decided d WHERE m.id = d.monitoring_id
  RETURNING m.id
),
breaches AS (
  SELECT jsonb_build_object(
           'monitoringId', d.monitoring_id, 'subjectId', d.subject_id, 'personKey', d.person_key, 'town', d.town,
           'at', to_char(d.first_outside_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'keyPerson', ${SCHEMA}.is_key_person(d.subject_id, (d.first_outside_at AT TIME ZONE 'Asia/Shanghai')::date)) AS payload
  FROM decided d WHERE d.new_breach
)
SELECT (SELECT count(*) FROM input)::int AS received,
       (SELECT count(*) FROM inserted)::int AS accepted,
       (SELECT count(*) FROM updated)::int AS monitorings,
       (SELECT coalesce(jsonb_agg(b.payload), '[]'::jsonb) FROM breaches b) AS breaches`;

@Injectable()
export class MonitoringService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    @Inject(CorrectionConfig) private readonly config: CorrectionConfig,
    private readonly subjects: SubjectAccess,
  ) {
    this.monitorings = new RecordAccess(audit, { entity: ElectronicMonitoring, what: 'electronic location' });
  }

  private readonly monitorings: RecordAccess<ElectronicMonitoring>;

  /** CC-12: approval by the county bureau head on one of the five grounds, at most 3 months. */
  async approve(caller: Principal, input: ApproveMonitoringInput): Promise<ElectronicMonitoring> {
    const ground = parseMonitoringGround(input.ground);
    validateMonitoringPeriod(input.startDate, input.endDate);
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.forChange(manager, caller, input.subjectId, 'correction.monitoring.approve', { requireActive: true });
      const repo = manager.getRepository(ElectronicMonitoring);
      if (await repo.existsBy({ subjectId: subject.id, status: MonitoringStatus.ACTIVE })) {
        throw new DomainError(DomainErrorCode.CONFLICT, 'this subject already has an electronic location in force; extend it instead / 该对象已在电子定位中', {
          field: 'subjectId',
        });
      }
      const sameDevice = await repo.findOne({ where: { deviceId: input.deviceId, status: MonitoringStatus.ACTIVE }, lock: { mode: 'pessimistic_write' } });
      if (sameDevice) {
        if (sameDevice.endsAt.getTime() > this.clock.now().getTime()) {
          throw new DomainError(DomainErrorCode.CONFLICT, `device ${input.deviceId} is worn by another subject / 该定位设备正在使用中`, { field: 'deviceId' });
        }
        // The other approval has run out: the device is free again.
        await this.endOne(manager, caller, sameDevice, addDays(sameDevice.endDate, 1), 'expired; device reassigned / 期满，设备改配');
      }
      const monitoring = repo.create({
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        ground,
        deviceId: input.deviceId,
        approvedBy: input.approvedBy,
        approvalDocumentNo: input.approvalDocumentNo ?? null,
        recordedBy: recorder(caller),
        startDate: input.startDate,
        endDate: input.endDate,
        startsAt: startOfLocalDateInShanghai(input.startDate),
        endsAt: startOfLocalDateInShanghai(addDays(input.endDate, 1)),
        status: MonitoringStatus.ACTIVE,
        endedOn: null,
        endReason: null,
        lastFixAt: null,
        silentSince: null,
        breachSince: null,
      });
      await manager.save(monitoring);
      await this.events.publish(manager, 'correction.monitoring.approved', {
        monitoringId: monitoring.id,
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        startDate: monitoring.startDate,
        endDate: monitoring.endDate,
        warnOn: this.warnOn(monitoring.endDate),
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.monitoring.approve',
          entityType: 'ElectronicMonitoring',
          entityId: monitoring.id,
          personKey: subject.personKey,
          towns: [subject.town],
          details: { subjectId: subject.id, ground, startDate: monitoring.startDate, endDate: monitoring.endDate, deviceId: monitoring.deviceId },
        },
        manager,
      );
      return monitoring;
    });
  }

  /** CC-12: an extension of at most 3 months, approved again by the bureau head. */
  async extend(caller: Principal, input: ExtendMonitoringInput): Promise<ElectronicMonitoring> {
    return this.dataSource.transaction(async (manager) => {
      const monitoring = await this.lockVisible(manager, caller, input.monitoringId, 'correction.monitoring.extend');
      if (monitoring.status !== MonitoringStatus.ACTIVE) throw illegal(monitoring, 'extend');
      validateMonitoringExtension(monitoring.endDate, input.newEndDate);
      const previousEndDate = monitoring.endDate;
      monitoring.endDate = input.newEndDate;
      monitoring.endsAt = startOfLocalDateInShanghai(addDays(input.newEndDate, 1));
      await manager.save(monitoring);
      await manager.getRepository(MonitoringExtension).insert({
        monitoringId: monitoring.id,
        previousEndDate,
        endDate: input.newEndDate,
        approvedBy: input.approvedBy,
        reason: input.reason,
        recordedBy: recorder(caller),
      });
      await this.events.publish(manager, 'correction.monitoring.extended', {
        monitoringId: monitoring.id,
        subjectId: monitoring.subjectId,
        personKey: monitoring.personKey,
        town: monitoring.town,
        previousEndDate,
        endDate: monitoring.endDate,
        warnOn: this.warnOn(monitoring.endDate),
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.monitoring.extend',
          entityType: 'ElectronicMonitoring',
          entityId: monitoring.id,
          personKey: monitoring.personKey,
          towns: [monitoring.town],
          details: { previousEndDate, endDate: monitoring.endDate },
        },
        manager,
      );
      return monitoring;
    });
  }

  /** CC-12: the electronic location is lifted (解除). */
  async end(caller: Principal, input: EndMonitoringInput): Promise<ElectronicMonitoring> {
    return this.dataSource.transaction(async (manager) => {
      const monitoring = await this.lockVisible(manager, caller, input.monitoringId, 'correction.monitoring.end');
      if (monitoring.status !== MonitoringStatus.ACTIVE) throw illegal(monitoring, 'end');
      return this.endOne(manager, caller, monitoring, input.endedOn ?? this.clock.today(), input.reason);
    });
  }

  async findOne(caller: Principal, id: string): Promise<ElectronicMonitoring | null> {
    const row = isUuid(id) ? await this.dataSource.getRepository(ElectronicMonitoring).findOneBy({ id }) : null;
    const visible = this.monitorings.canSee(caller, row) ? row : null;
    await this.audit.record({
      actor: caller,
      action: 'correction.monitoring.read',
      entityType: 'ElectronicMonitoring',
      entityId: id,
      outcome: visible ? 'SUCCESS' : 'DENIED',
      ...(visible ? { personKey: visible.personKey, towns: [visible.town] } : {}),
    });
    return visible;
  }

  /** Keyset-paginated, newest first, in the caller's towns; `inForce` = ACTIVE and not past its end. */
  async list(caller: Principal, filter: { town?: string; status?: MonitoringStatus; subjectId?: string; first: number; after?: string }): Promise<MonitoringPage> {
    const scope = personScope(caller, filter.town);
    const towns = scope.towns;
    const qb = this.dataSource.getRepository(ElectronicMonitoring).createQueryBuilder('m');
    if (!whereInScope(qb, 'm', scope)) return EMPTY_PAGE;
    if (filter.status) qb.andWhere('m.status = :status', { status: filter.status });
    if (filter.subjectId) qb.andWhere('m.subjectId = :subjectId', { subjectId: isUuid(filter.subjectId) ? filter.subjectId : '00000000-0000-0000-0000-000000000000' });
    const page = await keysetPage(qb, 'm', { first: filter.first, after: filter.after });
    await this.audit.record({ actor: caller, action: 'correction.monitoring.list', entityType: 'ElectronicMonitoring', towns, personKeys: page.items.map((m) => m.personKey), details: { ids: page.items.map((m) => m.id) } });
    return page;
  }

  async extensionsOf(monitoringId: string): Promise<MonitoringExtension[]> {
    return this.dataSource.getRepository(MonitoringExtension).find({ where: { monitoringId }, order: { createdAt: 'ASC' } });
  }

  /** The latest fixes of a monitoring the caller can see (newest first, at most 100). */
  async recentFixes(caller: Principal, monitoring: ElectronicMonitoring, limit: number): Promise<Array<{ at: Date; lat: number; lng: number; accuracyM: number | null; outside: boolean }>> {
    const rows: Array<{ at: Date; lat: number; lng: number; accuracy_m: number | null; outside: boolean }> = await this.dataSource.query(
      `SELECT at, lat, lng, accuracy_m, outside FROM ${SCHEMA}.location_fixes WHERE subject_id = $1 AND monitoring_id = $2 ORDER BY at DESC LIMIT $3`,
      [monitoring.subjectId, monitoring.id, Math.min(Math.max(limit, 1), 100)],
    );
    await this.audit.record({
      actor: caller,
      action: 'correction.location-fix.read',
      entityType: 'ElectronicMonitoring',
      entityId: monitoring.id,
      personKey: monitoring.personKey,
      towns: [monitoring.town],
    });
    return rows.map((r) => ({ at: r.at, lat: r.lat, lng: r.lng, accuracyM: r.accuracy_m, outside: r.outside }));
  }

  /** CC-12: a batch of 1–1000 fixes from the monitoring platform: ONE statement (see INGEST_SQL) and ONE outbox insert. */
  async ingest(fixes: readonly LocationFixDto[]): Promise<IngestResult> {
    const payload = JSON.stringify(fixes.map((f) => ({ deviceId: f.deviceId, at: f.at, lat: f.lat, lng: f.lng, accuracyM: f.accuracyM ?? null })));
    // Inside the idempotent request's transaction (issue 14) it commits with the stored answer; else its own.
    const run = async (manager: EntityManager): Promise<IngestResult> => {
      const [row]: Array<{ received: number; accepted: number; breaches: EventPayloads['correction.location.breach'][] }> = await manager.query(INGEST_SQL, [
        payload,
        countyAreaParam(),
        this.clock.now(),
      ]);
      await this.events.publishMany(manager, 'correction.location.breach', row.breaches);
      return { accepted: row.accepted, unmatched: row.received - row.accepted, breaches: row.breaches.length };
    };
    return inTransaction(this.dataSource, run);
  }

  /**
   * CC-12 device silent: every electronic location in force with no fix for MONITORING_SILENT_MINUTES
   * (counted from the last fix, or from approval) is marked silent and `correction.device.silent` is
   * published — once per silence: a new fix clears the mark. Returns how many became silent.
   */
  async checkSilentDevices(): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.config.MONITORING_SILENT_MINUTES * 60_000);
    return this.dataSource.transaction(async (manager) => {
      type SilentRow = { id: string; subject_id: string; person_key: string; town: string; last_fix_at: Date | null };
      const rows = returnedRows<SilentRow>(await manager.query(
        // locked in id order first, as an ingest locks them (INGEST_SQL's `current`): a device reporting again
        // while the check runs never deadlocks it; a row an ingest changed meanwhile is checked again as it is now
        `WITH due AS (
           SELECT id FROM ${SCHEMA}.monitorings
           WHERE status = 'ACTIVE' AND silent_since IS NULL AND starts_at <= $1 AND ends_at > $1
             AND COALESCE(last_fix_at, GREATEST(starts_at, created_at)) <= $2
           ORDER BY id FOR NO KEY UPDATE
         )
         UPDATE ${SCHEMA}.monitorings m SET silent_since = $1 FROM due
         WHERE m.id = due.id AND m.silent_since IS NULL AND COALESCE(m.last_fix_at, GREATEST(m.starts_at, m.created_at)) <= $2
         RETURNING m.id, m.subject_id, m.person_key, m.town, m.last_fix_at`,
        [now, cutoff],
      ));
      for (const m of rows) {
        await this.events.publish(manager, 'correction.device.silent', {
          monitoringId: m.id,
          subjectId: m.subject_id,
          personKey: m.person_key,
          town: m.town,
          lastFixAt: m.last_fix_at ? new Date(m.last_fix_at).toISOString() : null,
          silentSince: now.toISOString(),
        });
      }
      if (rows.length > 0) {
        await this.audit.record(
          { actor: { system: 'community-correction' }, action: 'correction.monitoring.silent', entityType: 'ElectronicMonitoring', details: { ids: rows.map((r) => r.id) } },
          manager,
        );
      }
      return rows.length;
    });
  }

  private warnOn(endDate: string): string {
    return monitoringExpiryWarningDate(endDate, this.config.MONITORING_EXPIRY_WARNING_WORKING_DAYS);
  }

  private lockVisible(manager: EntityManager, caller: Principal, id: string, action: string): Promise<ElectronicMonitoring> {
    return this.monitorings.forChange(manager, caller, id, action);
  }


  /**
   * CC-12: electronic location ends with the correction (discharge or termination): every monitoring
   * in force for the subject ends on `endedOn`, in the caller's transaction (events and audit as a lift).
   */
  async endAllOfSubject(manager: EntityManager, caller: Principal, subjectId: string, endedOn: string, reason: string): Promise<number> {
    const open = await manager.getRepository(ElectronicMonitoring).find({ where: { subjectId, status: MonitoringStatus.ACTIVE }, lock: { mode: 'pessimistic_write' } });
    for (const m of open) await this.endOne(manager, caller, m, endedOn, reason);
    return open.length;
  }

  /** CC-12: a zone of a prohibition order (禁止令); a fix inside it while in force is a breach, county or not. */
  async addProhibitionZone(caller: Principal, input: AddProhibitionZoneInput): Promise<ProhibitionZone> {
    const startDate = parseLocalDate(input.startDate, 'startDate');
    const endDate = input.endDate ? parseLocalDate(input.endDate, 'endDate') : null;
    if (endDate && compareLocalDate(endDate, startDate) < 0) {
      throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'CC-12: the end date is before the start date / 截止日期早于起始日期', { field: 'endDate' });
    }
    const area = toPgPolygon(boxPolygon(input.area));
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.forChange(manager, caller, input.subjectId, 'correction.prohibition-zone.add', { requireActive: true });
      const repo = manager.getRepository(ProhibitionZone);
      const zone = repo.create({ subjectId: subject.id, town: subject.town, place: input.place, area, startDate, endDate, recordedBy: recorder(caller), endedBy: null });
      await manager.save(zone);
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.prohibition-zone.add',
          entityType: 'ProhibitionZone',
          entityId: zone.id,
          personKey: subject.personKey,
          towns: [subject.town],
          details: { subjectId: subject.id, startDate, endDate },
        },
        manager,
      );
      return zone;
    });
  }

  /** CC-12: the order's zone no longer applies from the day after `endedOn`. */
  async endProhibitionZone(caller: Principal, zoneId: string, endedOn: string): Promise<ProhibitionZone> {
    const on = parseLocalDate(endedOn, 'endedOn');
    return this.dataSource.transaction(async (manager) => {
      const { row: zone, subject } = await this.subjects.recordForChange(manager, caller, ProhibitionZone, zoneId, 'correction.prohibition-zone.end');
      if (!zone) throw new DomainError(DomainErrorCode.NOT_FOUND, 'prohibition zone not found / 未找到该禁止区域', { field: 'zoneId' });
      if (compareLocalDate(on, zone.startDate) < 0) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'CC-12: the end date is before the start date / 截止日期早于起始日期', { field: 'endedOn' });
      }
      zone.endDate = zone.endDate && compareLocalDate(zone.endDate, on) < 0 ? zone.endDate : on;
      zone.endedBy = recorder(caller);
      await manager.save(zone);
      await this.audit.record(
        { actor: caller, action: 'correction.prohibition-zone.end', entityType: 'ProhibitionZone', entityId: zone.id, personKey: subject.personKey, towns: [subject.town], details: { endDate: zone.endDate } },
        manager,
      );
      return zone;
    });
  }

  /** The prohibition zones of a subject (the caller saw the subject's monitoring). */
  async prohibitionZonesOf(subjectId: string): Promise<ProhibitionZone[]> {
    return this.dataSource.getRepository(ProhibitionZone).find({ where: { subjectId }, order: { startDate: 'ASC', createdAt: 'ASC' } });
  }

  private async endOne(manager: EntityManager, caller: Principal, monitoring: ElectronicMonitoring, endedOn: string, reason: string): Promise<ElectronicMonitoring> {
    monitoring.status = MonitoringStatus.ENDED;
    monitoring.endedOn = endedOn;
    monitoring.endReason = reason;
    await manager.save(monitoring);
    await this.events.publish(manager, 'correction.monitoring.ended', {
      monitoringId: monitoring.id,
      subjectId: monitoring.subjectId,
      personKey: monitoring.personKey,
      town: monitoring.town,
      endedOn,
    });
    await this.audit.record(
      {
        actor: caller,
        action: 'correction.monitoring.end',
        entityType: 'ElectronicMonitoring',
        entityId: monitoring.id,
        personKey: monitoring.personKey,
        towns: [monitoring.town],
        details: { endedOn, reason },
      },
      manager,
    );
    return monitoring;
  }
}

function recorder(caller: Principal): string {
  return caller.username ?? caller.sub;
}

function illegal(m: ElectronicMonitoring, what: string): DomainError {
  return new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `cannot ${what} an electronic location that is ${m.status} / 电子定位已解除，不能执行此操作`, {
    details: { status: m.status },
  });
}
