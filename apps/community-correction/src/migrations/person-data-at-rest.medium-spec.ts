import { IdNumber, idNumberCheckChar } from '@homeward/domain';
import { FieldCipher, PersonKeys, PlatformDataSource, createDataSource, useColumnCipher } from '@homeward/platform';
import { TEST_FIELD_ENCRYPTION_KEY, TEST_PERSON_KEY_SECRET, TestDatabase, createTestDatabase, findClearPii, personNeedles } from '@homeward/testing';
import { ENTITIES } from '../entities';
import { CorrectionSubject } from '../subjects/subject.entity';
import { Investigation } from '../investigations/investigation.entity';
import { TeamMember } from '../plans/team-member.entity';
import { LeaveRequest } from '../leave/leave.entity';
import { Dispute } from '../assistance/assistance.entity';
import { MIGRATIONS, SCHEMA } from './index';
import { CorrectionCheckInClock1797600000500 } from './1797600000500-CorrectionCheckInClock';
import { CorrectionPeriodIndexes1797600000510 } from './1797600000510-CorrectionPeriodIndexes';
import { CorrectionIndicatorIndexes1797600000600 } from './1797600000600-CorrectionIndicatorIndexes';
import { CorrectionMonitoringFillfactor1797600000700 } from './1797600000700-CorrectionMonitoringFillfactor';
import { CorrectionPersonDataAtRest1795830000000 } from './1795830000000-CorrectionPersonDataAtRest';

jest.setTimeout(60_000);

const ID = `32028119850615123${idNumberCheckChar('32028119850615123')}`;
const NAME = '上官婉清';
const DEFENDANT_ID = `32028119920229004${idNumberCheckChar('32028119920229004')}`;
const DEFENDANT_NAME = '东方既白';

