import { Client } from 'pg';
import { TOWN_AREAS, addDays, idNumberCheckChar, localDateInShanghai, type LocalDate } from '@homeward/domain';

/** Towns with an area (every town of the city), and a point well inside each. */
export const BENCH_TOWNS: string[] = Object.keys(TOWN_AREAS).sort();
export function townCentre(code: string): { lat: number; lng: number } {
  const pts = TOWN_AREAS[code];
  const lat = pts.reduce((s, p) => s + p.lat, 0) / pts.length;
  const lng = pts.reduce((s, p) => s + p.lng, 0) / pts.length;
  return { lat, lng };
}

/** A valid 18-digit ID number, unique per `i` (i < 1,000,000). */
export function benchIdNumber(i: number): string {
  const birth = `19${String(60 + (i % 40)).padStart(2, '0')}0${1 + (Math.floor(i / 40) % 9)}${String(10 + (Math.floor(i / 360) % 18))}`;
  const body = `320281${birth}${String(Math.floor(i / 6480) % 1000).padStart(3, '0')}`;
  return `${body}${idNumberCheckChar(body)}`;
}

export interface SeedCounts {
  subjects: number;
  checkIns: number;
  monitorings: number;
  fixes: number;
  seconds: number;
}

async function columns(db: Client, table: string): Promise<string[]> {
  const rows = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'correction' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    [table],
  );
  return rows.rows.map((r) => r.column_name);
}

/**
 * Seeds in SQL what the API would take too long to create: `total - sampled` clones of a subject
 * enrolled through the API (columns copied, so other features' columns keep their defaults or
 * the template's values), all made ACTIVE since ~35 days; a month of weekly check-ins for every
 * subject; one subject in `monitoredEvery` under electronic location with a fix every 2 hours for
 * the month. Returns the counts.
 */
export async function seedSql(databaseUrl: string, total: number, monitoredEvery: number): Promise<SeedCounts> {
  const started = Date.now();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const today = localDateInShanghai(new Date());
    const activatedOn = addDays(today, -35);
    const subjectCols = await columns(db, 'subjects');
    const sampled = Number((await db.query(`SELECT count(*) AS n FROM correction.subjects`)).rows[0].n);
    const clones = Math.max(0, total - sampled);
    const overrides: Record<string, string> = {
      person_key: `encode(sha256(convert_to('bench-' || i, 'UTF8')), 'hex')`,
      town: `(ARRAY[${BENCH_TOWNS.map((t) => `'${t}'`).join(',')}])[1 + (i % ${BENCH_TOWNS.length})]`,
      status: `'ACTIVE'`,
      reported_on: `'${activatedOn}'::date`,
      activated_on: `'${activatedOn}'::date`,
      created_at: `now() - (i % 10000) * interval '1 second'`,
      updated_at: `now()`,
      version: `1`,
    };
    const insertCols = subjectCols.filter((c) => c !== 'id');
    const select = insertCols.map((c) => overrides[c] ?? `t.${c}`).join(', ');
    if (clones > 0) {
      await db.query(
        `INSERT INTO correction.subjects (${insertCols.join(', ')})
         SELECT ${select} FROM generate_series(1, ${clones}) AS i, (SELECT * FROM correction.subjects ORDER BY created_at LIMIT 1) AS t`,
      );
    }
    // The sampled (API) subjects are made ACTIVE too, so every subject is on a caseload.
    const activeSet = ['status = \'ACTIVE\'', `reported_on = '${activatedOn}'`];
    if (subjectCols.includes('activated_on')) activeSet.push(`activated_on = '${activatedOn}'`);
    await db.query(`UPDATE correction.subjects SET ${activeSet.join(', ')} WHERE status = 'PENDING_REPORT'`);

    // A month of weekly check-ins (5 per subject).
    const checkIns = await db.query(
      `INSERT INTO correction.check_ins (subject_id, channel, at, on_date, due_on, days_late, recorded_by, note)
       SELECT s.id, (ARRAY['FACE_TO_FACE','PHONE_VOICE','VIDEO'])[1 + (k % 3)],
              now() - (k * 7 + 1) * interval '1 day', (now() - (k * 7 + 1) * interval '1 day')::date,
              (now() - (k * 7 + 1) * interval '1 day')::date, 0, 'bench', '基准测试'
       FROM correction.subjects s, generate_series(0, 4) AS k`,
    );

    // Electronic location for one subject in `monitoredEvery`, device BENCH-<n>.
    const monitorings = await db.query(
      `INSERT INTO correction.monitorings (subject_id, person_key, town, ground, device_id, approved_by, recorded_by,
              start_date, end_date, starts_at, ends_at, status, last_fix_at)
       SELECT s.id, s.person_key, s.town, 'PROHIBITION_ORDER_BREACH', 'BENCH-' || s.n, '县局负责人', 'bench',
              '${addDays(today, -31)}', '${addDays(today, 58)}', now() - interval '31 days', now() + interval '59 days', 'ACTIVE', now()
       FROM (SELECT id, person_key, town, row_number() OVER (ORDER BY id) AS n FROM correction.subjects) s
       WHERE s.n % ${monitoredEvery} = 0`,
    );
    // A month of fixes, every 2 hours, at the town's centre (inside the allowed area).
    const centres = BENCH_TOWNS.map((t) => {
      const c = townCentre(t);
      return `('${t}', ${c.lat}, ${c.lng})`;
    }).join(',');
    const fixes = await db.query(
      `INSERT INTO correction.location_fixes (monitoring_id, subject_id, device_id, at, lat, lng, accuracy_m, outside, received_at)
       SELECT m.id, m.subject_id, m.device_id, now() - h * interval '2 hours', c.lat + (h % 7) * 0.0001, c.lng, 10, false,
              now() - h * interval '2 hours'
       FROM correction.monitorings m JOIN (VALUES ${centres}) AS c(town, lat, lng) ON c.town = m.town, generate_series(1, 360) AS h
       WHERE m.device_id LIKE 'BENCH-%'`,
    );
    await db.query(`ANALYZE correction.subjects`);
    await db.query(`ANALYZE correction.check_ins`);
    await db.query(`ANALYZE correction.monitorings`);
    await db.query(`ANALYZE correction.location_fixes`);
    const subjects = Number((await db.query(`SELECT count(*) AS n FROM correction.subjects`)).rows[0].n);
    return {
      subjects,
      checkIns: checkIns.rowCount ?? 0,
      monitorings: monitorings.rowCount ?? 0,
      fixes: fixes.rowCount ?? 0,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await db.end();
  }
}

