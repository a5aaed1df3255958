/**
 * `npm run test:faults` (issue 14 "Done when"): the fault suite. Not part of `npm test`.
 *
 * Starts the whole stack (libs/testing startStack: a fresh database, the six apps, restarted when they die)
 * on its OWN redis-server (AOF, appendfsync always), then for each fault runs a bounded partner write load
 * (court enrolments through the gateway, an Idempotency-Key on every write, retried with the same key on
 * 5xx / 409 / network errors, and a share of the answered writes sent again with the same key), injects the
 * fault mid-load, and after recovery checks PostgreSQL (as the superuser):
 *
 *   writes answered 2xx · records found · events delivered once (alerts handled the enrolment exactly once and
 *   holds its CC-4 watch) · duplicates (two records for one write, two events for one record, a replay answered
 *   with another id) · stuck keys (IN_PROGRESS) · alerts due vs raised (every enrolment is made with a report
 *   deadline already past, so CC-4 is due at once) · recovery time (fault injected → every invariant holds).
 *
 * Prints one row per fault and exits 1 when a row shows lost > 0, doubled > 0 or stuck > 0.
 * PostgreSQL is found like `npm test` finds it (DATABASE_URL, 127.0.0.1:5432, else embedded); redis-server must
 * be on PATH. FAULTS_WRITES (default 40) sets the writes per fault.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Client } from 'pg';
import { addDays, idNumberCheckChar } from '@homeward/domain';
import { startOwnRedis, startStack, type OwnRedis, type Stack } from '@homeward/testing';
import { discoverPostgres, type Service } from './stack';

const WRITES = Number(process.env.FAULTS_WRITES ?? 40);
const RATE_PER_SECOND = 10;
const WRITE_BUDGET_MS = 150_000;
const SETTLE_TIMEOUT_MS = 150_000;

const log = (m: string): void => {
  process.stdout.write(`[faults ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
};
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface WriteResult {
  key: string;
  doc: string;
  body: string;
  id?: string;
  status?: number | string;
  tries: number;
}

interface Row {
  fault: string;
  writes: number;
  answered: number;
  found: number;
  deliveredOnce: number;
  duplicates: number;
  stuck: number;
  due: number;
  raised: number;
  recoverySeconds: number | null;
  lost: number;
}

interface Fault {
  name: string;
  /** Injects the fault and performs the recovery (returns when the broken part is back). */
  run(): Promise<void>;
}

/** A valid resident ID number unique per (phase, index): Jiangyin region, a birth date from the index, check char computed. */
function idNumber(phase: number, i: number): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + (phase * 1000 + i) * 86_400_000);
  const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `320281${ymd}${String(100 + i).slice(-3)}`;
  return first17 + idNumberCheckChar(first17);
}

class FaultSuite {
  private token = '';
  private db!: Client;
  private phase = 0;

  constructor(
    private readonly stack: Stack,
    private readonly redis: OwnRedis,
  ) {}

  async init(): Promise<void> {
    this.db = new Client({ connectionString: this.stack.databaseUrl });
    await this.db.connect();
    this.token = await this.stack.partnerToken('COURT');
  }

  async close(): Promise<void> {
    await this.db?.end().catch(() => undefined);
  }

  private enrolment(phase: number, i: number, doc: string): string {
    const today = this.stack.today();
    // judgment effective 40 days ago: the CC-4 report deadline has passed, the alert is due at once
    const effective = addDays(today, -40);
    return JSON.stringify({
      person: { idNumber: idNumber(phase, i), name: '王某', residenceTown: '104', residenceAddress: '徐霞客镇璜塘村' },
      sentenceType: 'PROBATION',
      judgmentDocumentNo: doc,
      judgmentEffectiveDate: effective,
      correctionStartDate: effective,
      correctionEndDate: addDays(effective, 400),
      offence: '盗窃罪',
      decidingAuthority: '江阴市人民法院',
    });
  }

