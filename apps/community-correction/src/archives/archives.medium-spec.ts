import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { testCast } from '@homeward/testing';
import { assignSocialWorker, enrolActiveSubject, useCorrectionApp } from '../../test/correction-harness';
import { ArchiveStorage } from '@homeward/platform/archive-storage';

jest.setTimeout(60_000);

describe('CC-19 archives (real PostgreSQL + Redis + disk)', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-08-03T02:00:00Z'));
  const { court, officer104, officer107, worker104Principal, worker104 } = testCast(keys, clock);
  let archiveDir: string;
  beforeAll(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'hw-cc19-'));
  });
  afterAll(async () => {
    if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
  });
  const { svc, gql, ok, errorCode } = useCorrectionApp({ label: 'ccarch', clock, keys, env: () => ({ ARCHIVE_DIR: archiveDir, ARCHIVE_MAX_BYTES: '1024' }) });

  const UPLOAD = `mutation($input: UploadArchiveDocumentInput!) { uploadArchiveDocument(input: $input) { id archiveKind archiveKindLabel documentType documentTypeLabel sizeBytes sha256 } }`;
  const COMPLETENESS = `query($s: ID!) { archiveCompleteness(subjectId: $s) { stage stageLabel required present missing percent missingLabelled { label } } }`;
  const upload = (token: string, subjectId: string, documentType: string, content = 'PDF bytes 判决书', archiveKind = 'ENFORCEMENT') =>
    gql(token, UPLOAD, { input: { subjectId, archiveKind, documentType, title: documentType, contentType: 'application/pdf', contentBase64: Buffer.from(content).toString('base64') } }).expect(200);

  it('CC-19: upload (base64) stores the bytes on disk, reads them back, completeness per stage moves', async () => {
    const s = await enrolActiveSubject(svc(), court, { idNumber: '110105194912310118', on: '2026-08-01' });
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
    const stored = svc().app.get(ArchiveStorage);
    expect((await stored.get(`correction/${s}/${doc.id}`)).toString()).toBe('PDF bytes 判决书');
    await upload(officer104, s, 'EXECUTION_NOTICE', 'notice');
    await upload(officer104, s, 'CORRECTION_PLAN', 'plan', 'WORK');
    const now = await ok(officer104, COMPLETENESS, { s });
    expect(now.archiveCompleteness).toEqual([
      expect.objectContaining({ stage: 'INTAKE', stageLabel: '入矫', present: ['JUDGMENT', 'EXECUTION_NOTICE'], missing: ['REPORT_IN_RECORD'], percent: 66 }),
      expect.objectContaining({ stage: 'SUPERVISION', present: ['CORRECTION_PLAN'], missing: ['ANNOUNCEMENT_RECORD'], percent: 50 }),
    ]);
    await assignSocialWorker(svc(), officer104, s, worker104Principal.sub); // issue 6 item 7
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
    const s = await enrolActiveSubject(svc(), court, { idNumber: '110105194912310150', on: '2026-08-01' });
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
    const s = await enrolActiveSubject(svc(), court, { idNumber: '110105194912310126', on: '2026-08-01', status: 'DISCHARGED' });
    await upload(officer104, s, 'DISCHARGE_CERTIFICATE', 'cert', 'ELECTRONIC');
    const field = await ok(officer104, `query($id: ID!) { correctionSubject(id: $id) { archiveCompleteness { stage percent missing } } }`, { id: s });
    expect(field.correctionSubject.archiveCompleteness).toEqual([
      { stage: 'INTAKE', percent: 0, missing: ['JUDGMENT', 'EXECUTION_NOTICE', 'REPORT_IN_RECORD'] },
      { stage: 'SUPERVISION', percent: 0, missing: ['CORRECTION_PLAN', 'ANNOUNCEMENT_RECORD'] },
      { stage: 'DISCHARGE', percent: 100, missing: [] },
    ]);
  });

  it('CC-19: over ARCHIVE_MAX_BYTES or not base64 is refused; another town gets NOT_FOUND and no file is written', async () => {
    const s = await enrolActiveSubject(svc(), court, { idNumber: '110105194912310134', on: '2026-08-01' });
    const big = await upload(officer104, s, 'JUDGMENT', 'x'.repeat(1025));
    expect(big.body.errors[0].extensions).toMatchObject({ domainCode: 'VALIDATION_FAILED' });
    const bad = await gql(officer104, UPLOAD, { input: { subjectId: s, archiveKind: 'WORK', documentType: 'JUDGMENT', title: 't', contentType: 'application/pdf', contentBase64: '@@@' } }).expect(200);
    expect(bad.body.errors[0].extensions).toMatchObject({ domainCode: 'VALIDATION_FAILED' });
    const foreign = await upload(officer107, s, 'JUDGMENT');
    expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(await errorCode(officer107, COMPLETENESS, { s })).toBe('NOT_FOUND');
    expect(await errorCode(officer107, `query($s: ID!) { archiveDocuments(subjectId: $s) { id } }`, { s })).toBe('NOT_FOUND');
    const [{ n }] = await svc().dataSource.query(`SELECT count(*)::int AS n FROM correction.archive_documents WHERE subject_id = $1`, [s]);
    expect(n).toBe(0);
  });
});
