import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  DomainError,
  DomainErrorCode,
  SuccessCaseFileKind,
  isTownCode,
  successCaseReminderDue,
  successCasesRequired,
  yearOf,
} from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, Principal, RecordAccess, canSeeTown, inTransaction, townFilter } from '@homeward/platform';
import { ArchiveStorage } from '@homeward/platform/archive-storage';
import { AftercareCasesService } from '../cases/aftercare-cases.service';
import { AftercareConfig } from '../config';
import { SuccessCase } from './success-case.entity';
import { SuccessCaseFile } from './success-case-file.entity';

export interface NameSuccessCase {
  /** The station; taken from the case when `caseId` is given. */
  town?: string | null;
  caseId?: string | null;
  year: number;
  title: string;
  summary: string;
}

export interface UploadSuccessCaseFile {
  successCaseId: string;
  kind: SuccessCaseFileKind;
  title: string;
  contentType: string;
  contentBase64: string;
}

/** AC-6: where a station stands for a year: subjects in aftercare that year, success cases named, required. */
export interface SuccessCaseStanding {
  town: string;
  year: number;
  subjects: number;
  successCases: number;
  required: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * AC-6 success cases (成功戒毒典型): dossiers named by a station (TOWN_OFFICER) or the city office for a
 * year, with documents and pictures stored sealed through the archive storage correction uses
 * (`@homeward/platform/archive-storage`, keys `aftercare/success-cases/<id>/<fileId>`); and the Q4
 * check that tells alerts which stations are short (`aftercare.success-cases.short`, once per station
 * and year) and, later, that one has caught up (`aftercare.success-cases.met`).
 */
@Injectable()
export class SuccessCasesService {
  private readonly logger = new Logger(SuccessCasesService.name);
  private readonly dossiers: RecordAccess<SuccessCase>;
  private readonly files: RecordAccess<SuccessCaseFile>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: ArchiveStorage,
    private readonly audit: AuditWriter,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    private readonly cases: AftercareCasesService,
    @Inject(AftercareConfig) private readonly config: AftercareConfig,
  ) {
    const notFound = (what: string) => (id: string) => new DomainError(DomainErrorCode.NOT_FOUND, `${what} ${id} not found / 未找到该成功戒毒典型`);
    this.dossiers = new RecordAccess(audit, { entity: SuccessCase, scope: 'town', notFound: notFound('success case') });
    this.files = new RecordAccess(audit, { entity: SuccessCaseFile, scope: 'town', notFound: notFound('success case file') });
  }

