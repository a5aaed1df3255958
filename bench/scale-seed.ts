import { Client } from 'pg';
import type { LocalDate } from '@homeward/domain';
import { BENCH_TOWNS } from './seed';

/** The check-in intervals the stack runs with (CHECKIN_INTERVAL_DAYS_* defaults of community-correction). */
export const SCALE_INTERVALS = { STRICT: 7, ORDINARY: 14, LENIENT: 30 } as const;

export interface ScaleSeedCounts {
  subjects: number;
  levels: number;
  checkIns: number;
  monitorings: number;
  watches: number;
  seconds: number;
}

/** A one-line progress bar on stderr, redrawn in place: `[#####.....] 50% subjects 350,000 / 700,000 · 41 s`. */
export function progressBar(label: string, total: number): { tick(done: number): void; end(): void } {
  const started = Date.now();
  const width = 30;
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const draw = (done: number, final = false) => {
    const share = total === 0 ? 1 : Math.min(1, done / total);
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
    const secs = (Date.now() - started) / 1000;
    const eta = share > 0 && share < 1 ? ` · ~${Math.round(secs / share - secs)} s left` : '';
    const line = `[${bar}] ${String(Math.round(share * 100)).padStart(3)}% ${label} ${done.toLocaleString('en')} / ${total.toLocaleString('en')} · ${secs.toFixed(0)} s${eta}`;
    // Without a terminal (CI, a pipe) one line every 10 % instead of redrawing.
    if (tty) process.stderr.write(`\r${line.padEnd(100)}${final ? '\n' : ''}`);
    else if (final || Math.floor(share * 10) > lastLine) {
      lastLine = Math.floor(share * 10);
      process.stderr.write(`${line}\n`);
    }
  };
  return { tick: (done) => draw(done), end: () => draw(total, true) };
}

/**
 * Seeds `total` subjects in SQL, in chunks of `chunk`, cloning a subject enrolled through the API
 * (columns copied, generated ones left to PostgreSQL), each chunk one statement that also writes:
 *
 * - a CC-8 level decision for two subjects in three (ORDINARY, LENIENT; the third stays STRICT);
 * - supervision since 35…364 days ago (judgment, notice and report-in dates before it);
 * - up to five check-ins, one interval apart, the last 1…interval days ago, so 1/interval of the subjects
 *   is due today; one subject in 50 missed its last one (overdue by 1…5 days);
 * - electronic location for one in ten, ending over the next 90 days (a few ended yesterday, still
 *   open: overdue);
 * - an alerts watch per subject (AL-3 correction ending, due over the next year), as enrolment arms.
 *
 * Each subject's check-in clock (migration 1797600000500) is written with the subject, as its
 * triggers would keep it; the triggers are off during the load (session_replication_role = replica:
 * the bench owns the database), their behaviour is shown by caseload.medium-spec.ts. Ends with
 * VACUUM ANALYZE. Progress on stderr.
 */