  /** POST with one Idempotency-Key until a 2xx (or a final 4xx, or the budget is spent). */
  private async send(w: WriteResult, deadline: number): Promise<void> {
    for (;;) {
      w.tries++;
      try {
        const res = await fetch(`${this.stack.gatewayUrl}/api/v1/correction/enrolments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}`, 'idempotency-key': w.key },
          body: w.body,
          signal: AbortSignal.timeout(20_000),
        });
        const text = await res.text();
        w.status = res.status;
        if (res.status >= 200 && res.status < 300) {
          w.id = (JSON.parse(text) as { id: string }).id;
          return;
        }
        if (res.status < 500 && res.status !== 409 && res.status !== 429 && res.status !== 401) return;
      } catch (error) {
        w.status = (error as Error).name;
      }
      if (Date.now() > deadline) return;
      await sleep(Math.min(2_000, 250 * w.tries));
    }
  }

  async runFault(fault: Fault): Promise<Row> {
    const phase = ++this.phase;
    log(`${fault.name}: ${WRITES} writes at ${RATE_PER_SECOND}/s, fault after ${Math.round(WRITES / 3)}`);
    const writes: WriteResult[] = [];
    const deadline = Date.now() + WRITE_BUDGET_MS;
    const sending: Promise<void>[] = [];
    let injectedAt = 0;
    let faultDone: Promise<void> | undefined;
    for (let i = 0; i < WRITES; i++) {
      const doc = `(2026)苏0281刑初F${phase}-${i}号`;
      const w: WriteResult = { key: `fault-${phase}-${i}`, doc, body: this.enrolment(phase, i, doc), tries: 0 };
      writes.push(w);
      sending.push(this.send(w, deadline));
      if (i === Math.round(WRITES / 3)) {
        injectedAt = Date.now();
        faultDone = fault.run().then(() => log(`${fault.name}: recovery action done after ${((Date.now() - injectedAt) / 1000).toFixed(1)} s`));
      }
      await sleep(1000 / RATE_PER_SECOND);
    }
    await faultDone;
    await Promise.all(sending);
    // some retries with the same key after the answer: they must get the first answer
    let replayMismatches = 0;
    const replays = writes.filter((w, i) => w.id && i % 4 === 0);
    await Promise.all(
      replays.map(async (w) => {
        const again: WriteResult = { ...w, id: undefined, tries: 0 };
        await this.send(again, Date.now() + 60_000);
        if (again.id !== w.id) replayMismatches++;
      }),
    );

    let row = await this.verify(fault.name, writes, replayMismatches);
    let recoverySeconds: number | null = null;
    const settleUntil = Date.now() + SETTLE_TIMEOUT_MS;
    while (!this.healthy(row) && Date.now() < settleUntil) {
      await sleep(1_000);
      row = await this.verify(fault.name, writes, replayMismatches);
    }
    if (this.healthy(row)) recoverySeconds = (Date.now() - injectedAt) / 1000;
    const unanswered = writes.filter((w) => !w.id);
    if (unanswered.length) log(`${fault.name}: ${unanswered.length} writes without a 2xx, last answers: ${[...new Set(unanswered.map((w) => String(w.status)))].join(', ')}`);
    return { ...row, recoverySeconds };
  }

  private healthy(r: Row): boolean {
    return r.answered === r.writes && r.found === r.answered && r.deliveredOnce === r.found && r.raised === r.due && r.stuck === 0 && r.duplicates === 0;
  }

  private async verify(name: string, writes: WriteResult[], replayMismatches: number): Promise<Row> {
    const ids = writes.filter((w) => w.id).map((w) => w.id as string);
    const docs = writes.map((w) => w.doc);
    const q = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await this.db.query(sql, params)).rows as T[];
    const [{ found }] = await q<{ found: number }>(`SELECT count(*)::int AS found FROM correction.subjects WHERE id::text = ANY($1)`, [ids]);
    const [{ extra }] = await q<{ extra: number }>(
      `SELECT coalesce(sum(n - 1), 0)::int AS extra FROM (SELECT count(*) AS n FROM correction.subjects WHERE judgment_document_no = ANY($1) GROUP BY judgment_document_no) g`,
      [docs],
    );
    const [{ events }] = await q<{ events: number }>(
      `SELECT coalesce(sum(n - 1), 0)::int AS events FROM (SELECT count(*) AS n FROM correction.bus_outbox
         WHERE name = 'correction.subject.enrolled' AND payload->>'subjectId' = ANY($1) GROUP BY payload->>'subjectId') g`,
      [ids],
    );
    const [{ delivered }] = await q<{ delivered: number }>(
      `SELECT count(*)::int AS delivered FROM correction.bus_outbox o
         WHERE o.name = 'correction.subject.enrolled' AND o.payload->>'subjectId' = ANY($1)
           AND (SELECT count(*) FROM alerts.bus_inbox i WHERE i.event_id = o.id AND i.handler = 'CorrectionEventsHandler.onEnrolled') = 1
           AND EXISTS (SELECT 1 FROM alerts.watches w WHERE w.rule = 'CC-4.NOT_REPORTED' AND w.record_id = o.payload->>'subjectId')`,
      [ids],
    );
    const [{ stuck }] = await q<{ stuck: number }>(`SELECT count(*)::int AS stuck FROM correction.idempotency_keys WHERE state = 'IN_PROGRESS'`);
    const [{ raised }] = await q<{ raised: number }>(
      `SELECT count(DISTINCT record_id)::int AS raised FROM alerts.alerts WHERE rule = 'CC-4.NOT_REPORTED' AND record_id = ANY($1)`,
      [ids],
    );
    const duplicates = extra + events + replayMismatches;
    const due = found;
    const lost = ids.length - found + (found - Math.min(found, delivered)) + (due - Math.min(due, raised));
    return { fault: name, writes: writes.length, answered: ids.length, found, deliveredOnce: delivered, duplicates, stuck, due, raised, recoverySeconds: null, lost };
  }

  faults(): Fault[] {
    const stack = this.stack;
    const redis = this.redis;
    const dbName = new URL(stack.databaseUrl).pathname.slice(1);
    return [
      {
        name: 'redis SIGKILL, data kept',
        run: async () => {
          await redis.kill();
          await sleep(3_000);
          await redis.start();
        },
      },
      {
        name: 'redis SIGKILL, data wiped',
        run: async () => {
          await redis.kill();
          redis.wipe();
          await sleep(3_000);
          await redis.start();
        },
      },
      {
        name: 'consumer SIGKILL (alerts)',
        run: async () => {
          await stack.killApp('alerts');
          await stack.waitAppReady('alerts');
        },
      },
      {
        name: 'producer SIGKILL (correction)',
        run: async () => {
          await stack.killApp('community-correction');
          await stack.waitAppReady('community-correction');
        },
      },
      {
        name: 'db connections terminated',
        run: async () => {
          for (let i = 0; i < 3; i++) {
            await this.db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [dbName]);
            await sleep(1_000);
          }
        },
      },
    ];
  }
}

