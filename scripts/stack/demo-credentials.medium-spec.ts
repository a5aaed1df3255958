import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, type CliIO } from '../cli/main';
import { demoCredentialsFile, demoSummaryLines, loadDemoCredentials, saveDemoCredentials } from './demo-credentials';

function captureIO(env: NodeJS.ProcessEnv = {}): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env };
}

/** Files on a temporary disk folder (the launcher's .data/), hence medium. */
describe('demo credentials of npm start (issue 6 item 16)', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-demo-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function filled() {
    const file = demoCredentialsFile(dir);
    const creds = loadDemoCredentials(file);
    creds.partners.forEach((p, i) => (p.clientSecret = `client-secret-${i}-${'x'.repeat(20)}`));
    return { file, creds };
  }

  function secretsOf(creds: ReturnType<typeof loadDemoCredentials>): string[] {
    return [
      ...creds.users.flatMap((u) => [u.password!, ...(u.totpSecret ? [u.totpSecret] : [])]),
      ...creds.partners.map((p) => p.clientSecret!),
    ];
  }

  it('issue 6 item 16: the file is written mode 0600, even when an older file was world-readable', () => {
    const { file, creds } = filled();
    fs.writeFileSync(file, '{}\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    saveDemoCredentials(file, creds);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadDemoCredentials(file).users.map((u) => u.password)).toEqual(creds.users.map((u) => u.password));
  });

  it('issue 6 item 16: the launcher summary names every login and the file but prints no password, TOTP seed or client secret', () => {
    const { file, creds } = filled();
    const printed = demoSummaryLines(creds, file).join('\n');
    const secrets = secretsOf(creds);
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(printed).not.toContain(secret);
    expect(printed).not.toMatch(/otpauth:/);
    for (const u of creds.users) expect(printed).toContain(u.username);
    for (const p of creds.partners) expect(printed).toContain(p.clientId);
    expect(printed).toContain('demo-credentials.json');
    expect(printed).toContain('npm run cli -- demo:credentials');
  });

  it('issue 6 item 16: npm run cli -- demo:credentials shows the secrets on request; without a file it says so (exit 1)', async () => {
    const { file, creds } = filled();
    saveDemoCredentials(file, creds);
    const io = captureIO({ HOMEWARD_DATA_DIR: dir });
    await expect(runCli(['demo:credentials'], io)).resolves.toBe(0);
    const shown = io.stdout.join('\n');
    for (const secret of secretsOf(creds)) expect(shown).toContain(secret);

    const empty = captureIO();
    await expect(runCli(['demo:credentials', '--data-dir', path.join(dir, 'none')], empty)).resolves.toBe(1);
    expect(empty.stderr.join('\n')).toContain('run npm start first');
  });
});
