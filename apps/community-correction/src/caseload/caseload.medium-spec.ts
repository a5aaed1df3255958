import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind, Role } from '@homeward/domain';
import { FieldCipher, FixedClock, PersonKeys } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { enrolmentPayload, TEST_FIELD_ENCRYPTION_KEY } from '@homeward/testing';
import { CorrectionApp, assignSocialWorker, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(90_000);

const ID = '11010519491231002X';
const OTHER_ID = '320281198506151237';
const PERSON_KEY_SECRET = 'medium-test-person-key-secret-0123456789';
const CLONES = 200;
/** Person columns are FieldCipher tokens, names found by their blind index (issue 6 item 2). */
const cipher = new FieldCipher({ FIELD_ENCRYPTION_KEY: TEST_FIELD_ENCRYPTION_KEY });
const nameIdx = (name: string) => new PersonKeys({ PERSON_KEY_SECRET }).nameIndex(name);
const cloneName = (i: number) => `张${String(i).padStart(3, '0')}`;

/** The fields the staff list (and bench/run.ts) shows per row, plus the CC-10 flag. */
const ROW = `id name status statusLabel reportDeadline town { code name } person { key maskedIdNumber } keyPerson
  supervision { level levelLabel checkInIntervalDays } compliance { checkInsDue checkInsDone overdueDays nextCheckInDue }`;
const CASELOAD = `query($first: Int!, $after: String, $status: CorrectionStatus, $level: SupervisionLevel, $keyPerson: Boolean, $town: String) {
  caseload(first: $first, after: $after, status: $status, level: $level, keyPerson: $keyPerson, town: $town) {
    totalCount pageInfo { endCursor hasNextPage } edges { cursor node { ${ROW} } } } }`;
/** The same list with a light selection: 200 rows of it fit the cost limit (the full ROW costs ~124 a row). */
const CASELOAD_IDS = `query($first: Int!) { caseload(first: $first) { totalCount edges { node { id } } } }`;
const SEARCH = `query($q: String!, $first: Int) { searchSubjects(query: $q, first: $first) { totalCount edges { node { id name town { code } } } } }`;
const DUE = `kind kindLabel subjectId recordId name town { code name } dueOn`;

describe('staff daily queries: caseload, due today, overdue, search (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z')); // 2026-11-20 in Shanghai
  const court = keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: 30 * 86_400, now: clock.now() });
  const officer104 = keys.mint(staffPrincipal({ towns: ['104'] }), { expiresInSeconds: 30 * 86_400, now: clock.now() });
  const officer107 = keys.mint(staffPrincipal({ towns: ['107'] }), { expiresInSeconds: 30 * 86_400, now: clock.now() });
  const socialWorker104Principal = staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'] });
  const socialWorker104 = keys.mint(socialWorker104Principal, { expiresInSeconds: 30 * 86_400, now: clock.now() });

  /** Counts the SQL statements TypeORM sends while serving one request (background relays/workers excluded). */
  const als = new AsyncLocalStorage<{ statements: string[] }>();
  let lastCount = 0;
  let lastStatements: string[] = [];

  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  // The superuser's view (svc.db): the app's own role may not read audit.events (issue 6 item 3).
  const count = async (sql: string, params: unknown[] = []) => Number((await svc.db.query<{ n: string }>(sql, params))[0].n);
  const enrol = (idNumber: string, name: string, town: string, judgment: string, key: string) =>
    request(app.getHttpServer())
      .post('/api/v1/correction/enrolments')
      .set('authorization', `Bearer ${court}`)
      .set('idempotency-key', key)
      .send(enrolmentPayload({ idNumber, name, town, on: judgment, until: '2027-11-19' }, { judgmentDocumentNo: `(2026)苏0281刑初${key}号` }))
      .expect(201);
  const idOf = async (name: string): Promise<string> => (await ds.query(`SELECT id FROM correction.subjects WHERE name_index = $1`, [nameIdx(name)]))[0].id;

  let wang: string;
  let li: string;

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc-caseload', clock, keys, env: { PERSON_KEY_SECRET } });
    ({ app, dataSource: ds } = svc);

    const logger = ds.logger;
    const counting = new Proxy(logger, {
      get(target, prop, receiver) {
        if (prop === 'logQuery') {
          return (q: string, params?: unknown[], runner?: unknown) => {
            als.getStore()?.statements.push(q);
            return target.logQuery(q, params, runner as never);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    Object.defineProperty(ds, 'logger', { value: counting, configurable: true, writable: true });
    const server = app.getHttpServer();
    const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const store = req.headers['x-count-statements'] ? { statements: [] as string[] } : undefined;
      if (store) res.on('finish', () => ((lastCount = store.statements.length), (lastStatements = store.statements)));
      const handle = () => listeners.forEach((l) => l.call(server, req, res));
      if (store) als.run(store, handle);
      else handle();
    });

    // 王某 in 104 (PENDING_REPORT, reports by 11-30) and 李某 in 107 (judgment 11-10: reports by 11-20, today).
    wang = (await enrol(ID, '王某', '104', '2026-11-20', 'W1')).body.id;
    li = (await enrol(OTHER_ID, '李某', '107', '2026-11-10', 'L1')).body.id;

    // 200 ACTIVE clones in 104, 张001…张200, activated 11-18: next check-in 11-25 (STRICT, 7 days).
    const cols: string[] = (
      await ds.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'correction' AND table_name = 'subjects' AND column_name <> 'id' AND is_generated = 'NEVER'`)
    ).map((r: { column_name: string }) => r.column_name);
    const over: Record<string, string> = {
      person_key: `md5('clone' || i) || md5('key' || i)`,
      name_cipher: `($2::text[])[i]`,
      name_index: `($3::text[])[i]`,
      status: `'ACTIVE'`,
      reported_on: `DATE '2026-11-18'`,
      activated_on: `DATE '2026-11-18'`,
      created_at: `t.created_at - i * interval '1 second'`,
      updated_at: `t.created_at`,
    };
    await ds.query(
      `INSERT INTO correction.subjects (${cols.join(', ')})
       SELECT ${cols.map((c) => over[c] ?? `t.${c}`).join(', ')}
       FROM generate_series(1, ${CLONES}) AS i, (SELECT * FROM correction.subjects WHERE id = $1) AS t`,
      [
        wang,
        Array.from({ length: CLONES }, (_, k) => cipher.encrypt(cloneName(k + 1))),
        Array.from({ length: CLONES }, (_, k) => nameIdx(cloneName(k + 1))),
      ],
    );
    // 张001: activated 11-13 → check-in due today. 张002: last check-in 11-05 → overdue (11-12).
    // 张003: ORDINARY (14 days), activated 11-06 → due today (STRICT would be 11-13, overdue).
    await ds.query(`UPDATE correction.subjects SET activated_on = '2026-11-13', reported_on = '2026-11-13' WHERE name_index = '${nameIdx('张001')}'`);
    await ds.query(`UPDATE correction.subjects SET activated_on = '2026-11-01', reported_on = '2026-11-01' WHERE name_index = '${nameIdx('张002')}'`);
    await ds.query(
      `INSERT INTO correction.check_ins (subject_id, channel, at, on_date, due_on, recorded_by) VALUES ($1, 'FACE_TO_FACE', '2026-11-05T02:00:00Z', '2026-11-05', '2026-11-08', 't')`,
      [await idOf('张002')],
    );
    await ds.query(`UPDATE correction.subjects SET activated_on = '2026-11-06', reported_on = '2026-11-06' WHERE name_index = '${nameIdx('张003')}'`);
    await ds.query(
      `INSERT INTO correction.supervision_levels (subject_id, level, reason, effective_on, decided_by) VALUES ($1, 'ORDINARY', '表现良好', '2026-11-06', 't')`,
      [await idOf('张003')],
    );
    // 张004: key person of 104 in the November determination.
    const [det] = await ds.query(
      `INSERT INTO correction.key_person_determinations (town, month, version, recorded_by) VALUES ('104', '2026-11', 1, 't') RETURNING id`,
    );
    await ds.query(
      `INSERT INTO correction.key_person_entries (determination_id, subject_id, reasons, flag_level, transformation_progress) VALUES ($1, $2, '{再犯风险}', 'TOWN', 'NOT_STARTED')`,
      [det.id, await idOf('张004')],
    );
    // 张005: electronic location ends today. 张006: leave ended yesterday, not back.
    await ds.query(
      `INSERT INTO correction.monitorings (subject_id, person_key, town, ground, device_id, approved_by, recorded_by, start_date, end_date, starts_at, ends_at, status)
       SELECT id, person_key, town, 'PROHIBITION_ORDER_BREACH', 'DEV-5', '县局负责人', 't', '2026-09-21', '2026-11-20', '2026-09-20T16:00:00Z', '2026-11-20T16:00:00Z', 'ACTIVE'
       FROM correction.subjects WHERE name_index = '${nameIdx('张005')}'`,
    );
    await ds.query(
      `INSERT INTO correction.leaves (subject_id, person_key, town, kind, destination_cipher, reason, start_date, end_date, approval_level, status, requested_by)
       SELECT id, person_key, town, 'LEAVE', '${cipher.encrypt('无锡')}', '探亲', '2026-11-15', '2026-11-19', 'JUSTICE_OFFICE', 'APPROVED', 't'
       FROM correction.subjects WHERE name_index = '${nameIdx('张006')}'`,
    );
    // An investigation assessment in 104 due today; a procuratorate notice on 张007 whose reply was due 11-18.
    await ds.query(
      `INSERT INTO correction.investigations (person_key, id_number_cipher, masked_id_number, name_cipher, name_index, town, requester_agency_id, requester_agency_kind,
         requesting_document_no, proposed_sentence_type, expedited, offence_cipher, received_date, original_due_date, due_date, status)
       VALUES (md5('inv') || md5('inv2'), 'x', '320281********0000', $1, $2, '104', 'court-1', 'COURT', '(2026)委托1号', 'PROBATION', false, $3,
         '2026-11-06', '2026-11-20', '2026-11-20', 'PENDING')`,
      [cipher.encrypt('赵某'), nameIdx('赵某'), cipher.encrypt('盗窃罪')],
    );
    await ds.query(
      `INSERT INTO correction.procuratorate_notices (subject_id, person_key, town, agency_id, kind, document_no, issued_date, content_cipher, reply_due, status)
       SELECT id, person_key, town, 'proc-1', 'SUGGESTION', '(2026)检建1号', '2026-11-03', '${cipher.encrypt('建议加强监管')}', '2026-11-18', 'RECEIVED'
       FROM correction.subjects WHERE name_index = '${nameIdx('张007')}'`,
    );
  });

  afterAll(async () => {
    await svc?.close();
  });

  describe('caseload', () => {
    it('lists the open cases of the caller\'s towns only, newest first, keyset-paginated', async () => {
      const first = await gql(officer104, CASELOAD, { first: 2 }).expect(200);
      expect(first.body.errors).toBeUndefined();
      const page = first.body.data.caseload;
      expect(page.totalCount).toBe(CLONES + 1);
      expect(page.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['王某', '张001']);
      expect(page.pageInfo.hasNextPage).toBe(true);
      const next = (await gql(officer104, CASELOAD, { first: 2, after: page.pageInfo.endCursor }).expect(200)).body.data.caseload;
      expect(next.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['张002', '张003']);

      const other = (await gql(officer107, CASELOAD, { first: 40 }).expect(200)).body.data.caseload;
      expect(other.totalCount).toBe(1);
      expect(other.edges[0].node).toMatchObject({ id: li, name: '李某', town: { code: '107' } });
      const asked = (await gql(officer107, CASELOAD, { first: 20, town: '104' }).expect(200)).body.data.caseload;
      expect(asked).toMatchObject({ totalCount: 0, edges: [] });
    });

    it('issue 6 item 7: a social worker\'s caseload is the subjects assigned to it, not its whole town', async () => {
      expect((await gql(socialWorker104, CASELOAD, { first: 1 }).expect(200)).body.data.caseload.totalCount).toBe(0);
      await assignSocialWorker(svc, officer104, wang, socialWorker104Principal.sub);
      const res = (await gql(socialWorker104, CASELOAD, { first: 5 }).expect(200)).body.data.caseload;
      expect(res.totalCount).toBe(1);
      expect(res.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([wang]);
    });

    it('filters by status, by CC-8 level in force and by CC-10 key person, with the per-row fields', async () => {
      const pending = (await gql(officer104, CASELOAD, { first: 20, status: 'PENDING_REPORT' }).expect(200)).body.data.caseload;
      expect(pending.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([wang]);

      const ordinary = (await gql(officer104, CASELOAD, { first: 20, level: 'ORDINARY' }).expect(200)).body.data.caseload;
      expect(ordinary.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['张003']);
      expect(ordinary.edges[0].node.supervision).toMatchObject({ level: 'ORDINARY', levelLabel: '普管', checkInIntervalDays: 14 });
      const strict = (await gql(officer104, CASELOAD, { first: 1, level: 'STRICT' }).expect(200)).body.data.caseload;
      expect(strict.totalCount).toBe(CLONES + 1 - 1);

      const key = (await gql(officer104, CASELOAD, { first: 20, keyPerson: true }).expect(200)).body.data.caseload;
      expect(key.edges.map((e: { node: { name: string; keyPerson: boolean } }) => [e.node.name, e.node.keyPerson])).toEqual([['张004', true]]);
      const notKey = (await gql(officer104, CASELOAD, { first: 5, keyPerson: false }).expect(200)).body.data.caseload;
      expect(notKey.totalCount).toBe(CLONES);
      expect(notKey.edges.every((e: { node: { keyPerson: boolean } }) => !e.node.keyPerson)).toBe(true);
    });

    it('refuses a page larger than 200 as BAD_USER_INPUT', async () => {
      const res = await gql(officer104, CASELOAD_IDS, { first: 201 }).expect(200);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('issue 6 item 12: a full-row page of 200 costs over the limit and is refused before it runs, like the literal', async () => {
      const before = await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.caseload.list'`);
      const res = await gql(officer104, CASELOAD, { first: 200 });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(/Cost limit of 5000 exceeded/);
      expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.caseload.list'`)).toBe(before);
    });

    it('writes exactly one audit row per caseload query, whatever the page size', async () => {
      const before = await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.caseload.list'`);
      await gql(officer104, CASELOAD_IDS, { first: 200 }).expect(200);
      expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.caseload.list'`)).toBe(before + 1);
    });

    it('issue 13 S5: a page that does not ask for totalCount runs no COUNT; one that does still gets the count', async () => {
      const counts = () => lastStatements.filter((q) => /COUNT\(/i.test(q)).length;
      const without = await gql(officer104, `query($first: Int!) { caseload(first: $first) { pageInfo { hasNextPage } edges { node { id } } } }`, { first: 20 })
        .set('x-count-statements', '1')
        .expect(200);
      expect(without.body.errors).toBeUndefined();
      expect(without.body.data.caseload.edges).toHaveLength(20);
      expect(without.body.data.caseload.pageInfo.hasNextPage).toBe(true);
      expect(counts()).toBe(0);
      const fragment = await gql(officer104, `query($first: Int!) { caseload(first: $first) { ...Counted edges { node { id } } } } fragment Counted on CorrectionSubjectConnection { totalCount }`, { first: 20 })
        .set('x-count-statements', '1')
        .expect(200);
      expect(fragment.body.errors).toBeUndefined();
      expect(counts()).toBe(1);
      const all = await gql(officer104, CASELOAD_IDS, { first: 200 }).expect(200);
      expect(fragment.body.data.caseload.totalCount).toBe(all.body.data.caseload.totalCount);
      expect(all.body.data.caseload.totalCount).toBeGreaterThan(20);
    });

    // 40 full rows is the largest page under the cost limit (issue 6 item 12); 10 vs 40 still shows the batching.
    it('issues the same number of SQL statements for 40 rows as for 10 (batched per-row fields)', async () => {
      const run = async (first: number) => {
        const res = await gql(officer104, CASELOAD, { first }).set('x-count-statements', '1').expect(200);
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.caseload.edges).toHaveLength(first);
        expect(res.body.data.caseload.edges.every((e: { node: { supervision: unknown } }) => e.node.supervision)).toBe(true);
        return lastCount;
      };
      await run(10); // warm-up
      const ten = await run(10);
      const forty = await run(40);
      expect(ten).toBeGreaterThan(2);
      expect(forty).toBe(ten);
      process.stderr.write(`caseload statements: first 10 → ${ten}, first 40 → ${forty}\n`);
    });

    it('issue 13 S5: supervision and compliance reuse the page\'s rows and read the levels in force once', async () => {
      const res = await gql(officer104, `query { caseload(first: 20) { edges { node { id status supervision { level } compliance { nextCheckInDue overdueDays } } } } }`)
        .set('x-count-statements', '1')
        .expect(200);
      expect(res.body.errors).toBeUndefined();
      const nodes: { status: string; supervision: unknown; compliance: unknown }[] = res.body.data.caseload.edges.map((e: { node: unknown }) => e.node);
      expect(nodes).toHaveLength(20);
      expect(nodes.every((n) => n.supervision && (n.status !== 'ACTIVE' || n.compliance))).toBe(true);
      expect(nodes.filter((n) => n.compliance).length).toBeGreaterThan(10);
      const from = (table: string) => lastStatements.filter((q) => new RegExp(`FROM "?correction"?\\."?${table}"?`, 'i').test(q)).length;
      expect(from('subjects')).toBe(1); // the page only
      expect(from('supervision_levels')).toBe(1); // shared by both fields
      expect(from('check_ins')).toBe(1);
    });
  });

  describe('searchSubjects', () => {
    it('finds a person by ID number through the personKey (lower-case x accepted), only in the caller\'s towns', async () => {
      const res = (await gql(officer104, SEARCH, { q: ID.toLowerCase() }).expect(200)).body.data.searchSubjects;
      expect(res.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([wang]);
      const other = (await gql(officer107, SEARCH, { q: ID }).expect(200)).body.data.searchSubjects;
      expect(other).toMatchObject({ totalCount: 0, edges: [] });
    });

    it('a wrong check digit is a typed BAD_USER_INPUT on query, and the audit row names the kind, never the number', async () => {
      const res = await gql(officer104, SEARCH, { q: '110105194912310021' }).expect(200);
      expect(res.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
      expect(res.body.errors[0].message).not.toContain('110105194912310021');
      const rows = await svc.db.query<{ details: { queryKind: string } }>(`SELECT details FROM audit.events WHERE action = 'correction.subject.search'`);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.details.queryKind)).toContain('ID_NUMBER');
      expect(JSON.stringify(rows)).not.toContain(ID);
    });

    it('issue 6 item 2: finds by the exact full name (blind index), not by a prefix or a LIKE pattern, only in the caller\'s towns', async () => {
      const res = (await gql(officer104, SEARCH, { q: '张005', first: 20 }).expect(200)).body.data.searchSubjects;
      expect(res.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['张005']);
      expect((await gql(officer104, SEARCH, { q: ' 张005 ' }).expect(200)).body.data.searchSubjects.totalCount).toBe(1);
      expect((await gql(officer104, SEARCH, { q: '张00' }).expect(200)).body.data.searchSubjects.totalCount).toBe(0);
      expect((await gql(officer104, SEARCH, { q: '张_01' }).expect(200)).body.data.searchSubjects.totalCount).toBe(0);
      expect((await gql(officer104, SEARCH, { q: '%' }).expect(200)).body.data.searchSubjects.totalCount).toBe(0);
      expect((await gql(officer107, SEARCH, { q: '张005' }).expect(200)).body.data.searchSubjects.totalCount).toBe(0);
    });
  });

  describe('dueToday / overdue (FixedClock)', () => {
    const due = async (token: string, field: 'dueToday' | 'overdue', town?: string) => {
      const res = await gql(token, `query($town: String) { ${field}(town: $town) { ${DUE} } }`, { town }).expect(200);
      expect(res.body.errors).toBeUndefined();
      return res.body.data[field] as Array<{ kind: string; kindLabel: string; subjectId: string | null; recordId: string; name: string | null; town: { code: string }; dueOn: string }>;
    };
    const brief = (items: Awaited<ReturnType<typeof due>>) => items.map((i) => `${i.kind}:${i.name}:${i.dueOn}`).sort();

    afterEach(() => clock.set(new Date('2026-11-20T02:00:00Z')));

    it('CC-9/CC-12/CC-14: due today in 104 — check-ins by the level in force, location end, assessment', async () => {
      const items = await due(officer104, 'dueToday');
      expect(brief(items)).toEqual(
        ['ASSESSMENT:赵某:2026-11-20', 'CHECK_IN:张001:2026-11-20', 'CHECK_IN:张003:2026-11-20', 'MONITORING_END:张005:2026-11-20'].sort(),
      );
      const assessment = items.find((i) => i.kind === 'ASSESSMENT')!;
      expect(assessment).toMatchObject({ subjectId: null, kindLabel: '调查评估到期', town: { code: '104' } });
    });

    it('CC-4: 107 sees its own report-in due today, nothing of 104', async () => {
      const items = await due(officer107, 'dueToday');
      expect(items).toEqual([
        { kind: 'REPORT_IN', kindLabel: '报到期限', subjectId: li, recordId: li, name: '李某', town: { code: '107', name: '华士镇' }, dueOn: '2026-11-20' },
      ]);
      expect(await due(officer107, 'dueToday', '104')).toEqual([]);
    });

    it('CC-9/CC-13/CC-16: overdue in 104 — missed check-in, leave not back, reply not sent', async () => {
      expect(brief(await due(officer104, 'overdue'))).toEqual(
        ['CHECK_IN:张002:2026-11-12', 'LEAVE_END:张006:2026-11-19', 'PROCURATORATE_REPLY:张007:2026-11-18'].sort(),
      );
    });

    it('moving the clock a day on: today\'s items become overdue, and the clones\' check-ins fall due on 11-25', async () => {
      clock.set(new Date('2026-11-21T02:00:00Z'));
      const overdue = brief(await due(officer104, 'overdue'));
      expect(overdue).toEqual(
        expect.arrayContaining(['ASSESSMENT:赵某:2026-11-20', 'CHECK_IN:张001:2026-11-20', 'CHECK_IN:张003:2026-11-20', 'MONITORING_END:张005:2026-11-20']),
      );
      expect(overdue).toHaveLength(7);
      clock.set(new Date('2026-11-25T02:00:00Z'));
      const today = await due(officer104, 'dueToday');
      expect(today.filter((i) => i.kind === 'CHECK_IN')).toHaveLength(CLONES - 3);
      // 王某 (PENDING_REPORT) reports by 11-30.
      clock.set(new Date('2026-11-30T02:00:00Z'));
      expect((await due(officer104, 'dueToday')).filter((i) => i.kind === 'REPORT_IN').map((i) => i.subjectId)).toEqual([wang]);
    });

    it('issue 13 S5 (CC-8/CC-9): the lists follow check-ins and level decisions as they are recorded, corrected and removed', async () => {
      const zhang1 = await idOf('张001');
      const zhang2 = await idOf('张002');
      const today = async () => brief(await due(officer104, 'dueToday')).filter((b) => b.startsWith('CHECK_IN'));
      const late = async () => brief(await due(officer104, 'overdue')).filter((b) => b.startsWith('CHECK_IN'));
      // 张001 reports today: no longer due today; next due 11-27.
      const [ci] = await ds.query(
        `INSERT INTO correction.check_ins (subject_id, channel, at, on_date, due_on, recorded_by) VALUES ($1, 'FACE_TO_FACE', '2026-11-20T02:00:00Z', '2026-11-20', '2026-11-20', 't') RETURNING id`,
        [zhang1],
      );
      expect(await today()).toEqual(['CHECK_IN:张003:2026-11-20']);
      // The date corrected to 11-13 (a week ago): due again today.
      await ds.query(`UPDATE correction.check_ins SET on_date = '2026-11-13' WHERE id = $1`, [ci.id]);
      expect(await today()).toEqual(['CHECK_IN:张001:2026-11-20', 'CHECK_IN:张003:2026-11-20']);
      await ds.query(`DELETE FROM correction.check_ins WHERE id = $1`, [ci.id]);
      expect(await today()).toEqual(['CHECK_IN:张001:2026-11-20', 'CHECK_IN:张003:2026-11-20']);
      // 张002 (last check-in 11-05) made LENIENT: due 12-05, not overdue; made STRICT again: overdue since 11-12.
      await ds.query(
        `INSERT INTO correction.supervision_levels (subject_id, level, reason, effective_on, decided_by, created_at) VALUES ($1, 'LENIENT', '表现良好', '2026-11-20', 't', '2026-11-20T01:00:00Z')`,
        [zhang2],
      );
      expect(await late()).toEqual([]);
      await ds.query(
        `INSERT INTO correction.supervision_levels (subject_id, level, reason, effective_on, decided_by, created_at) VALUES ($1, 'STRICT', '复查', '2026-11-20', 't', '2026-11-20T01:30:00Z')`,
        [zhang2],
      );
      expect(await late()).toEqual(['CHECK_IN:张002:2026-11-12']);
      await ds.query(`DELETE FROM correction.supervision_levels WHERE subject_id = $1`, [zhang2]);
      expect(await late()).toEqual(['CHECK_IN:张002:2026-11-12']);
    });

    it('issue 13 S5: first/after page through a due list in its order, the pages together are the whole list; a bad cursor is a typed error', async () => {
      clock.set(new Date('2026-11-21T02:00:00Z'));
      const whole = await due(officer104, 'overdue');
      expect(whole.length).toBeGreaterThan(4);
      const pages: Array<typeof whole> = [];
      let after: string | undefined;
      for (;;) {
        const res = await gql(officer104, `query($first: Int, $after: String) { overdue(first: $first, after: $after) { ${DUE} cursor } }`, { first: 2, after }).expect(200);
        expect(res.body.errors).toBeUndefined();
        const page = res.body.data.overdue as Array<(typeof whole)[number] & { cursor: string }>;
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(2);
        pages.push(page.map(({ cursor: _c, ...item }) => item));
        after = page[page.length - 1].cursor;
      }
      expect(pages.flat()).toEqual(whole);
      expect(pages.length).toBe(Math.ceil(whole.length / 2));
      const bad = await gql(officer104, `query { overdue(first: 2, after: "nonsense") { recordId } }`).expect(200);
      expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const tooMany = await gql(officer104, `query { overdue(first: 501) { recordId } }`).expect(200);
      expect(tooMany.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('is audited once per query', async () => {
      const before = await count(`SELECT count(*) AS n FROM audit.events WHERE action IN ('correction.due-today.list', 'correction.overdue.list')`);
      await due(officer104, 'dueToday');
      await due(officer104, 'overdue');
      expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action IN ('correction.due-today.list', 'correction.overdue.list')`)).toBe(before + 2);
    });
  });
});