export async function seedScale(databaseUrl: string, total: number, today: LocalDate, chunk = 50_000): Promise<ScaleSeedCounts> {
  const started = Date.now();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const cols = (
      await db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = 'correction' AND table_name = 'subjects' AND column_name <> 'id' AND is_generated = 'NEVER'
          ORDER BY ordinal_position`,
      )
    ).rows.map((r) => r.column_name);
    const existing = Number((await db.query(`SELECT count(*) AS n FROM correction.subjects`)).rows[0].n);
    if (existing === 0) throw new Error('seedScale needs one subject enrolled through the API to clone');
    const { STRICT, ORDINARY, LENIENT } = SCALE_INTERVALS;
    // Per subject i: j its number within its town (so every town gets every case), its level (two in
    // three have a decision), its interval and the date of its last check-in.
    const j = `(i / ${BENCH_TOWNS.length})`;
    const level = `(ARRAY['STRICT','ORDINARY','LENIENT'])[1 + ${j} % 3]`;
    const iv = `(ARRAY[${STRICT},${ORDINARY},${LENIENT}])[1 + ${j} % 3]`;
    // Supervised since 35…364 days ago (one-year terms: about a twelfth of the city enrolled in a month).
    const act = `(DATE '${today}' - 35 - (${j} % 330))`;
    const lastOn = `CASE WHEN ${j} % 50 = 7 THEN DATE '${today}' - ${iv} - 1 - (${j} % 5) ELSE DATE '${today}' - (1 + (${j} / 3) % ${iv}) END`;
    const towns = `ARRAY[${BENCH_TOWNS.map((t) => `'${t}'`).join(',')}]`;
    const over: Record<string, string> = {
      person_key: `encode(sha256(convert_to('scale-' || i, 'UTF8')), 'hex')`,
      town: `(${towns})[1 + (i % ${BENCH_TOWNS.length})]`,
      status: `'ACTIVE'`,
      reported_on: act,
      activated_on: act,
      correction_start_date: act,
      judgment_effective_date: `${act} - 10`,
      notified_on: `${act} - 8`,
      notice_deadline: `${act} - 5`,
      report_deadline: act,
      created_at: `TIMESTAMPTZ '2020-01-01T00:00:00Z' + i * interval '1 second'`,
      updated_at: `now()`,
      version: `1`,
      // What the triggers of migration 1797600000500 would set (they are off while seeding, below).
      last_check_in_on: lastOn,
      level_now: level,
    };
    const counts = { subjects: 0, levels: 0, checkIns: 0, monitorings: 0, watches: 0 };
    // The bench owns this database: triggers (and FK checks) off for the bulk load, as pg_restore does.
    await db.query(`SET session_replication_role = replica`);
    const bar = progressBar('subjects', total);
    for (let lo = 1; lo <= total; lo += chunk) {
      const hi = Math.min(total, lo + chunk - 1);
      const r = await db.query(
        `WITH ins AS (
           INSERT INTO correction.subjects (${cols.join(', ')})
           SELECT ${cols.map((c) => over[c] ?? `t.${c}`).join(', ')}
             FROM generate_series(${lo}, ${hi}) AS i, (SELECT * FROM correction.subjects ORDER BY created_at LIMIT 1) AS t
           RETURNING id, town, person_key, created_at, level_now, last_check_in_on, activated_on),
         x AS (
           SELECT id, town, person_key, i, i / ${BENCH_TOWNS.length} AS j, level_now AS lv, last_check_in_on AS last_on, activated_on AS act,
                  CASE level_now WHEN 'STRICT' THEN ${STRICT} WHEN 'ORDINARY' THEN ${ORDINARY} ELSE ${LENIENT} END AS iv
             FROM (SELECT *, round(extract(epoch FROM created_at - TIMESTAMPTZ '2020-01-01T00:00:00Z'))::int AS i FROM ins) a),
         levels AS (
           INSERT INTO correction.supervision_levels (subject_id, level, reason, effective_on, decided_by, created_at)
           SELECT id, lv, '基准测试', act + 1, 'bench', (act + 1) + TIME '02:00' FROM x WHERE lv <> 'STRICT'
           RETURNING 1),
         checks AS (
           INSERT INTO correction.check_ins (subject_id, channel, at, on_date, due_on, days_late, recorded_by, note)
           SELECT id, (ARRAY['FACE_TO_FACE','PHONE_VOICE','VIDEO'])[1 + (k % 3)],
                  (last_on - k * iv) + TIME '02:00', last_on - k * iv, last_on - k * iv, 0, 'bench', '基准测试'
             FROM x, generate_series(0, 4) AS k WHERE last_on - k * iv >= act
           RETURNING 1),
         mons AS (
           INSERT INTO correction.monitorings (subject_id, person_key, town, ground, device_id, approved_by, recorded_by,
                  start_date, end_date, starts_at, ends_at, status, last_fix_at)
           SELECT id, person_key, town, 'PROHIBITION_ORDER_BREACH', 'SCALE-' || i, '县局负责人', 'bench',
                  DATE '${today}' - 31, DATE '${today}' + ((j / 10) % 90) - 1, now() - interval '31 days',
                  now() + ((j / 10) % 90) * interval '1 day', 'ACTIVE', now()
             FROM x WHERE j % 10 = 0
           RETURNING 1),
         watches AS (
           INSERT INTO alerts.watches (rule, record_type, record_id, person_key, town, due_at, details, armed_at)
           SELECT 'CC-2.CORRECTION_ENDING', 'correction.subject', id::text, person_key, town,
                  now() + (1 + i % 365) * interval '1 day', '{}'::jsonb, now()
             FROM x
           RETURNING 1)
         SELECT (SELECT count(*) FROM x) AS subjects, (SELECT count(*) FROM levels) AS levels, (SELECT count(*) FROM checks) AS check_ins,
                (SELECT count(*) FROM mons) AS monitorings, (SELECT count(*) FROM watches) AS watches`,
      );
      const row = r.rows[0];
      counts.subjects += Number(row.subjects);
      counts.levels += Number(row.levels);
      counts.checkIns += Number(row.check_ins);
      counts.monitorings += Number(row.monitorings);
      counts.watches += Number(row.watches);
      bar.tick(hi);
    }
    bar.end();
    // VACUUM too: the steady state autovacuum keeps (visibility map set, so counts are index-only scans).
    for (const t of ['correction.subjects', 'correction.check_ins', 'correction.supervision_levels', 'correction.monitorings', 'alerts.watches']) {
      await db.query(`VACUUM ANALYZE ${t}`);
    }
    return { ...counts, seconds: (Date.now() - started) / 1000 };
  } finally {
    await db.end();
  }
}