  /** AC-6: names a success case for a year (not a future year) of a station the caller sees; audited. */
  async name(caller: Principal, cmd: NameSuccessCase): Promise<SuccessCase> {
    const today = this.clock.today();
    if (!Number.isInteger(cmd.year) || cmd.year < 2000 || cmd.year > yearOf(today)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `year must be 2000–${yearOf(today)} / 年度无效（不能晚于本年度）`, { field: 'year' });
    }
    const title = cmd.title.trim();
    const summary = cmd.summary.trim();
    if (!title) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'title is empty / 标题不能为空', { field: 'title' });
    if (!summary) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'summary is empty / 事迹简介不能为空', { field: 'summary' });
    return inTransaction(this.dataSource, async (manager) => {
      let town = cmd.town ?? null;
      let personKey: string | null = null;
      if (cmd.caseId) {
        const kase = await this.cases.access.forRead(manager, caller, cmd.caseId, 'aftercare.success-case.name');
        if (town && town !== kase.town) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'the case belongs to another station / 该对象不属于所选服务站', { field: 'town' });
        town = kase.town;
        personKey = kase.personKey;
      }
      if (!town || !isTownCode(town)) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'town must be a Jiangyin town code / 请选择服务站（镇街）', { field: 'town' });
      if (!canSeeTown(caller, town)) {
        await this.dossiers.recordDenial(caller, town, 'aftercare.success-case.name');
        throw new DomainError(DomainErrorCode.NOT_FOUND, `town ${town} not found / 未找到该服务站`, { field: 'town' });
      }
      const row = await manager.save(
        manager.getRepository(SuccessCase).create({ town, year: cmd.year, caseId: cmd.caseId ?? null, personKey, title, summary, namedOn: today, namedBy: caller.username ?? caller.sub }),
      );
      await this.audit.record(
        { actor: caller, action: 'aftercare.success-case.name', entityType: 'SuccessCase', entityId: row.id, personKey: personKey ?? undefined, towns: [town], details: { year: row.year, caseId: row.caseId } },
        manager,
      );
      await this.noteMet(manager, town, row.year);
      return row;
    });
  }

  /** AC-6: corrects a dossier's title or summary (its station and year stay); audited. */
  async update(caller: Principal, id: string, patch: { title?: string | null; summary?: string | null }): Promise<SuccessCase> {
    const title = patch.title?.trim();
    const summary = patch.summary?.trim();
    if (patch.title !== undefined && patch.title !== null && !title) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'title is empty / 标题不能为空', { field: 'title' });
    if (patch.summary !== undefined && patch.summary !== null && !summary) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'summary is empty / 事迹简介不能为空', { field: 'summary' });
    return inTransaction(this.dataSource, async (manager) => {
      const row = await this.dossiers.forChange(manager, caller, id, 'aftercare.success-case.update');
      if (title) row.title = title;
      if (summary) row.summary = summary;
      await manager.save(row);
      await this.audit.record(
        { actor: caller, action: 'aftercare.success-case.update', entityType: 'SuccessCase', entityId: id, personKey: row.personKey ?? undefined, towns: [row.town], details: { title: Boolean(title), summary: Boolean(summary) } },
        manager,
      );
      return row;
    });
  }

  /** AC-6: removes a wrongly named success case and its files; audited. */
  async remove(caller: Principal, id: string): Promise<SuccessCase> {
    const { row, keys } = await inTransaction(this.dataSource, async (manager) => {
      const found = await this.dossiers.forChange(manager, caller, id, 'aftercare.success-case.delete');
      const files = await manager.getRepository(SuccessCaseFile).find({ where: { successCaseId: id } });
      await manager.delete(SuccessCaseFile, { successCaseId: id });
      await manager.delete(SuccessCase, { id });
      await this.audit.record(
        { actor: caller, action: 'aftercare.success-case.delete', entityType: 'SuccessCase', entityId: id, personKey: found.personKey ?? undefined, towns: [found.town], details: { year: found.year, files: files.map((f) => f.id) } },
        manager,
      );
      return { row: found, keys: files.map((f) => f.storageKey) };
    });
    for (const key of keys) await this.storage.delete(key).catch((e: Error) => this.logger.warn(`cannot delete success-case file ${key}: ${e.message}`));
    return row;
  }

  /** AC-6: the success cases of the caller's towns (optionally one town, one year), newest year first; audited. */
  async list(caller: Principal, filter: { town?: string | null; year?: number | null }): Promise<SuccessCase[]> {
    const towns = townFilter(caller, filter.town);
    if (towns.length === 0) return [];
    const rows = await this.dataSource.getRepository(SuccessCase).find({
      where: { town: In(towns), ...(filter.year ? { year: filter.year } : {}) },
      order: { year: 'DESC', town: 'ASC', namedOn: 'ASC', id: 'ASC' },
    });
    await this.audit.record({
      actor: caller,
      action: 'aftercare.success-case.list',
      entityType: 'SuccessCase',
      towns,
      personKeys: rows.map((r) => r.personKey).filter((k): k is string => k !== null),
      details: { year: filter.year ?? null, ids: rows.map((r) => r.id) },
    });
    return rows;
  }

  /** AC-6: one dossier (another town's → NOT_FOUND, audited); audited read. */
  async findOne(caller: Principal, id: string): Promise<SuccessCase> {
    const row = await this.dossiers.forRead(this.dataSource.manager, caller, id, 'aftercare.success-case.read');
    await this.audit.record({ actor: caller, action: 'aftercare.success-case.read', entityType: 'SuccessCase', entityId: id, personKey: row.personKey ?? undefined, towns: [row.town] });
    return row;
  }

  /** The files of many dossiers in one query (the `files` field); the dossiers were read through the caller's towns. */
  async filesOf(ids: readonly string[]): Promise<Map<string, SuccessCaseFile[]>> {
    const out = new Map<string, SuccessCaseFile[]>();
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(SuccessCaseFile).find({ where: { successCaseId: In([...ids]) }, order: { uploadedAt: 'ASC', createdAt: 'ASC', id: 'ASC' } });
    for (const r of rows) out.set(r.successCaseId, [...(out.get(r.successCaseId) ?? []), r]);
    return out;
  }

  /** AC-6: files a document or picture (a PICTURE must be an image/*); over ARCHIVE_MAX_BYTES or not base64 → VALIDATION_FAILED. */
  async upload(caller: Principal, input: UploadSuccessCaseFile): Promise<SuccessCaseFile> {
    if (!Object.values(SuccessCaseFileKind).includes(input.kind)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `kind must be one of ${Object.values(SuccessCaseFileKind).join(', ')} / 材料类型无效`, { field: 'kind' });
    }
    if (input.kind === SuccessCaseFileKind.PICTURE && !input.contentType.startsWith('image/')) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'a PICTURE must be an image/* file / 图片须为图像文件', { field: 'contentType' });
    }
    const title = input.title.trim();
    if (!title) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'title is empty / 材料名称不能为空', { field: 'title' });
    const b64 = input.contentBase64.replace(/\s+/g, '');
    if (b64.length === 0 || b64.length % 4 !== 0 || !BASE64.test(b64)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'content is not base64 / 文件内容不是有效的 base64', { field: 'contentBase64' });
    }
    const size = (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
    if (size > this.config.ARCHIVE_MAX_BYTES) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `file larger than ${this.config.ARCHIVE_MAX_BYTES} bytes / 文件超过大小上限`, {
        field: 'contentBase64',
        details: { sizeBytes: size, maxBytes: this.config.ARCHIVE_MAX_BYTES },
      });
    }
    const bytes = Buffer.from(b64, 'base64');
    const id = randomUUID();
    let storedKey: string | null = null;
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const dossier = await this.dossiers.forChange(manager, caller, input.successCaseId, 'aftercare.success-case.upload');
        const key = `aftercare/success-cases/${dossier.id}/${id}`;
        await this.storage.put(key, bytes, input.contentType);
        storedKey = key;
        const file = await manager.save(
          manager.getRepository(SuccessCaseFile).create({
            id,
            successCaseId: dossier.id,
            town: dossier.town,
            kind: input.kind,
            title,
            storageKey: key,
            contentType: input.contentType,
            sizeBytes: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('hex'),
            uploadedBy: caller.username ?? caller.sub,
            uploadedAt: this.clock.now(),
          }),
        );
        await this.audit.record(
          {
            actor: caller,
            action: 'aftercare.success-case.upload',
            entityType: 'SuccessCaseFile',
            entityId: id,
            personKey: dossier.personKey ?? undefined,
            towns: [dossier.town],
            details: { successCaseId: dossier.id, kind: file.kind, sizeBytes: file.sizeBytes, sha256: file.sha256 },
          },
          manager,
        );
        return file;
      });
    } catch (e) {
      // The row did not commit: no orphan file.
      if (storedKey) await this.storage.delete(storedKey).catch(() => undefined);
      throw e;
    }
  }

  /** AC-6: a file with its bytes (opened from the sealed storage), audited. */
  async content(caller: Principal, fileId: string): Promise<{ file: SuccessCaseFile; bytes: Buffer }> {
    const file = await this.files.forRead(this.dataSource.manager, caller, fileId, 'aftercare.success-case.file-read');
    const bytes = await this.storage.get(file.storageKey);
    await this.audit.record({ actor: caller, action: 'aftercare.success-case.file-read', entityType: 'SuccessCaseFile', entityId: fileId, towns: [file.town], details: { successCaseId: file.successCaseId } });
    return { file, bytes };
  }

  /** AC-6: removes a file (row and bytes), audited. */
  async removeFile(caller: Principal, fileId: string): Promise<SuccessCaseFile> {
    const file = await inTransaction(this.dataSource, async (manager) => {
      const f = await this.files.forChange(manager, caller, fileId, 'aftercare.success-case.file-delete');
      await manager.delete(SuccessCaseFile, { id: fileId });
      await this.audit.record(
        { actor: caller, action: 'aftercare.success-case.file-delete', entityType: 'SuccessCaseFile', entityId: fileId, towns: [f.town], details: { successCaseId: f.successCaseId, sha256: f.sha256 } },
        manager,
      );
      return f;
    });
    await this.storage.delete(file.storageKey);
    return file;
  }

  /** AC-6 / K-AC4: where the caller's stations stand for `year`; audited. */
  async standingFor(caller: Principal, year: number, town?: string | null): Promise<SuccessCaseStanding[]> {
    const towns = townFilter(caller, town);
    if (towns.length === 0) return [];
    const rows = await this.standing(this.dataSource.manager, towns, year);
    await this.audit.record({ actor: caller, action: 'aftercare.success-case.standing', entityType: 'SuccessCase', towns, details: { year } });
    return rows;
  }

  /**
   * AC-6 / K-AC4: per town, the subjects in aftercare during `year` (enrolled by its end, not closed
   * before it began) up to `asOf` (default the year's end), the success cases named for the year,
   * and the number required (1, 2 at ≥ 10 subjects, 0 without subjects).
   */
  async standing(manager: EntityManager, towns: readonly string[], year: number, asOf = `${year}-12-31`): Promise<SuccessCaseStanding[]> {
    const rows: Array<{ town: string; subjects: number; success_cases: number }> = await manager.query(
      `SELECT t.town,
              (SELECT count(*) FROM aftercare.cases c
                WHERE c.town = t.town AND c.enrolled_on IS NOT NULL AND c.enrolled_on <= $3 AND (c.closed_on IS NULL OR c.closed_on >= $2))::int AS subjects,
              (SELECT count(*) FROM aftercare.success_cases s WHERE s.town = t.town AND s.year = $4 AND s.named_on <= $3)::int AS success_cases
         FROM unnest($1::text[]) AS t(town) ORDER BY t.town`,
      [[...towns], `${year}-01-01`, asOf < `${year}-12-31` ? asOf : `${year}-12-31`, year],
    );
    return rows.map((r) => ({ town: r.town, year, subjects: r.subjects, successCases: r.success_cases, required: successCasesRequired(r.subjects) }));
  }

  /**
   * AC-6 the Q4 check (the scheduled job; idempotent): from 10-01 of the current year, every station
   * with subjects that has named fewer success cases than it owes gets one `aftercare.success-cases.short`
   * for the year (recorded in success_case_reminders, so a second run sends nothing). Returns the
   * stations reminded this run.
   */
  async checkQ4(): Promise<SuccessCaseStanding[]> {
    const today = this.clock.today();
    const year = yearOf(today);
    if (!successCaseReminderDue(year, today)) return [];
    return inTransaction(this.dataSource, async (manager) => {
      const towns: Array<{ town: string }> = await manager.query(`SELECT DISTINCT town FROM aftercare.cases WHERE town IS NOT NULL ORDER BY town`);
      const short = (await this.standing(manager, towns.map((t) => t.town), year, today)).filter((s) => s.successCases < s.required);
      const sent: SuccessCaseStanding[] = [];
      for (const s of short) {
        const inserted: unknown[] = await manager.query(
          `INSERT INTO aftercare.success_case_reminders (town, year, subjects, success_cases, required, short_on) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (town, year) DO NOTHING RETURNING town`,
          [s.town, year, s.subjects, s.successCases, s.required, today],
        );
        if (inserted.length === 0) continue;
        await this.events.publish(manager, 'aftercare.success-cases.short', { town: s.town, year, subjects: s.subjects, successCases: s.successCases, required: s.required });
        sent.push(s);
      }
      return sent;
    });
  }

  /** AC-6: a station reminded for `year` that now has enough success cases is reported met (once). */
  private async noteMet(manager: EntityManager, town: string, year: number): Promise<void> {
    const reminded: Array<{ subjects: number }> = await manager.query(
      `SELECT subjects FROM aftercare.success_case_reminders WHERE town = $1 AND year = $2 AND met_on IS NULL FOR UPDATE`,
      [town, year],
    );
    if (reminded.length === 0) return;
    const [s] = await this.standing(manager, [town], year);
    // The requirement stands as reminded, unless the station has grown since.
    const required = Math.max(s.required, successCasesRequired(reminded[0].subjects));
    if (s.successCases < required) return;
    await manager.query(`UPDATE aftercare.success_case_reminders SET met_on = $3 WHERE town = $1 AND year = $2`, [town, year, this.clock.today()]);
    await this.events.publish(manager, 'aftercare.success-cases.met', { town, year, successCases: s.successCases, required });
  }
}
