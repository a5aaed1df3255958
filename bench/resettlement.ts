/**
 * Resettlement bench (issue 9 "Done when"): `npm run bench:resettlement [-- --notices 400 --cases 50000]`.
 *
 * 1. Starts the whole stack (startStack, real time, no rate limit).
 * 2. Pre-release notices through the gateway (a prison partner, Idempotency-Key each, 8 in flight):
 *    notices/s and p50/p95; beside it, in the same run, the bare `pg` work of one notice (the row and
 *    its outbox row in one transaction, 8 connections): rows/s. The ratio is gateway / bare.
 * 3. Clones the notices in SQL up to --cases over every town (half of them still to verify or answer).
 * 4. The town office's daily list (`noticesToHandle(first: 20)` for 徐霞客镇) p50/p95 through the
 *    gateway, and the same page and count in bare SQL; the ratio.
 * Results: a table on stdout and bench/out/resettlement-<time>.json.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Pool } from 'pg';
import { TOWNS, addDays, idNumberCheckChar, localDateInShanghai } from '@homeward/domain';
import { Stack, startStack } from '@homeward/testing';

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const r1 = (v: number) => Math.round(v * 10) / 10;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i < 0 ? dflt : Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

function idNumber(i: number): string {
  const base = `3202811990${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
  return `${base}${idNumberCheckChar(base)}`;
}

async function inFlight(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await one(next++);
  }));
}

async function main(): Promise<void> {
  const notices = arg('notices', 400);
  const cases = arg('cases', 50_000);
  const samples = arg('samples', 30);
  const started = Date.now();
  log('starting the stack (six apps, a minute or two on two cores)…');
  const stack: Stack = await startStack({
    clockControl: false,
    env: { FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'), PERSON_KEY_SECRET: randomBytes(32).toString('hex'), RATE_LIMIT_PER_MINUTE: '10000000', LOG_LEVEL: 'warn' },
  });
  const result: Record<string, unknown> = { startedAt: new Date(started).toISOString(), notices, cases };
  try {
    const prison = await stack.partnerToken('PRISON');
    const user = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    const officer = await stack.login(user.username, user.password);
    const today = localDateInShanghai(new Date());

    // 2. Notices through the gateway.
    const latencies: number[] = [];
    const t0 = Date.now();
    await inFlight(notices, 8, async (i) => {
      const t = Date.now();
      const res = await fetch(`${stack.gatewayUrl}/api/v1/resettlement/pre-release-notices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${prison}`, 'idempotency-key': `BENCH-RS-${started}-${i}` },
        body: JSON.stringify({
          person: { idNumber: idNumber(i), name: `基准${i}`, residenceTown: TOWNS[i % TOWNS.length].code },
          prisonerNo: `BENCH-${started}-${i}`,
          expectedReleaseDate: addDays(today, 10 + (i % 50)),
          offence: '盗窃罪',
          sentence: '有期徒刑三年',
          conductInPrison: '一般',
          keyCategories: i % 5 === 0 ? ['POOR_CONDUCT'] : [],
        }),
      });
      if (res.status !== 201) throw new Error(`notice ${i}: HTTP ${res.status} ${await res.text()}`);
      latencies.push(Date.now() - t);
    });
    const gatewaySeconds = (Date.now() - t0) / 1000;

    // 2b. The bare work of one notice: the row (cloned, already encrypted) and its outbox row in one transaction.
    const pool = new Pool({ connectionString: stack.databaseUrl, max: 8 });
    const columns = (
      await pool.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'resettlement' AND table_name = 'pre_release_notices' AND column_name NOT IN ('id', 'prisoner_no_index', 'person_key') ORDER BY ordinal_position`,
      )
    ).rows.map((r) => r.column_name);
    const [template] = (await pool.query<{ id: string }>(`SELECT id FROM resettlement.pre_release_notices LIMIT 1`)).rows;
    const t1 = Date.now();
    await inFlight(notices, 8, async () => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const id = randomUUID();
        await c.query(
          `INSERT INTO resettlement.pre_release_notices (id, person_key, prisoner_no_index, ${columns.join(', ')})
           SELECT $1, md5(random()::text) || md5(random()::text), md5(random()::text) || md5(random()::text), ${columns.join(', ')} FROM resettlement.pre_release_notices WHERE id = $2`,
          [id, template.id],
        );
        await c.query(`INSERT INTO resettlement.bus_outbox (id, name, version, payload, occurred_at) VALUES ($1, 'bench.notice', 1, $2, now())`, [randomUUID(), JSON.stringify({ noticeId: id })]);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    });
    const bareSeconds = (Date.now() - t1) / 1000;
    await pool.query(`DELETE FROM resettlement.bus_outbox WHERE name = 'bench.notice'`);
    result.ingest = {
      gatewayPerSecond: notices / gatewaySeconds,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      barePerSecond: notices / bareSeconds,
      ratio: notices / gatewaySeconds / (notices / bareSeconds),
    };
    log(`ingest: ${JSON.stringify(result.ingest)}`);

    // 3. Clone up to `cases` notices over every town, half still to handle.
    const have = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM resettlement.pre_release_notices`)).rows[0].n);
    const towns = TOWNS.map((t) => t.code);
    await pool.query(
      `INSERT INTO resettlement.pre_release_notices (id, person_key, prisoner_no_index, ${columns.join(', ')})
       SELECT gen_random_uuid(), md5(random()::text) || md5(random()::text), md5(random()::text) || md5(random()::text),
              ${columns
                .map((c) =>
                  c === 'town' || c === 'residence_town_code'
                    ? `($2::text[])[1 + (g % array_length($2::text[], 1))]`
                    : c === 'expected_release_date'
                      ? `CURRENT_DATE + (g % 60)`
                      : c === 'verification'
                        ? `CASE WHEN g % 2 = 0 THEN 'VERIFIED' END`
                        : c === 'receipt_status'
                          ? `CASE WHEN g % 2 = 0 THEN 'SENT' ELSE 'PENDING' END`
                          : c,
                )
                .join(', ')}
         FROM resettlement.pre_release_notices t, generate_series(1, $3) g WHERE t.id = $1`,
      [template.id, towns, Math.max(0, cases - have)],
    );
    await pool.query(`ANALYZE resettlement.pre_release_notices`);
    const total = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM resettlement.pre_release_notices`)).rows[0].n);
    log(`notices in the table: ${total}`);

    // 4. The daily list through the gateway, and its SQL bare.
    const query = `{ noticesToHandle(first: 20) { totalCount pageInfo { endCursor hasNextPage } edges { node { id expectedReleaseDate keyPerson } } } }`;
    const gw: number[] = [];
    for (let i = 0; i < samples + 3; i += 1) {
      const t = process.hrtime.bigint();
      const body = (await stack.graphql(officer, query)) as { errors?: unknown; data?: { noticesToHandle: { edges: unknown[] } } };
      if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 400));
      if (i >= 3) gw.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const client = new Client({ connectionString: stack.databaseUrl });
    await client.connect();
    const bare: number[] = [];
    const where = `town = ANY($1) AND (verification IS NULL OR receipt_status = 'PENDING')`;
    for (let i = 0; i < samples + 3; i += 1) {
      const t = process.hrtime.bigint();
      await client.query(`SELECT * FROM resettlement.pre_release_notices WHERE ${where} ORDER BY expected_release_date, id LIMIT 21`, [['104']]);
      await client.query(`SELECT count(*) FROM resettlement.pre_release_notices WHERE ${where}`, [['104']]);
      if (i >= 3) bare.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    await client.end();
    await pool.end();
    result.dailyList = {
      notices: total,
      gatewayP50Ms: r1(percentile(gw, 50)),
      gatewayP95Ms: r1(percentile(gw, 95)),
      bareP50Ms: r1(percentile(bare, 50)),
      bareP95Ms: r1(percentile(bare, 95)),
      ratioP50: percentile(gw, 50) / percentile(bare, 50),
    };
    log(`daily list: ${JSON.stringify(result.dailyList)}`);

    const outDir = path.join(__dirname, 'out');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `resettlement-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    const ingest = result.ingest as Record<string, number>;
    const list = result.dailyList as Record<string, number>;
    const rows: Array<[string, string]> = [
      ['pre-release notices through the gateway', `${r1(ingest.gatewayPerSecond)} /s (p50 ${ingest.p50Ms} ms, p95 ${ingest.p95Ms} ms, 8 in flight)`],
      ['the same rows + outbox, bare pg', `${r1(ingest.barePerSecond)} /s`],
      ['ratio gateway / bare', ingest.ratio.toFixed(3)],
      [`daily list (noticesToHandle 20) at ${list.notices} notices`, `p50 ${list.gatewayP50Ms} ms, p95 ${list.gatewayP95Ms} ms`],
      ['its SQL (page + count), bare pg', `p50 ${list.bareP50Ms} ms, p95 ${list.bareP95Ms} ms`],
      ['ratio gateway / bare (p50)', list.ratioP50.toFixed(1)],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    process.stdout.write(`\nResettlement bench\n${'-'.repeat(w + 50)}\n`);
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
    process.stdout.write(`\nwritten to ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[bench] failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
