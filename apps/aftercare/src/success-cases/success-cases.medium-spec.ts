import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@homeward/platform';
import { ArchiveStorage } from '@homeward/platform/archive-storage';
import { findClearPii } from '@homeward/testing';
import { useAftercareApp } from '../../test/aftercare-station-harness';
import { AftercareCasesService } from '../cases/aftercare-cases.service';
import { SuccessCasesService } from './success-cases.service';

jest.setTimeout(120_000);

const NAME = `mutation($input: NameSuccessCaseInput!) { nameSuccessCase(input: $input) { id town { code name } year caseId title summary namedOn namedBy } }`;
const UPLOAD = `mutation($input: UploadSuccessCaseFileInput!) { uploadSuccessCaseFile(input: $input) { id kind kindLabel title contentType sizeBytes sha256 } }`;
const STANDING = `query($year: Int!) { successCaseStanding(year: $year) { town { code } subjects successCases required short } }`;
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** AC-6 success cases on real PostgreSQL, Redis and disk: dossiers, sealed files, towns, the Q4 reminder facts. */
describe('AC-6 success cases (成功戒毒典型)', () => {
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  let archiveDir: string;
  // Before the app boots (the harness's beforeAll reads ARCHIVE_DIR then).
  beforeAll(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'hw-ac6-'));
  });
  const h = useAftercareApp({ label: 'ac6', clock, env: () => ({ ARCHIVE_DIR: archiveDir, ARCHIVE_MAX_BYTES: '2048' }) });
  const { tokens, principals, ok, errorCode } = h;
  let cases104: string[];
  let case107: string;
  let dossier: string;

  afterAll(async () => {
    if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
  });

  beforeAll(async () => {
    // Station 104: 10 subjects (owes 2 a year); station 107: 1 subject (owes 1).
    cases104 = await h.notices(Array.from({ length: 10 }, (_, i) => ({ n: i + 1, town: '104', releaseDate: '2027-03-05' })));
    [case107] = await h.notices([{ n: 50, town: '107', releaseDate: '2027-03-05' }]);
    clock.set('2027-03-06T02:00:00Z');
    const cases = h.svc().app.get(AftercareCasesService);
    for (const id of cases104) await cases.recordFirstContact(principals.officer104, { caseId: id, contactedOn: '2027-03-06', contactCardIssued: true });
    await cases.recordFirstContact(principals.officer107, { caseId: case107, contactedOn: '2027-03-06', contactCardIssued: true });
  });

  it('AC-6: the station names a success case of one of its cases; title and summary are stored encrypted, the naming audited', async () => {
    clock.set('2027-06-01T02:00:00Z');
    const data = await ok(tokens.officer104, NAME, { input: { caseId: cases104[0], year: 2027, title: '王某某回归家庭戒毒成功', summary: '解戒后在家人帮助下开办小店，尿检持续阴性' } });
    dossier = data.nameSuccessCase.id;
    expect(data.nameSuccessCase).toMatchObject({ town: { code: '104' }, year: 2027, caseId: cases104[0], namedOn: '2027-06-01', namedBy: 'officer104' });
    expect(await findClearPii(h.svc().db.url, { title: '王某某回归家庭戒毒成功', summary: '解戒后在家人帮助下开办小店' })).toEqual([]);
    const [{ n }] = await h.svc().db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'aftercare.success-case.name' AND entity_id = $1`, [dossier]);
    expect(n).toBe(1);
  });

  it('AC-6: bad input is refused and changes nothing: a future year, no station, another station\'s case, a PICTURE that is no image, a file over the limit', async () => {
    const before = await h.svc().db.query<{ n: number }>(`SELECT count(*)::int AS n FROM aftercare.success_cases`);
    expect(await errorCode(tokens.officer104, NAME, { input: { town: '104', year: 2028, title: 't', summary: 's' } })).toBe('BAD_USER_INPUT');
    expect(await errorCode(tokens.bureau, NAME, { input: { year: 2027, title: 't', summary: 's' } })).toBe('BAD_USER_INPUT');
    expect(await errorCode(tokens.officer104, NAME, { input: { town: '104', caseId: case107, year: 2027, title: 't', summary: 's' } })).toBe('NOT_FOUND');
    expect(await errorCode(tokens.officer104, UPLOAD, { input: { successCaseId: dossier, kind: 'PICTURE', title: '照片', contentType: 'application/pdf', contentBase64: b64('x') } })).toBe('BAD_USER_INPUT');
    expect(await errorCode(tokens.officer104, UPLOAD, { input: { successCaseId: dossier, kind: 'DOCUMENT', title: '材料', contentType: 'application/pdf', contentBase64: b64('x'.repeat(3000)) } })).toBe('BAD_USER_INPUT');
    expect(await h.svc().db.query(`SELECT count(*)::int AS n FROM aftercare.success_cases`)).toEqual(before);
    expect(await h.svc().db.query(`SELECT count(*)::int AS n FROM aftercare.success_case_files`)).toEqual([{ n: 0 }]);
  });

  it('AC-6: documents and pictures are stored through the archive storage, sealed on disk, read back whole', async () => {
    const pic = (await ok(tokens.officer104, UPLOAD, { input: { successCaseId: dossier, kind: 'PICTURE', title: '开业照片', contentType: 'image/png', contentBase64: b64('PNG 开业照片字节') } })).uploadSuccessCaseFile;
    const doc = (await ok(tokens.officer104, UPLOAD, { input: { successCaseId: dossier, kind: 'DOCUMENT', title: '事迹材料', contentType: 'application/pdf', contentBase64: b64('PDF 事迹材料全文') } })).uploadSuccessCaseFile;
    expect([pic.kindLabel, doc.kindLabel]).toEqual(['图片', '文字材料']);
    const onDisk = join(archiveDir, 'aftercare', 'success-cases', dossier);
    expect((await readdir(onDisk)).sort()).toEqual([pic.id, doc.id].sort());
    expect((await readFile(join(onDisk, doc.id))).includes(Buffer.from('事迹材料全文'))).toBe(false);
    expect((await h.svc().app.get(ArchiveStorage).get(`aftercare/success-cases/${dossier}/${doc.id}`)).toString()).toBe('PDF 事迹材料全文');
    const content = await ok(tokens.bureau, `query($id: ID!) { successCaseFileContent(id: $id) { contentBase64 file { sha256 } } }`, { id: doc.id });
    expect(Buffer.from(content.successCaseFileContent.contentBase64, 'base64').toString()).toBe('PDF 事迹材料全文');
    const read = await ok(tokens.officer104, `query($id: ID!) { successCase(id: $id) { title files { kind title } } }`, { id: dossier });
    expect(read.successCase).toEqual({ title: '王某某回归家庭戒毒成功', files: [{ kind: 'PICTURE', title: '开业照片' }, { kind: 'DOCUMENT', title: '事迹材料' }] });
  });

  it("AC-6: another station's officer sees none of it (NOT_FOUND, audited), cannot name for it or correct it; the station corrects its summary; a social worker is refused; the city office sees all", async () => {
    expect(await errorCode(tokens.officer107, `query($id: ID!) { successCase(id: $id) { id } }`, { id: dossier })).toBe('NOT_FOUND');
    expect((await ok(tokens.officer107, `{ successCases { id } }`)).successCases).toEqual([]);
    expect(await errorCode(tokens.officer107, NAME, { input: { town: '104', year: 2027, title: 't', summary: 's' } })).toBe('NOT_FOUND');
    const UPDATE = `mutation($id: ID!, $input: UpdateSuccessCaseInput!) { updateSuccessCase(id: $id, input: $input) { title summary } }`;
    expect(await errorCode(tokens.officer107, UPDATE, { id: dossier, input: { title: '改' } })).toBe('NOT_FOUND');
    expect((await ok(tokens.officer104, UPDATE, { id: dossier, input: { summary: '解戒后开办小店，尿检持续阴性，带动两名学员就业' } })).updateSuccessCase).toEqual({
      title: '王某某回归家庭戒毒成功',
      summary: '解戒后开办小店，尿检持续阴性，带动两名学员就业',
    });
    expect(await errorCode(tokens.worker104, `{ successCases { id } }`)).toBe('FORBIDDEN');
    const [{ n }] = await h.svc().db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.events WHERE outcome = 'DENIED' AND action LIKE 'aftercare.success-case.%'`);
    expect(n).toBeGreaterThanOrEqual(2);
    expect((await ok(tokens.bureau, `{ successCases(year: 2027) { id town { code } } }`)).successCases).toEqual([{ id: dossier, town: { code: '104' } }]);
  });

  it('AC-6 / K-AC4: the standing of each station for the year: 104 has 10 subjects and owes 2, 107 has 1 and owes 1', async () => {
    const rows = (await ok(tokens.bureau, STANDING, { year: 2027 })).successCaseStanding.filter((r: { subjects: number }) => r.subjects > 0);
    expect(rows).toEqual([
      { town: { code: '104' }, subjects: 10, successCases: 1, required: 2, short: true },
      { town: { code: '107' }, subjects: 1, successCases: 0, required: 1, short: true },
    ]);
  });

  it('AC-6: the Q4 check reminds each short station once from 10-01 (not on 09-30); naming the missing case reports the station met, once', async () => {
    const svc = h.svc().app.get(SuccessCasesService);
    clock.set('2027-09-30T10:00:00Z');
    expect(await svc.checkQ4()).toEqual([]);
    clock.set('2027-09-30T16:30:00Z'); // 2027-10-01 00:30 in Shanghai
    expect((await svc.checkQ4()).map((s) => [s.town, s.successCases, s.required])).toEqual([
      ['104', 1, 2],
      ['107', 0, 1],
    ]);
    expect(await svc.checkQ4()).toEqual([]);
    expect(await h.outbox('aftercare.success-cases.short')).toEqual([
      { town: '104', year: 2027, subjects: 10, successCases: 1, required: 2 },
      { town: '107', year: 2027, subjects: 1, successCases: 0, required: 1 },
    ]);
    await ok(tokens.officer104, NAME, { input: { caseId: cases104[1], year: 2027, title: '李某某就业', summary: '在镇企业稳定就业' } });
    expect(await h.outbox('aftercare.success-cases.met')).toEqual([{ town: '104', year: 2027, successCases: 2, required: 2 }]);
    await ok(tokens.officer104, NAME, { input: { town: '104', year: 2027, title: '第三例', summary: '另一例' } });
    expect(await h.outbox('aftercare.success-cases.met')).toHaveLength(1);
  });

  it('AC-6: deleting a dossier removes its files from the storage, audited', async () => {
    const svcStorage = h.svc().app.get(ArchiveStorage);
    const files = await h.svc().db.query<{ storage_key: string }>(`SELECT storage_key FROM aftercare.success_case_files WHERE success_case_id = $1`, [dossier]);
    await ok(tokens.bureau, `mutation($id: ID!) { deleteSuccessCase(id: $id) { id } }`, { id: dossier });
    for (const f of files) await expect(svcStorage.get(f.storage_key)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await errorCode(tokens.bureau, `query($id: ID!) { successCase(id: $id) { id } }`, { id: dossier })).toBe('NOT_FOUND');
  });
});
