/**
 * The demo logins of `npm start` (issue 6 item 16): their secrets live only in
 * `<dataDir>/demo-credentials.json` (mode 0600). The launcher prints where they are and the logins'
 * names; `npm run cli -- demo:credentials` shows the secrets on request.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { authenticator } from 'otplib';
import { AgencyKind, Role, TOWNS, requiresTotp } from '@homeward/domain';

export interface DemoUser {
  username: string;
  roles: Role[];
  towns: string[];
  label: string;
  password?: string;
  totpSecret?: string;
}
export interface DemoPartner {
  kind: AgencyKind;
  name: string;
  clientId: string;
  clientSecret?: string;
}
export interface DemoCredentials {
  users: DemoUser[];
  partners: DemoPartner[];
}

export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';

const townName = (code: string): string => TOWNS.find((t) => t.code === code)?.name ?? code;

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'city.admin', roles: [Role.CITY_ADMIN], towns: [], label: '市局管理员 city administrator (all towns)' },
  { username: 'officer.xxk', roles: [Role.TOWN_OFFICER], towns: ['104'], label: `司法所 town officer, ${townName('104')} (104)` },
  { username: 'officer.hs', roles: [Role.TOWN_OFFICER], towns: ['107'], label: `司法所 town officer, ${townName('107')} (107)` },
  { username: 'auditor', roles: [Role.AUDITOR], towns: [], label: '审计员 auditor' },
];
export const DEMO_PARTNERS: readonly DemoPartner[] = [
  { kind: AgencyKind.COURT, name: '江阴市人民法院 (demo)', clientId: 'demo-court' },
  { kind: AgencyKind.PROCURATORATE, name: '江阴市人民检察院 (demo)', clientId: 'demo-procuratorate' },
  { kind: AgencyKind.POLICE, name: '江阴市公安局 (demo)', clientId: 'demo-police' },
  { kind: AgencyKind.PRISON, name: '江苏省某监狱 (demo)', clientId: 'demo-prison' },
  { kind: AgencyKind.REHAB_CENTRE, name: '江苏省某强制隔离戒毒所 (demo)', clientId: 'demo-rehab-centre' },
  { kind: AgencyKind.MONITORING_PLATFORM, name: '电子监管平台 (demo)', clientId: 'demo-monitoring-platform' },
];

export function demoCredentialsFile(dataDir: string): string {
  return path.join(dataDir, DEMO_CREDENTIALS_FILE);
}

function demoPassword(): string {
  // ≥ 10 characters with upper, lower, digit and symbol (identity's policy wants 3 of 4).
  return `Hw-${authenticator.generateSecret(8).toLowerCase()}7Q!`;
}

function readStored(file: string): Partial<DemoCredentials> {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as DemoCredentials) : {};
}

/** The stored demo credentials, completed with new passwords / TOTP secrets where missing. */
export function loadDemoCredentials(file: string): DemoCredentials {
  const stored = readStored(file);
  const users = DEMO_USERS.map((u) => {
    const s = stored.users?.find((x) => x.username === u.username);
    return {
      ...u,
      password: s?.password ?? demoPassword(),
      totpSecret: requiresTotp(u.roles) ? (s?.totpSecret ?? authenticator.generateSecret(20)) : undefined,
    };
  });
  const partners = DEMO_PARTNERS.map((p) => ({ ...p, clientSecret: stored.partners?.find((x) => x.clientId === p.clientId)?.clientSecret }));
  return { users, partners };
}

/** The stored file as it is (nothing generated); undefined when there is none. */
export function readDemoCredentials(file: string): DemoCredentials | undefined {
  if (!fs.existsSync(file)) return undefined;
  const stored = readStored(file);
  return { users: stored.users ?? [], partners: stored.partners ?? [] };
}

/**
 * Writes the file readable by its owner only. `writeFileSync`'s mode applies only when the file is
 * created, so an older, looser file is tightened with chmod as well.
 */
export function saveDemoCredentials(file: string, creds: DemoCredentials): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

/** What `npm start` prints about the demo logins: names, roles and where the secrets are — never a secret. */
export function demoSummaryLines(creds: DemoCredentials, file: string): string[] {
  const shown = path.relative(process.cwd(), file) || file;
  return [
    'Demo staff logins (演示账号)  POST /api/v1/auth/login { username, password, totp? }',
    ...creds.users.map((u) => `  ${u.username.padEnd(12)} ${u.label}${u.totpSecret ? '  (TOTP)' : ''}`),
    '',
    'Demo partner clients (协作单位)  POST /api/v1/oauth/token grant_type=client_credentials',
    ...creds.partners.map((p) => `  ${p.kind.padEnd(20)} client_id ${p.clientId}`),
    '',
    `  Passwords, TOTP secrets and client secrets are kept in ${shown} (mode 0600, 密码保存在此文件);`,
    '  show them with: npm run cli -- demo:credentials',
  ];
}

/** What `npm run cli -- demo:credentials` prints: every secret, and the current TOTP code at `now`. */
export function demoSecretLines(creds: DemoCredentials, now: Date = new Date()): string[] {
  const totpAt = (secret: string): string => authenticator.clone({ epoch: now.getTime() }).generate(secret);
  return [
    'Demo staff logins (演示账号)',
    ...creds.users.flatMap((u) => [
      `  ${u.username.padEnd(12)} password ${u.password ?? '(unknown)'}   ${u.label}`,
      ...(u.totpSecret
        ? [`  ${''.padEnd(12)} TOTP secret ${u.totpSecret}  (now: ${totpAt(u.totpSecret)}; ${authenticator.keyuri(u.username, 'Homeward', u.totpSecret)})`]
        : []),
    ]),
    '',
    'Demo partner clients (协作单位)',
    ...creds.partners.map((p) => `  ${p.kind.padEnd(20)} client_id ${p.clientId.padEnd(25)} client_secret ${p.clientSecret ?? '(unknown)'}`),
  ];
}
