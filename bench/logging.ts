/**
 * Request logging bench (issue 13: "every request is logged at info … written twice"):
 * `npm run bench:logging [-- --requests 300]`. Starts the whole stack at LOG_LEVEL=info, sends
 * `--requests` GraphQL calls through the gateway (one federated query touching identity and
 * community-correction, and a partner REST call proxied to community-correction), then counts, per
 * app, the access-log lines written at info and their bytes. Prints lines and bytes per request.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startStack } from '@homeward/testing';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
}

async function main(): Promise<void> {
  const requests = arg('requests', 300);
  const stack = await startStack({ env: { LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '10000000' } });
  try {
    const officer = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    const token = await stack.login(officer.username, officer.password);
    // CC-15's exit-control list is the police's (a court token got 403s: the bench measured refusals).
    const police = await stack.partnerToken('POLICE');
    const sizes = () =>
      Object.fromEntries(
        fs.readdirSync(stack.logDir).filter((f) => f.endsWith('.log')).map((f) => [f.replace(/\.log$/, ''), fs.readFileSync(path.join(stack.logDir, f), 'utf8')]),
      );
    const before = sizes();
    for (let i = 0; i < requests; i++) {
      await stack.graphql(token, `{ me { id username } correctionSubjects(first: 1) { totalCount } }`);
      const rest = await fetch(`${stack.gatewayUrl}/api/v1/correction/exit-control`, { headers: { authorization: `Bearer ${police}` } });
      await rest.arrayBuffer();
      if (rest.status !== 200) throw new Error(`GET /api/v1/correction/exit-control answered ${rest.status}, not 200`);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const after = sizes();
    const rows: string[] = ['| app | access-log lines at info | per call | bytes per call |', '|---|---|---|---|'];
    let total = 0;
    for (const [app, text] of Object.entries(after)) {
      const added = text.slice((before[app] ?? '').length).split('\n').filter((l) => l.includes('"level":30') && /"req":\{/.test(l));
      const bytes = added.reduce((a, l) => a + Buffer.byteLength(l) + 1, 0);
      total += added.length;
      rows.push(`| ${app} | ${added.length} | ${(added.length / (2 * requests)).toFixed(2)} | ${Math.round(bytes / (2 * requests))} |`);
    }
    process.stdout.write(`${2 * requests} calls through the gateway (${requests} GraphQL, ${requests} partner REST)\n${rows.join('\n')}\nall apps: ${(total / (2 * requests)).toFixed(2)} access-log lines per call\n`);
  } finally {
    await stack.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
