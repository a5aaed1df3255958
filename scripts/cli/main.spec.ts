import { CliIO, runCli } from './main';

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env: {} };
}

describe(runCli.name, () => {
  it.each([[[]], [['nope']], [['user:create', '--username', 'u']], [['partner:create', '--kind', 'COURT', '--bogus', 'x']]])(
    'bad arguments %j → usage on stderr, nothing on stdout, exit code 2',
    async (argv) => {
      const io = captureIO();
      await expect(runCli(argv, io)).resolves.toBe(2);
      expect(io.stdout).toEqual([]);
      expect(io.stderr.join('\n')).toContain('Usage: npm run cli -- <command>');
    },
  );

  it('--if-not-exists on partner:create needs --client-id (exit 2, before touching the database)', async () => {
    const io = captureIO();
    await expect(runCli(['partner:create', '--kind', 'COURT', '--name', 'N', '--if-not-exists'], io)).resolves.toBe(2);
    expect(io.stderr[0]).toContain('--if-not-exists needs --client-id');
  });

  it('help prints the usage on stdout and exits 0', async () => {
    const io = captureIO();
    await expect(runCli(['help'], io)).resolves.toBe(0);
    expect(io.stdout.join('\n')).toContain('partner:create');
  });
});
