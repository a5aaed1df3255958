import { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { CorrectionApp, assignSocialWorker, bootCorrectionApp } from '../../test/correction-harness';
import { AssistanceService } from '../assistance/assistance.service';
import { ArchiveStorage } from '../archives/archive-storage';

jest.setTimeout(60_000);

const YEAR = 3600 * 24 * 365;

describe('CC-17 restorative justice, CC-18 assistance & disputes, CC-19 archives (real PostgreSQL + Redis + disk)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  let archiveDir: string;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-08-03T02:00:00Z'));
  const mint = (p: Parameters<TestKeys['mint']>[0]) => keys.mint(p, { expiresInSeconds: YEAR, now: clock.now() });
  const court = mint(partnerPrincipal(AgencyKind.COURT));
  const bureau = mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'], username: 'bureau' }));
  const officer104 = mint(staffPrincipal({ towns: ['104'] }));
  const officer107 = mint(staffPrincipal({ towns: ['107'] }));
  const worker104Principal = staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'], username: 'worker' });
  const worker104 = mint(worker104Principal);

  const http = () => request(app.getHttpServer());
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const ok = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await gql(token, query, variables).expect(200);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  };
  const errorCode = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await gql(token, query, variables).expect(200);
    return res.body.errors?.[0]?.extensions?.code as string | undefined;
  };

  async function subject(idNumber: string, town: string, status = 'ACTIVE'): Promise<string> {
    const res = await http()
      .post('/api/v1/correction/enrolments')
      .set('authorization', `Bearer ${court}`)
      .set('idempotency-key', `K-${Math.random()}`)
      .send({
        person: { idNumber, name: '测试对象', residenceTown: town },
        sentenceType: 'PROBATION',
        judgmentDocumentNo: `(2026)苏0281刑初${idNumber.slice(-4)}号`,
        judgmentEffectiveDate: '2026-08-01',
        correctionStartDate: '2026-08-01',
        correctionEndDate: '2027-07-31',
        offence: '盗窃罪',
        decidingAuthority: '江阴市人民法院',
      })
      .expect(201);
    const ended = status === 'DISCHARGED';
    await ds.query(
      `UPDATE correction.subjects SET status = $2, reported_on = '2026-08-01', activated_on = '2026-08-01',
              ended_on = CASE WHEN $3 THEN '2026-08-02'::date END, end_reason = CASE WHEN $3 THEN 'EXPIRED' END WHERE id = $1`,
      [res.body.id, status, ended],
    );
    return res.body.id;
  }

  beforeAll(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'hw-cc19-'));
    svc = await bootCorrectionApp({
      label: 'ccrest',
      clock,
      keys,
      env: {
        MONITORING_SILENT_CHECK_SECONDS: '3600',
        ARCHIVE_DIR: archiveDir,
        ARCHIVE_MAX_BYTES: '1024',
      },
    });
    ({ app, dataSource: ds } = svc);
  });

  afterAll(async () => {
    await svc?.close();
    if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
  });

  describe('CC-17 restorative justice', () => {
    const FIELDS = `id status statusLabel serviceHours quality qualityLabel excellent excellentOn serviceLog { hours note supervisedBy }`;
    const OPEN = `mutation($input: OpenRestorativeCaseInput!) { openRestorativeCase(input: $input) { ${FIELDS} } }`;
    const ASSESS = `mutation($input: AssessRestorativeCaseInput!) { assessRestorativeCase(input: $input) { ${FIELDS} } }`;
    const VICTIM = `mutation($input: RestorativeVictimInput!) { recordRestorativeVictim(input: $input) { ${FIELDS} } }`;
    const PLAN = `mutation($input: RestorativePlanInput!) { recordRestorativePlan(input: $input) { ${FIELDS} } }`;
    const START = `mutation($id: ID!) { startRestorativeService(caseId: $id) { ${FIELDS} } }`;
    const LOG = `mutation($input: RestorativeServiceInput!) { logRestorativeService(input: $input) { ${FIELDS} } }`;
    const EVALUATE = `mutation($input: EvaluateRestorativeCaseInput!) { evaluateRestorativeCase(input: $input) { ${FIELDS} } }`;
    const EXCELLENT = `mutation($id: ID!) { markRestorativeCaseExcellent(caseId: $id) { ${FIELDS} } }`;
    const TARGET = `query($year: Int!) { restorativeExcellenceTarget(year: $year) { town { code } excellentCases target met } }`;

    async function caseToService(subjectId: string): Promise<string> {
      const { openRestorativeCase: c } = await ok(officer104, OPEN, { input: { subjectId, harmDescription: '盗窃致被害人财产损失' } });
      await ok(officer104, ASSESS, { input: { caseId: c.id, suitable: true, note: '认罪悔罪，适宜修复' } });
      await ok(officer104, VICTIM, { input: { caseId: c.id, agrees: true, note: '被害人同意参与' } });
      await ok(officer104, PLAN, { input: { caseId: c.id, plan: '赔偿损失并参加社区服务20小时' } });
      await ok(officer104, START, { id: c.id });
      return c.id;
    }

    it('CC-17: assessment → victim → plan → supervised service → evaluation → excellent; the town meets the second-half target', async () => {
      const subjectId = await subject('11010519491231002X', '104');
      const before = await ok(bureau, TARGET, { year: 2026 });
      expect(before.restorativeExcellenceTarget.find((t: { town: { code: string } }) => t.town.code === '104')).toEqual({ town: { code: '104' }, excellentCases: 0, target: 1, met: false });
      const id = await caseToService(subjectId);
      expect(await errorCode(officer104, LOG, { input: { caseId: id, serviceDate: '2026-08-02', hours: 4, note: '开始前' } })).toBe('DATE_RANGE_INVALID');
      await ok(officer104, LOG, { input: { caseId: id, serviceDate: '2026-08-03', hours: 4, note: '社区清扫' } });
      const logged = await ok(officer104, LOG, { input: { caseId: id, serviceDate: '2026-08-03', hours: 2.5, note: '敬老院服务' } });
      expect(logged.logRestorativeService).toMatchObject({ status: 'IN_SERVICE', statusLabel: '社区服务监督中', serviceHours: 6.5 });
      expect(logged.logRestorativeService.serviceLog).toEqual([
        { hours: 4, note: '社区清扫', supervisedBy: 'officer' },
        { hours: 2.5, note: '敬老院服务', supervisedBy: 'officer' },
      ]);
      const evaluated = await ok(officer104, EVALUATE, { input: { caseId: id, quality: 'EXCELLENT', note: '修复效果好' } });
      expect(evaluated.evaluateRestorativeCase).toMatchObject({ status: 'EVALUATED', quality: 'EXCELLENT', qualityLabel: '优秀', excellent: false });
      const flagged = await ok(officer104, EXCELLENT, { id });
      expect(flagged.markRestorativeCaseExcellent).toMatchObject({ excellent: true, excellentOn: '2026-08-03' });
      expect(await errorCode(officer104, EXCELLENT, { id })).toBe('ILLEGAL_TRANSITION');
      const after = await ok(officer104, TARGET, { year: 2026 });
      expect(after.restorativeExcellenceTarget).toEqual([{ town: { code: '104' }, excellentCases: 1, target: 1, met: true }]);
      expect((await ok(officer107, TARGET, { year: 2026 })).restorativeExcellenceTarget).toEqual([{ town: { code: '107' }, excellentCases: 0, target: 1, met: false }]);
      expect((await ok(officer104, TARGET, { year: 2027 })).restorativeExcellenceTarget[0].met).toBe(false);
      const [{ n }] = await svc.db.query(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'correction.restorative.mark-excellent'`);
      expect(n).toBe(1);
    });

    it('CC-17: steps out of order are ILLEGAL_TRANSITION; a GOOD case cannot be flagged excellent; unsuitable closes', async () => {
      const subjectId = await subject('11010519491231003X'.slice(0, 17) + '8', '104');
      const { openRestorativeCase: c } = await ok(officer104, OPEN, { input: { subjectId, harmDescription: '损害' } });
      expect(await errorCode(officer104, PLAN, { input: { caseId: c.id, plan: '方案' } })).toBe('ILLEGAL_TRANSITION');
      expect(await errorCode(officer104, EVALUATE, { input: { caseId: c.id, quality: 'GOOD', note: 'x' } })).toBe('ILLEGAL_TRANSITION');
      const id = await caseToService(subjectId);
      await ok(officer104, EVALUATE, { input: { caseId: id, quality: 'GOOD', note: '良好' } });
      expect(await errorCode(officer104, EXCELLENT, { id })).toBe('ILLEGAL_TRANSITION');
      const closed = await ok(officer104, ASSESS, { input: { caseId: c.id, suitable: false, note: '不适宜' } });
      expect(closed.assessRestorativeCase.status).toBe('CLOSED_UNSUITABLE');
      expect(await errorCode(officer104, VICTIM, { input: { caseId: c.id, agrees: true, note: 'x' } })).toBe('ILLEGAL_TRANSITION');
    });

    it("CC-17: another town's officer neither sees nor changes the case; a social worker cannot write", async () => {
      const subjectId = await subject('110105194912310046', '104');
      const { openRestorativeCase: c } = await ok(officer104, OPEN, { input: { subjectId, harmDescription: '损害' } });
      expect(await errorCode(officer107, ASSESS, { input: { caseId: c.id, suitable: true, note: 'x' } })).toBe('NOT_FOUND');
      expect(await errorCode(officer107, OPEN, { input: { subjectId, harmDescription: 'x' } })).toBe('NOT_FOUND');
      expect(await errorCode(worker104, ASSESS, { input: { caseId: c.id, suitable: true, note: 'x' } })).toBe('FORBIDDEN');
      const list = await ok(officer107, `query { restorativeCases(first: 50) { totalCount edges { node { id } } } }`);
      expect(list.restorativeCases.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(c.id);
      await assignSocialWorker(svc, officer104, subjectId, worker104Principal.sub); // issue 6 item 7
      const mine = await ok(worker104, `query($s: ID) { restorativeCases(subjectId: $s) { totalCount edges { node { id harmDescription } } } }`, { s: subjectId });
      expect(mine.restorativeCases).toEqual({ totalCount: 1, edges: [{ node: { id: c.id, harmDescription: '损害' } }] });
    });
  });

  describe('CC-18 assistance and disputes', () => {
    const NEED = `mutation($input: RecordAssistanceNeedInput!) { recordAssistanceNeed(input: $input) { id kind kindLabel status statusLabel } }`;
    const GIVE = `mutation($input: GiveAssistanceInput!) { giveAssistance(input: $input) { status statusLabel givenOn givenBy givenNote } }`;

    it('CC-18: need recorded → assistance given (date, by, note); once only; K-CC3 counts in need / assisted', async () => {
      const a = await subject('110105194912310062', '104');
      const b = await subject('110105194912310089', '104');
      const counts = app.get(AssistanceService);
      const base = await counts.assistanceCounts(['104'], '2026-08-01', '2026-08-31');
      const { recordAssistanceNeed: na } = await ok(officer104, NEED, { input: { subjectId: a, kind: 'MINIMUM_LIVING_ALLOWANCE', description: '家庭困难', recordedOn: '2026-08-01' } });
      expect(na).toMatchObject({ kind: 'MINIMUM_LIVING_ALLOWANCE', kindLabel: '最低生活保障', status: 'OPEN', statusLabel: '待帮扶' });
      await ok(officer104, NEED, { input: { subjectId: b, kind: 'JOB_REFERRAL', description: '失业' } });
      expect(await counts.assistanceCounts(['104'], '2026-08-01', '2026-08-31')).toEqual({ inNeed: base.inNeed + 2, assisted: base.assisted });
      const given = await ok(officer104, GIVE, { input: { needId: na.id, givenOn: '2026-08-02', givenBy: '澄江街道民政办', note: '已纳入低保' } });
      expect(given.giveAssistance).toEqual({ status: 'MET', statusLabel: '已帮扶', givenOn: '2026-08-02', givenBy: '澄江街道民政办', givenNote: '已纳入低保' });
      expect(await counts.assistanceCounts(['104'], '2026-08-01', '2026-08-31')).toEqual({ inNeed: base.inNeed + 2, assisted: base.assisted + 1 });
      // A need met before the period no longer makes the subject "in need" in it; other towns are not counted.
      expect(await counts.assistanceCounts(['104'], '2026-09-01', '2026-09-30')).toEqual({ inNeed: base.inNeed + 1, assisted: 0 });
      expect(await counts.assistanceCounts(['107'], '2026-08-01', '2026-08-31')).toEqual({ inNeed: 0, assisted: 0 });
      expect(await errorCode(officer104, GIVE, { input: { needId: na.id, note: 'again' } })).toBe('ILLEGAL_TRANSITION');
      expect(await errorCode(officer107, GIVE, { input: { needId: na.id, note: 'x' } })).toBe('NOT_FOUND');
      expect(await errorCode(officer104, NEED, { input: { subjectId: a, kind: 'TEMPORARY_RELIEF', description: 'x', recordedOn: '2026-08-04' } })).toBe('DATE_INVALID');
      await assignSocialWorker(svc, officer104, b, worker104Principal.sub); // issue 6 item 7
      const open = await ok(worker104, `query { assistanceNeeds(status: OPEN, kind: JOB_REFERRAL) { totalCount edges { node { subjectId kindLabel } } } }`);
      expect(open.assistanceNeeds.edges).toEqual([{ node: { subjectId: b, kindLabel: '就业推荐' } }]);
      expect((await ok(officer107, `query { assistanceNeeds { totalCount } }`)).assistanceNeeds.totalCount).toBe(0);
    });

    it('CC-18: a dispute found and resolved, once', async () => {
      const s = await subject('110105194912310097', '104');
      const found = await ok(officer104, `mutation($input: RecordDisputeInput!) { recordDispute(input: $input) { id status statusLabel } }`, {
        input: { subjectId: s, description: '邻里纠纷', foundOn: '2026-08-02' },
      });
      expect(found.recordDispute).toMatchObject({ status: 'OPEN', statusLabel: '未化解' });
      const RESOLVE = `mutation($input: ResolveDisputeInput!) { resolveDispute(input: $input) { status statusLabel resolvedOn resolution } }`;
      const resolved = await ok(officer104, RESOLVE, { input: { disputeId: found.recordDispute.id, resolution: '调解成功' } });
      expect(resolved.resolveDispute).toEqual({ status: 'RESOLVED', statusLabel: '已化解', resolvedOn: '2026-08-03', resolution: '调解成功' });
      expect(await errorCode(officer104, RESOLVE, { input: { disputeId: found.recordDispute.id, resolution: 'x' } })).toBe('ILLEGAL_TRANSITION');
      const list = await ok(bureau, `query($s: ID) { disputes(subjectId: $s) { totalCount edges { node { status } } } }`, { s });
      expect(list.disputes).toEqual({ totalCount: 1, edges: [{ node: { status: 'RESOLVED' } }] });
    });
  });

  describe('CC-19 archives', () => {
    const UPLOAD = `mutation($input: UploadArchiveDocumentInput!) { uploadArchiveDocument(input: $input) { id archiveKind archiveKindLabel documentType documentTypeLabel sizeBytes sha256 } }`;
    const COMPLETENESS = `query($s: ID!) { archiveCompleteness(subjectId: $s) { stage stageLabel required present missing percent missingLabelled { label } } }`;
    const upload = (token: string, subjectId: string, documentType: string, content = 'PDF bytes 判决书', archiveKind = 'ENFORCEMENT') =>
      gql(token, UPLOAD, { input: { subjectId, archiveKind, documentType, title: documentType, contentType: 'application/pdf', contentBase64: Buffer.from(content).toString('base64') } }).expect(200);

    it('CC-19: upload (base64) stores the bytes on disk, reads them back, completeness per stage moves', async () => {
      const s = await subject('110105194912310118', '104');
      const start = await ok(officer104, COMPLETENESS, { s });
      expect(start.archiveCompleteness.map((c: { stage: string; percent: number }) => [c.stage, c.percent])).toEqual([
        ['INTAKE', 0],
        ['SUPERVISION', 0],
      ]);
      expect(start.archiveCompleteness[0].missingLabelled.map((m: { label: string }) => m.label)).toEqual(['判决书', '执行通知书', '报到登记表']);
      const res = await upload(officer104, s, 'JUDGMENT');
      expect(res.body.errors).toBeUndefined();
      const doc = res.body.data.uploadArchiveDocument;
      expect(doc).toMatchObject({ archiveKind: 'ENFORCEMENT', archiveKindLabel: '执行档案', documentTypeLabel: '判决书', sizeBytes: Buffer.byteLength('PDF bytes 判决书') });
      const stored = app.get(ArchiveStorage);
      expect((await stored.get(`correction/${s}/${doc.id}`)).toString()).toBe('PDF bytes 判决书');
      await upload(officer104, s, 'EXECUTION_NOTICE', 'notice');
      await upload(officer104, s, 'CORRECTION_PLAN', 'plan', 'WORK');
      const now = await ok(officer104, COMPLETENESS, { s });
      expect(now.archiveCompleteness).toEqual([
        expect.objectContaining({ stage: 'INTAKE', stageLabel: '入矫', present: ['JUDGMENT', 'EXECUTION_NOTICE'], missing: ['REPORT_IN_RECORD'], percent: 66 }),
        expect.objectContaining({ stage: 'SUPERVISION', present: ['CORRECTION_PLAN'], missing: ['ANNOUNCEMENT_RECORD'], percent: 50 }),
      ]);
      await assignSocialWorker(svc, officer104, s, worker104Principal.sub); // issue 6 item 7
      const content = await ok(worker104, `query($id: ID!) { archiveDocumentContent(id: $id) { contentBase64 document { sha256 } } }`, { id: doc.id });
      expect(Buffer.from(content.archiveDocumentContent.contentBase64, 'base64').toString()).toBe('PDF bytes 判决书');
      expect(content.archiveDocumentContent.document.sha256).toBe(doc.sha256);
      const work = await ok(officer104, `query($s: ID!) { archiveDocuments(subjectId: $s, archiveKind: WORK) { documentType } }`, { s });
      expect(work.archiveDocuments).toEqual([{ documentType: 'CORRECTION_PLAN' }]);
      // Deleting removes row and bytes; completeness drops again.
      await ok(officer104, `mutation($id: ID!) { deleteArchiveDocument(id: $id) { id } }`, { id: doc.id });
      await expect(stored.get(`correction/${s}/${doc.id}`)).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await ok(officer104, COMPLETENESS, { s })).archiveCompleteness[0].missing).toEqual(['JUDGMENT', 'REPORT_IN_RECORD']);
    });

    it('issue 6 item 10: an uploaded file is ciphertext on disk, mode 0600 in a 0700 folder, and downloads as the original', async () => {
      const s = await subject('110105194912310150', '104');
      const clear = 'JUDGMENT-CLEAR-TEXT 判决书 张三 320281199001011234';
      const res = await upload(officer104, s, 'JUDGMENT', clear);
      expect(res.body.errors).toBeUndefined();
      const id = res.body.data.uploadArchiveDocument.id;
      const path = join(archiveDir, 'correction', s, id);
      const raw = await readFile(path);
      expect(raw.includes(Buffer.from(clear))).toBe(false);
      expect(raw.includes(Buffer.from('JUDGMENT-CLEAR-TEXT'))).toBe(false);
      expect(raw.includes(Buffer.from('320281199001011234'))).toBe(false);
      expect(raw.length).toBeGreaterThan(Buffer.byteLength(clear));
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await stat(join(archiveDir, 'correction', s))).mode & 0o777).toBe(0o700);
      const content = await ok(officer104, `query($id: ID!) { archiveDocumentContent(id: $id) { contentBase64 } }`, { id });
      expect(Buffer.from(content.archiveDocumentContent.contentBase64, 'base64').toString()).toBe(clear);
    });

    it('CC-19: a discharged subject also needs the discharge certificate; the CorrectionSubject field agrees', async () => {
      const s = await subject('110105194912310126', '104', 'DISCHARGED');
      await upload(officer104, s, 'DISCHARGE_CERTIFICATE', 'cert', 'ELECTRONIC');
      const field = await ok(officer104, `query($id: ID!) { correctionSubject(id: $id) { archiveCompleteness { stage percent missing } } }`, { id: s });
      expect(field.correctionSubject.archiveCompleteness).toEqual([
        { stage: 'INTAKE', percent: 0, missing: ['JUDGMENT', 'EXECUTION_NOTICE', 'REPORT_IN_RECORD'] },
        { stage: 'SUPERVISION', percent: 0, missing: ['CORRECTION_PLAN', 'ANNOUNCEMENT_RECORD'] },
        { stage: 'DISCHARGE', percent: 100, missing: [] },
      ]);
    });

    it('CC-19: over ARCHIVE_MAX_BYTES or not base64 is refused; another town gets NOT_FOUND and no file is written', async () => {
      const s = await subject('110105194912310134', '104');
      const big = await upload(officer104, s, 'JUDGMENT', 'x'.repeat(1025));
      expect(big.body.errors[0].extensions).toMatchObject({ domainCode: 'VALIDATION_FAILED' });
      const bad = await gql(officer104, UPLOAD, { input: { subjectId: s, archiveKind: 'WORK', documentType: 'JUDGMENT', title: 't', contentType: 'application/pdf', contentBase64: '@@@' } }).expect(200);
      expect(bad.body.errors[0].extensions).toMatchObject({ domainCode: 'VALIDATION_FAILED' });
      const foreign = await upload(officer107, s, 'JUDGMENT');
      expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect(await errorCode(officer107, COMPLETENESS, { s })).toBe('NOT_FOUND');
      expect(await errorCode(officer107, `query($s: ID!) { archiveDocuments(subjectId: $s) { id } }`, { s })).toBe('NOT_FOUND');
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM correction.archive_documents WHERE subject_id = $1`, [s]);
      expect(n).toBe(0);
    });
  });
});