describe('issue 6 item 2: migration CorrectionPersonDataAtRest converts existing clear rows (real PostgreSQL)', () => {
  let db: TestDatabase;
  const saved = { key: process.env.FIELD_ENCRYPTION_KEY, secret: process.env.PERSON_KEY_SECRET };
  // Every migration but this one and those that need its encrypted columns (issue 13's covering index),
  // or come after those (undone before it in the down test).
  const NEEDS_IT: (typeof MIGRATIONS)[number][] = [
    CorrectionCheckInClock1797600000500,
    CorrectionPeriodIndexes1797600000510,
    CorrectionIndicatorIndexes1797600000600,
    CorrectionMonitoringFillfactor1797600000700,
  ];
  const before = MIGRATIONS.filter((m) => m !== CorrectionPersonDataAtRest1795830000000 && !NEEDS_IT.includes(m));
  const open = (migrations: typeof MIGRATIONS): PlatformDataSource =>
    createDataSource({ url: db.url, schema: SCHEMA, entities: [...ENTITIES], migrations: [...migrations], poolSize: 2 });
  const restoreEnv = () => {
    for (const [name, value] of [['FIELD_ENCRYPTION_KEY', saved.key], ['PERSON_KEY_SECRET', saved.secret]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const old = open(before);
    await old.initialize();
    const [s] = await old.query(
      `INSERT INTO correction.subjects (person_key, id_number_cipher, masked_id_number, name, gender, birth_date, phone, registered_address, residence_address,
         town, sentence_type, judgment_document_no, judgment_effective_date, correction_start_date, correction_end_date, offence, deciding_authority,
         enrolled_by_agency, status, report_deadline, documents_deadline)
       VALUES ($1, $2, $3, $4, 'FEMALE', '1985-06-15', '13911112222', '江阴市华士镇华西村1号', NULL, '107', 'PROBATION', '(2026)苏0281刑初9号',
         '2026-01-05', '2026-01-05', '2026-12-31', '诈骗罪', '江阴市人民法院', 'court-1', 'PENDING_REPORT', '2026-01-15', '2026-01-08') RETURNING id`,
      ['a'.repeat(64), new FieldCipher({ FIELD_ENCRYPTION_KEY: TEST_FIELD_ENCRYPTION_KEY }).encrypt(ID), IdNumber.parse(ID).masked(), NAME],
    );
    await old.query(
      `INSERT INTO correction.team_members (subject_id, role, member_name, gender, phone) VALUES ($1, 'FAMILY', '上官明', 'MALE', '13733334444')`,
      [s.id],
    );
    await old.query(
      `INSERT INTO correction.leaves (subject_id, person_key, town, kind, destination, reason, start_date, end_date, approval_level, status, requested_by)
       VALUES ($1, $2, '107', 'LEAVE', '南京市鼓楼区中山路8号', '探亲', '2026-03-01', '2026-03-03', 'JUSTICE_OFFICE', 'RETURNED', 'officer')`,
      [s.id, 'a'.repeat(64)],
    );
    await old.query(
      `INSERT INTO correction.disputes (subject_id, person_key, town, description, found_on, found_by, status, resolution, resolved_on, resolved_by)
       VALUES ($1, $2, '107', '与邻居上官明远因宅基地纠纷', '2026-03-01', 'officer', 'RESOLVED', '上官明远同意调解', '2026-03-05', 'officer')`,
      [s.id, 'a'.repeat(64)],
    );
    await old.query(
      `INSERT INTO correction.investigations (person_key, id_number_cipher, masked_id_number, name, town, requester_agency_id, requester_agency_kind,
         requesting_document_no, proposed_sentence_type, expedited, offence, received_date, original_due_date, due_date, status)
       VALUES ($1, 'x', $2, $3, '107', 'court-1', 'COURT', 'REQ-1', 'PROBATION', false, '盗窃罪', '2026-06-01', '2026-06-15', '2026-06-15', 'PENDING')`,
      ['b'.repeat(64), IdNumber.parse(DEFENDANT_ID).masked(), DEFENDANT_NAME],
    );
    await old.destroy();
  });

  afterAll(async () => {
    restoreEnv();
    await db?.drop();
  });

  it('issue 6 item 2: with rows to convert and no FIELD_ENCRYPTION_KEY in the environment, the migration fails naming it and changes nothing', async () => {
    delete process.env.FIELD_ENCRYPTION_KEY;
    delete process.env.PERSON_KEY_SECRET;
    const ds = open(MIGRATIONS);
    await expect(ds.initialize()).rejects.toThrow(/FIELD_ENCRYPTION_KEY/);
    if (ds.isInitialized) await ds.destroy();
    restoreEnv();
    const hits = await findClearPii(db.url, personNeedles(ID, NAME));
    expect(hits.map((h) => `${h.table}.${h.column}`)).toEqual(expect.arrayContaining(['subjects.name', 'subjects.birth_date']));
  });

  it('issue 6 item 2: with the keys it encrypts every clear column, fills the name index and drops the clear columns', async () => {
    process.env.FIELD_ENCRYPTION_KEY = TEST_FIELD_ENCRYPTION_KEY;
    process.env.PERSON_KEY_SECRET = TEST_PERSON_KEY_SECRET;
    const ds = open(MIGRATIONS);
    await ds.initialize();
    try {
      expect(
        await findClearPii(db.url, {
          ...personNeedles(ID, NAME),
          ...personNeedles(DEFENDANT_ID, DEFENDANT_NAME, 'defendant.'),
          phone: '13911112222',
          address: '江阴市华士镇华西村1号',
          offence: '诈骗罪',
          member: '上官明',
          memberPhone: '13733334444',
          destination: '南京市鼓楼区中山路8号',
          party: '上官明远',
        }),
      ).toEqual([]);
      useColumnCipher(new FieldCipher({ FIELD_ENCRYPTION_KEY: TEST_FIELD_ENCRYPTION_KEY }));
      const personKeys = new PersonKeys({ PERSON_KEY_SECRET: TEST_PERSON_KEY_SECRET });
      const [subject] = await ds.getRepository(CorrectionSubject).find();
      expect(subject).toMatchObject({
        name: NAME,
        nameIndex: personKeys.nameIndex(NAME),
        birthDate: '1985-06-15',
        phone: '13911112222',
        registeredAddress: '江阴市华士镇华西村1号',
        residenceAddress: null,
        offence: '诈骗罪',
        maskedIdNumber: `320281********${ID.slice(14)}`,
      });
      const [inv] = await ds.getRepository(Investigation).find();
      expect(inv).toMatchObject({ name: DEFENDANT_NAME, nameIndex: personKeys.nameIndex(DEFENDANT_NAME), offence: '盗窃罪' });
      expect(await ds.getRepository(TeamMember).find()).toEqual([expect.objectContaining({ memberName: '上官明', phone: '13733334444' })]);
      expect(await ds.getRepository(LeaveRequest).find()).toEqual([expect.objectContaining({ destination: '南京市鼓楼区中山路8号' })]);
      expect(await ds.getRepository(Dispute).find()).toEqual([expect.objectContaining({ description: '与邻居上官明远因宅基地纠纷', resolution: '上官明远同意调解' })]);
      const clearColumns = await ds.query(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'correction'
            AND (table_name, column_name) IN (('subjects','name'),('subjects','birth_date'),('subjects','phone'),('subjects','offence'),
                 ('investigations','name'),('team_members','member_name'),('leaves','destination'))`,
      );
      expect(clearColumns).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('issue 6 item 2: down decrypts back to the clear columns (with the keys)', async () => {
    const ds = open(MIGRATIONS);
    await ds.initialize();
    try {
      // The migrations run after it (NEEDS_IT) are undone first, then this one.
      for (let k = 0; k <= NEEDS_IT.length; k += 1) await ds.undoLastMigration({ transaction: 'each' });
      const [row] = await ds.query(`SELECT name, birth_date::text AS birth_date, phone, offence FROM correction.subjects`);
      expect(row).toEqual({ name: NAME, birth_date: '1985-06-15', phone: '13911112222', offence: '诈骗罪' });
      const [d] = await ds.query(`SELECT description FROM correction.disputes`);
      expect(d.description).toBe('与邻居上官明远因宅基地纠纷');
    } finally {
      await ds.destroy();
    }
  });
});