function table(rows: Row[]): string {
  const head = ['fault', 'writes', '2xx', 'records found', 'delivered once', 'duplicates', 'stuck keys', 'alerts due/raised', 'lost', 'recovery s'];
  const body = rows.map((r) => [
    r.fault,
    String(r.writes),
    String(r.answered),
    String(r.found),
    String(r.deliveredOnce),
    String(r.duplicates),
    String(r.stuck),
    `${r.due}/${r.raised}`,
    String(r.lost),
    r.recoverySeconds === null ? 'not recovered' : r.recoverySeconds.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

async function main(): Promise<number> {
  const started = Date.now();
  let pg: Service | undefined;
  let redis: OwnRedis | undefined;
  let stack: Stack | undefined;
  let suite: FaultSuite | undefined;
  try {
    if (spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).status !== 0) {
      process.stderr.write(
        'test:faults needs its own redis-server on PATH (it kills and restarts it) / 需要 PATH 中有 redis-server\n' +
          '  Debian/Ubuntu: sudo apt-get install redis-server   macOS: brew install redis\n',
      );
      return 2;
    }
    pg = await discoverPostgres({ dataDir: path.join(__dirname, '..', '.data'), log });
    process.env.DATABASE_URL = pg.url;
    redis = await startOwnRedis({ persist: true });
    log(`PostgreSQL ${pg.source}; own redis-server on port ${redis.port} (AOF, fsync always); starting the stack…`);
    stack = await startStack({
      redisUrl: redis.url,
      restartApps: true,
      // the apps' clock is real time: a wiped Redis would also wipe a moved clock's offset
      clockControl: false,
      env: { RATE_LIMIT_PER_MINUTE: '100000', BUS_RECONCILE_AFTER_MS: '5000', LOG_LEVEL: 'warn' },
    });
    log(`stack up after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    suite = new FaultSuite(stack, redis);
    await suite.init();
    const rows: Row[] = [];
    for (const fault of suite.faults()) {
      const row = await suite.runFault(fault);
      rows.push(row);
      log(`${fault.name}: ${row.answered}/${row.writes} answered, lost ${row.lost}, duplicates ${row.duplicates}, stuck ${row.stuck}`);
    }
    process.stdout.write(`\n${table(rows)}\n\n`);
    const failed = rows.filter((r) => r.lost > 0 || r.duplicates > 0 || r.stuck > 0 || r.answered < r.writes || r.recoverySeconds === null);
    log(`${rows.length} faults in ${((Date.now() - started) / 1000).toFixed(0)} s: ${failed.length ? `${failed.length} FAILED / 失败` : 'nothing lost, nothing doubled, nothing stuck / 无丢失、无重复、无卡住'}`);
    return failed.length ? 1 : 0;
  } finally {
    await suite?.close();
    await stack?.stop().catch((e: Error) => log(`stack stop: ${e.message}`));
    await redis?.stop().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test:faults failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
