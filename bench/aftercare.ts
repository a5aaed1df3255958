/**
 * Aftercare bench (issue 10 "Done when"): `npm run bench:aftercare [-- --notices 5000 --batch 500]`.
 *
 * 1. Starts the whole stack (startStack, real time, no rate limit).
 * 2. A month of release notices from a rehabilitation centre (AC-1) through the gateway, in batches
 *    of --batch (one `POST /api/v1/aftercare/release-notices` each, an Idempotency-Key each, one
 *    after another as a centre sends them): notices/s and the batch p50/p95.
 * 3. In the same run, the same rows with bare `pg`: the notices and cases the service wrote (read
 *    back, already encrypted, given new ids) and one outbox row per notice, inserted batch by batch
 *    in one transaction each (`json_populate_recordset`, one statement per table): notices/s. The
 *    ratio is gateway / bare. What the bare side skips: validation, ID-number parsing, encryption,
 *    the keyed indexes, the duplicate check, the idempotency record, the audit row, HTTP and JWT.
 * Results: a table on stdout and bench/out/aftercare-<time>.json.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
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
  const base = `3202811985${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
  return `${base}${idNumberCheckChar(base)}`;
}

type Row = Record<string, unknown> & { id: string };

async function main(): Promise<void> {
  const notices = arg('notices', 5000);
  const batch = Math.min(arg('batch', 500), 1000);
  const started = Date.now();
  log('starting the stack (six apps, a minute or two on two cores)…');
  const stack: Stack = await startStack({
    clockControl: false,
    env: { FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'), PERSON_KEY_SECRET: randomBytes(32).toString('hex'), RATE_LIMIT_PER_MINUTE: '10000000', LOG_LEVEL: 'warn' },
  });
  const result: Record<string, unknown> = { startedAt: new Date(started).toISOString(), notices, batch };
  const pool = new Pool({ connectionString: stack.databaseUrl, max: 2 });
  try {
    const centre = await stack.partnerToken('REHAB_CENTRE');
    const today = localDateInShanghai(new Date());
    const towns = TOWNS.map((t) => t.code);

    // 2. The month through the gateway, batch after batch.
    const latencies: number[] = [];
    const batches: number[][] = [];
    for (let from = 0; from < notices; from += batch) batches.push(Array.from({ length: Math.min(batch, notices - from) }, (_, k) => from + k));
    const t0 = Date.now();
    for (const [b, indexes] of batches.entries()) {
      const t = Date.now();
      const res = await fetch(`${stack.gatewayUrl}/api/v1/aftercare/release-notices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${centre}`, 'idempotency-key': `BENCH-AC-${started}-${b}` },
        body: JSON.stringify({
          notices: indexes.map((i) => ({
            person: { idNumber: idNumber(i), name: `基准${i}`, residenceTown: towns[i % towns.length], residenceAddress: `基准路${i}号` },
            centreRecordNo: `BENCH-WX-${started}-${i}`,
            releaseDate: addDays(today, 3 + (i % 28)),
            keyPerson: i % 10 === 0,
            communityRehabilitation: i % 4 === 0,
          })),
        }),
      });
      const body = (await res.json()) as { results?: Array<{ status: number }> };
      const accepted = body.results?.filter((r) => r.status === 201).length ?? 0;
      if (res.status !== 207 || accepted !== indexes.length) throw new Error(`batch ${b}: HTTP ${res.status}, ${accepted}/${indexes.length} accepted ${JSON.stringify(body).slice(0, 400)}`);
      latencies.push(Date.now() - t);
    }
    const gatewaySeconds = (Date.now() - t0) / 1000;
    const written = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM aftercare.cases`)).rows[0].n);
    if (written !== notices) throw new Error(`expected ${notices} cases, found ${written}`);
    log(`gateway: ${notices} notices in ${gatewaySeconds.toFixed(1)} s`);

    // 3. The same rows, bare: read back, new ids, inserted batch by batch with their outbox rows.
    const noticeRows = (await pool.query<Row>(`SELECT * FROM aftercare.release_notices ORDER BY created_at, id`)).rows;
    const caseByNotice = new Map((await pool.query<Row & { notice_id: string }>(`SELECT * FROM aftercare.cases`)).rows.map((c) => [c.notice_id, c]));
    const prepared = noticeRows.map((n) => {
      const noticeId = randomUUID();
      const caseId = randomUUID();
      const kase = caseByNotice.get(n.id) as Row;
      return {
        notice: { ...n, id: noticeId, centre_agency: `BARE:${n.centre_agency as string}` },
        kase: { ...kase, id: caseId, notice_id: noticeId },
        outbox: { id: randomUUID(), payload: { noticeId, caseId, personKey: n.person_key, town: n.town, releaseDate: n.release_date, keyPerson: n.key_person, late: n.late, contactDue: kase.contact_due } },
      };
    });
    const bareLatencies: number[] = [];
    const t1 = Date.now();
    for (let from = 0; from < prepared.length; from += batch) {
      const chunk = prepared.slice(from, from + batch);
      const t = Date.now();
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query(`INSERT INTO aftercare.release_notices SELECT * FROM json_populate_recordset(NULL::aftercare.release_notices, $1::json)`, [JSON.stringify(chunk.map((x) => x.notice))]);
        await c.query(`INSERT INTO aftercare.cases SELECT * FROM json_populate_recordset(NULL::aftercare.cases, $1::json)`, [JSON.stringify(chunk.map((x) => x.kase))]);
        await c.query(
          `INSERT INTO aftercare.bus_outbox (id, name, version, payload, occurred_at)
           SELECT (e->>'id')::uuid, 'bench.notice', 1, e->'payload', now() FROM json_array_elements($1::json) e`,
          [JSON.stringify(chunk.map((x) => x.outbox))],
        );
        await c.query('COMMIT');
      } finally {
        c.release();
      }
      bareLatencies.push(Date.now() - t);
    }
    const bareSeconds = (Date.now() - t1) / 1000;
    const bareWritten = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM aftercare.cases`)).rows[0].n) - notices;
    if (bareWritten !== notices) throw new Error(`bare: expected ${notices} more cases, found ${bareWritten}`);
    await pool.query(`DELETE FROM aftercare.bus_outbox WHERE name = 'bench.notice'`);

    result.ingest = {
      batches: batches.length,
      gatewaySeconds: r1(gatewaySeconds),
      gatewayPerSecond: notices / gatewaySeconds,
      batchP50Ms: percentile(latencies, 50),
      batchP95Ms: percentile(latencies, 95),
      bareSeconds: Math.round(bareSeconds * 1000) / 1000,
      barePerSecond: notices / bareSeconds,
      bareBatchP50Ms: percentile(bareLatencies, 50),
      ratio: notices / gatewaySeconds / (notices / bareSeconds),
    };
    log(`ingest: ${JSON.stringify(result.ingest)}`);

    const outDir = path.join(__dirname, 'out');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `aftercare-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    const ingest = result.ingest as Record<string, number>;
    const rows: Array<[string, string]> = [
      [`release notices through the gateway (${ingest.batches} batches of ${batch})`, `${r1(ingest.gatewayPerSecond)} /s (${ingest.gatewaySeconds} s; batch p50 ${ingest.batchP50Ms} ms, p95 ${ingest.batchP95Ms} ms)`],
      ['the same notice + case + outbox rows, bare pg', `${r1(ingest.barePerSecond)} /s (${ingest.bareSeconds} s; batch p50 ${ingest.bareBatchP50Ms} ms)`],
      ['ratio gateway / bare', ingest.ratio.toFixed(3)],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    process.stdout.write(`\nAftercare bench (${notices} notices)\n${'-'.repeat(w + 60)}\n`);
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
    process.stdout.write(`\nwritten to ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await pool.end();
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
