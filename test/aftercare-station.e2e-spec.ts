import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { idNumberCheckChar } from '@homeward/domain';
import { CreatedUser, Stack, startStack } from '@homeward/testing';

/**
 * Issue 10 AC-6 / AC-7 / K-AC through the gateway: a release notice reaches station 104; the
 * station names a success case with a picture (sealed in the archive storage), keeps its work log,
 * reads its notice ledger, its K-AC indicators and the monthly XLSX; 华士镇 (107) sees none of it.
 */
jest.setTimeout(480_000);

const BASE = '32028119880808123';
const ID_NUMBER = `${BASE}${idNumberCheckChar(BASE)}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };

describe('AC-6 / AC-7 / K-AC: a station\'s success case, work log, ledger, indicators and monthly report (through the gateway)', () => {
  const archiveDir = mkdtempSync(join(tmpdir(), 'hw-e2e-ac6-'));
  let stack: Stack;
  let officerUser: CreatedUser;
  let otherUser: CreatedUser;
  let officer: string;
  let other: string;
  let centre: string;
  let today: string;
  let dossier: string;

  const gql = async (token: string, query: string, variables?: Record<string, unknown>): Promise<Body> => (await stack.graphql(token, query, variables)) as Body;
  const ok = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const body = await gql(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };

  beforeAll(async () => {
    stack = await startStack({ env: { ARCHIVE_DIR: archiveDir } });
    officerUser = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    otherUser = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['107'] });
    officer = await stack.login(officerUser.username, officerUser.password);
    other = await stack.login(otherUser.username, otherUser.password);
    centre = await stack.partnerToken('REHAB_CENTRE');
    today = stack.today();
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(archiveDir, { recursive: true, force: true });
  });

  it('AC-1 → AC-7: the notice is in 104\'s notice ledger (masked, with the person), not in 107\'s', async () => {
    const res = await fetch(`${stack.gatewayUrl}/api/v1/aftercare/release-notices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${centre}`, 'idempotency-key': 'E2E-AC7-N1' },
      body: JSON.stringify({ notices: [{ person: { idNumber: ID_NUMBER, name: '照管甲', residenceTown: '104' }, centreRecordNo: 'E2E-WX-1', releaseDate: today, keyPerson: false, communityRehabilitation: false }] }),
    });
    expect(res.status).toBe(207);
    const LEDGER = `{ aftercareLedger(kind: NOTICES) { totalCount edges { node { kindLabel town { code name } person { key } maskedIdNumber date description } } } }`;
    const mine = (await ok(officer, LEDGER)).aftercareLedger;
    expect(mine.totalCount).toBe(1);
    expect(mine.edges[0].node).toMatchObject({ kindLabel: '解戒通知台账', town: { code: '104', name: '徐霞客镇' }, date: today });
    expect(mine.edges[0].node.maskedIdNumber).not.toContain(ID_NUMBER.slice(6, 14));
    expect(mine.edges[0].node.person.key).toMatch(/^[0-9a-f]{64}$/);
    expect((await ok(other, LEDGER)).aftercareLedger.totalCount).toBe(0);
  });

  it('AC-6: the station names a success case with a picture; it reads it back; 107 gets NOT_FOUND', async () => {
    const year = Number(today.slice(0, 4));
    dossier = (await ok(officer, `mutation($i: NameSuccessCaseInput!) { nameSuccessCase(input: $i) { id } }`, { i: { town: '104', year, title: '典型甲', summary: '戒断后自主创业' } })).nameSuccessCase.id;
    const png = Buffer.from('PNG 典型甲照片').toString('base64');
    const file = (await ok(officer, `mutation($i: UploadSuccessCaseFileInput!) { uploadSuccessCaseFile(input: $i) { id kindLabel } }`, { i: { successCaseId: dossier, kind: 'PICTURE', title: '创业照片', contentType: 'image/png', contentBase64: png } })).uploadSuccessCaseFile;
    expect(file.kindLabel).toBe('图片');
    const back = await ok(officer, `query($id: ID!) { successCaseFileContent(id: $id) { contentBase64 } }`, { id: file.id });
    expect(back.successCaseFileContent.contentBase64).toBe(png);
    expect((await gql(other, `query($id: ID!) { successCase(id: $id) { id } }`, { id: dossier })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const standing = (await ok(officer, `query($y: Int!) { successCaseStanding(year: $y) { town { code } successCases required } }`, { y: year })).successCaseStanding;
    expect(standing).toEqual([{ town: { code: '104' }, successCases: 1, required: 0 }]);
  });

  it('AC-7: the work log entry is the station\'s own', async () => {
    await ok(officer, `mutation($i: AddWorkLogEntryInput!) { addWorkLogEntry(input: $i) { id } }`, { i: { town: '104', entryDate: today, kind: 'HOME_VISIT', note: '走访照管甲家属' } });
    expect((await ok(officer, `{ workLog { totalCount edges { node { kindLabel note } } } }`)).workLog).toMatchObject({ totalCount: 1, edges: [{ node: { kindLabel: '走访', note: '走访照管甲家属' } }] });
    expect((await ok(other, `{ workLog { totalCount } }`)).workLog.totalCount).toBe(0);
  });

  it('K-AC: the month\'s indicators answer through the gateway, "not available" (null) where nothing is owed yet; the monthly XLSX has the notice and the success case', async () => {
    const [year, month] = today.split('-').map(Number);
    const data = await ok(officer, `query($p: AftercarePeriodInput!) { aftercareIndicators(period: $p) { town { code } indicators { code numerator denominator value } } }`, { p: { kind: 'MONTH', year, number: month } });
    expect(data.aftercareIndicators.map((s: { town: { code: string } | null }) => s.town?.code ?? null)).toEqual(['104', null]);
    const k = Object.fromEntries(data.aftercareIndicators[0].indicators.map((i: { code: string; value: number | null; denominator: number }) => [i.code, [i.denominator, i.value]]));
    // Released today: the 7-day contact deadline has not passed (K-AC1 owes nothing yet); nobody is enrolled.
    expect(k['K-AC1']).toEqual([0, null]);
    expect(k['K-AC2']).toEqual([0, null]);
    expect(k['K-AC4']).toEqual([0, null]);
    const res = await fetch(`${stack.gatewayUrl}/api/v1/aftercare/exports/monthly-statistics?month=${today.slice(0, 7)}&format=xlsx`, { headers: { authorization: `Bearer ${officer}` } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as Parameters<typeof wb.xlsx.load>[0]);
    const sheet = wb.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(row[1]).toBe('104');
    expect(row[header.indexOf('收到解戒通知数')]).toBe(1);
    expect(row[header.indexOf('成功戒毒典型数')]).toBe(1);
    const theirs = await fetch(`${stack.gatewayUrl}/api/v1/aftercare/exports/monthly-statistics?month=${today.slice(0, 7)}&format=csv`, { headers: { authorization: `Bearer ${other}` } });
    const lines = (await theirs.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines.map((l) => l.split(',')[1])).toEqual(['镇街代码', '107', '']);
    expect(lines[1].split(',').slice(3).every((v) => v === '0')).toBe(true);
  });
});