/** The devices under electronic location with their town (for the ingest phase). */
export async function benchDevices(databaseUrl: string): Promise<Array<{ deviceId: string; town: string }>> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const rows = await db.query<{ device_id: string; town: string }>(
      `SELECT device_id, town FROM correction.monitorings WHERE status = 'ACTIVE' AND device_id LIKE 'BENCH-%' ORDER BY device_id`,
    );
    return rows.rows.map((r) => ({ deviceId: r.device_id, town: r.town }));
  } finally {
    await db.end();
  }
}

export interface EnrolOptions {
  /** The first bench index (ID number benchIdNumber(first…first+count-1)); default 0. */
  first?: number;
  /** Each enrolment's milliseconds (request sent → answer read) are pushed here. */
  latencies?: number[];
}

/**
 * Enrols `count` subjects through the gateway as a court (`concurrency` in flight), ID numbers
 * benchIdNumber(first…first+count-1), towns round the city; idempotency keys `<tag>-<i>`. Returns the seconds.
 */
export async function enrolThroughGateway(
  gatewayUrl: string,
  courtToken: string,
  count: number,
  concurrency: number,
  tag: string,
  today: LocalDate,
  opts: EnrolOptions = {},
): Promise<number> {
  const t0 = Date.now();
  const first = opts.first ?? 0;
  let next = first;
  const end = first + count;
  const enrolOne = async (i: number) => {
    const t = process.hrtime.bigint();
    const res = await fetch(`${gatewayUrl}/api/v1/correction/enrolments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${courtToken}`, 'idempotency-key': `${tag}-${i}` },
      body: JSON.stringify({
        person: { idNumber: benchIdNumber(i), name: `基准${i}`, residenceTown: BENCH_TOWNS[i % BENCH_TOWNS.length] },
        sentenceType: 'PROBATION',
        judgmentDocumentNo: `(2026)苏0281刑初B${i}号`,
        judgmentEffectiveDate: today,
        correctionStartDate: today,
        correctionEndDate: addDays(today, 365),
        offence: '盗窃罪',
        decidingAuthority: '江阴市人民法院',
      }),
    });
    if (res.status !== 201) throw new Error(`enrolment ${i}: HTTP ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    opts.latencies?.push(Number(process.hrtime.bigint() - t) / 1e6);
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < end) await enrolOne(next++);
    }),
  );
  return (Date.now() - t0) / 1000;
}

/** `--name <positive number>` from argv, else `dflt`; anything else is an error. */
export function numberArg(argv: readonly string[], name: string, dflt: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}
