import { MigrationInterface, QueryRunner } from 'typeorm';
import { FieldCipher, PersonKeys, migrationCrypto } from '@homeward/platform';

/** [table, clear column, cipher column, nullable] converted by this migration. */
const ENCRYPTED: ReadonlyArray<[string, string, string, boolean]> = [
  ['subjects', 'name', 'name_cipher', false],
  ['subjects', 'birth_date', 'birth_date_cipher', false],
  ['subjects', 'phone', 'phone_cipher', true],
  ['subjects', 'registered_address', 'registered_address_cipher', true],
  ['subjects', 'residence_address', 'residence_address_cipher', true],
  ['subjects', 'offence', 'offence_cipher', false],
  ['investigations', 'name', 'name_cipher', false],
  ['investigations', 'offence', 'offence_cipher', false],
  ['team_members', 'member_name', 'member_name_cipher', false],
  ['team_members', 'phone', 'phone_cipher', true],
  ['leaves', 'destination', 'destination_cipher', false],
  // Free text that names or identifies people (the defendant's assessment, the notices, victims, parties, file titles).
  ['investigations', 'summary', 'summary_cipher', true],
  ['investigations', 'report', 'report_cipher', true],
  ['procuratorate_notices', 'content', 'content_cipher', false],
  ['procuratorate_notices', 'reply', 'reply_cipher', true],
  ['restorative_cases', 'harm_description', 'harm_description_cipher', false],
  ['restorative_cases', 'victim_note', 'victim_note_cipher', true],
  ['disputes', 'description', 'description_cipher', false],
  ['disputes', 'resolution', 'resolution_cipher', true],
  ['archive_documents', 'title', 'title_cipher', false],
];

/** Tables with a name blind index (`name_index` = PersonKeys.nameIndex(name)). */
const NAME_INDEXED = ['subjects', 'investigations'];

/**
 * Issue 6 item 2: no clear person data at rest. Adds the `*_cipher` columns (FieldCipher tokens under
 * FIELD_ENCRYPTION_KEY) and `name_index` (keyed blind index under a key derived from
 * PERSON_KEY_SECRET), converts every existing row, then drops the clear columns (among them
 * `subjects.birth_date`, which with the masked number gave the whole ID number). The keys come from
 * the environment of the process that migrates (CLI `migrate`, the k8s Job, an app at boot); a
 * database with no rows to convert migrates without them. `masked_id_number` keeps first 6 + last 4:
 * with the birth date encrypted the 8 hidden characters are not stored anywhere in clear.
 */
export class CorrectionPersonDataAtRest1795830000000 implements MigrationInterface {
  name = 'CorrectionPersonDataAtRest1795830000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, , cipherColumn] of ENCRYPTED) {
      await q.query(`ALTER TABLE correction.${table} ADD COLUMN ${cipherColumn} text`);
    }
    for (const table of NAME_INDEXED) await q.query(`ALTER TABLE correction.${table} ADD COLUMN name_index char(64)`);

    let crypto: { cipher: FieldCipher; personKeys: PersonKeys } | undefined;
    const keys = () => (crypto ??= migrationCrypto());
    for (const table of new Set(ENCRYPTED.map(([t]) => t))) {
      const columns = ENCRYPTED.filter(([t]) => t === table);
      const rows: Array<Record<string, unknown>> = await q.query(
        `SELECT id, ${columns.map(([, clear]) => `${clear}::text AS ${clear}`).join(', ')} FROM correction.${table}`,
      );
      for (const row of rows) {
        const { cipher, personKeys } = keys();
        const sets = columns.map(([, , cipherColumn], i) => `${cipherColumn} = $${i + 2}`);
        const values: unknown[] = columns.map(([, clear]) => (row[clear] === null ? null : cipher.encrypt(String(row[clear]))));
        if (NAME_INDEXED.includes(table)) {
          sets.push(`name_index = $${values.length + 2}`);
          values.push(personKeys.nameIndex(String(row.name)));
        }
        await q.query(`UPDATE correction.${table} SET ${sets.join(', ')} WHERE id = $1`, [row.id, ...values]);
      }
    }

    for (const [table, clear, cipherColumn, nullable] of ENCRYPTED) {
      await q.query(`ALTER TABLE correction.${table} DROP COLUMN ${clear}`);
      if (!nullable) await q.query(`ALTER TABLE correction.${table} ALTER COLUMN ${cipherColumn} SET NOT NULL`);
    }
    for (const table of NAME_INDEXED) {
      await q.query(`ALTER TABLE correction.${table} ALTER COLUMN name_index SET NOT NULL`);
      await q.query(`CREATE INDEX ${table}_name_index_idx ON correction.${table} (name_index)`);
    }
  }

  /** Back to clear columns (decrypts every row; needs the same keys). */
  async down(q: QueryRunner): Promise<void> {
    const types: Record<string, string> = {
      name: 'varchar(100)',
      birth_date: 'date',
      phone: 'varchar(40)',
      registered_address: 'varchar(300)',
      residence_address: 'varchar(300)',
      offence: 'varchar(500)',
      member_name: 'varchar(100)',
      destination: 'varchar(300)',
      summary: 'varchar(2000)',
      report: 'text',
      content: 'text',
      reply: 'text',
      harm_description: 'varchar(2000)',
      victim_note: 'varchar(2000)',
      description: 'varchar(2000)',
      resolution: 'varchar(2000)',
      title: 'varchar(200)',
    };
    for (const [table, clear] of ENCRYPTED) await q.query(`ALTER TABLE correction.${table} ADD COLUMN ${clear} ${types[clear]}`);
    let cipher: FieldCipher | undefined;
    for (const table of new Set(ENCRYPTED.map(([t]) => t))) {
      const columns = ENCRYPTED.filter(([t]) => t === table);
      const rows: Array<Record<string, string | null>> = await q.query(`SELECT id, ${columns.map(([, , c]) => c).join(', ')} FROM correction.${table}`);
      for (const row of rows) {
        cipher ??= migrationCrypto().cipher;
        const c = cipher;
        const values = columns.map(([, , cipherColumn]) => (row[cipherColumn] === null ? null : c.decrypt(row[cipherColumn] as string)));
        await q.query(
          `UPDATE correction.${table} SET ${columns.map(([, clear], i) => `${clear} = $${i + 2}`).join(', ')} WHERE id = $1`,
          [row.id, ...values],
        );
      }
    }
    for (const [table, clear, cipherColumn, nullable] of ENCRYPTED) {
      await q.query(`ALTER TABLE correction.${table} DROP COLUMN ${cipherColumn}`);
      if (!nullable) await q.query(`ALTER TABLE correction.${table} ALTER COLUMN ${clear} SET NOT NULL`);
    }
    for (const table of NAME_INDEXED) await q.query(`ALTER TABLE correction.${table} DROP COLUMN name_index`);
  }
}
