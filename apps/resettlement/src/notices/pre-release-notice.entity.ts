import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { Gender, KeyCategory, ReceiptStatus, VerificationResult } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/**
 * How a notice found its town (RS-1): actual residence first, then registration; else it waits in
 * the city queue (CITY_QUEUE, town null) until the city office assigns one (ASSIGNED).
 */
export type NoticeMatch = 'RESIDENCE' | 'REGISTRATION' | 'ASSIGNED' | 'CITY_QUEUE';

/** What the town office found, item by item (RS-2); stored encrypted (notes may name family members). */
export interface VerificationRecord {
  items: { item: string; matches: boolean; note?: string | null }[];
  notes: string | null;
}

/**
 * A prison's pre-release notice (预释放人员信息, RS-1), its verification by the town office and the
 * receipt (衔接回执, RS-2). Person data are FieldCipher tokens; the prisoner number is found through a
 * keyed index. `town` is null while the notice waits in the city queue (it matched no Jiangyin town).
 */
@Entity({ name: 'pre_release_notices' })
export class PreReleaseNotice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'text' })
  idNumberCipher: string;

  @Column({ type: 'varchar', length: 32 })
  maskedIdNumber: string;

  @Column({ name: 'name_cipher', type: 'text', transformer: encryptedColumn })
  name: string;

  @Column({ type: 'char', length: 64 })
  nameIndex: string;

  @Column({ type: 'varchar', length: 8 })
  gender: Gender;

  @Column({ name: 'birth_date_cipher', type: 'text', transformer: encryptedColumn })
  birthDate: string;

  @Column({ name: 'phone_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  phone: string | null;

  @Column({ name: 'registered_address_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  registeredAddress: string | null;

  @Column({ name: 'residence_address_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  residenceAddress: string | null;

  /** The town codes as the prison sent them (they may name no Jiangyin town). */
  @Column({ type: 'varchar', length: 8 })
  residenceTownCode: string;

  @Column({ type: 'varchar', length: 8, nullable: true })
  registeredTownCode: string | null;

  /** The responsible town office; null = city queue. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  town: string | null;

  @Column({ type: 'varchar', length: 20 })
  matchedBy: NoticeMatch;

  /** `<AGENCY KIND>:<agency id>` of the prison that sent it (partner ownership). */
  @Column({ type: 'varchar', length: 120 })
  prisonAgency: string;

  @Column({ name: 'prisoner_no_cipher', type: 'text', transformer: encryptedColumn })
  prisonerNo: string;

  @Column({ type: 'char', length: 64 })
  prisonerNoIndex: string;

  @Column({ type: 'date' })
  expectedReleaseDate: string;

  @Column({ name: 'offence_cipher', type: 'text', transformer: encryptedColumn })
  offence: string;

  @Column({ name: 'sentence_cipher', type: 'text', transformer: encryptedColumn })
  sentence: string;

  @Column({ name: 'conduct_cipher', type: 'text', transformer: encryptedColumn })
  conductInPrison: string;

  @Column({ name: 'health_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  health: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  keyCategories: KeyCategory[];

  @Column({ type: 'boolean' })
  keyPerson: boolean;

  @Column({ type: 'date' })
  receivedOn: string;

  /** RS-4: the person applied for an agreement (required before release then, as for key persons). */
  @Column({ type: 'boolean', default: false })
  agreementApplied: boolean;

  /** RS-2 / AL-3: verified and receipt sent by this day. */
  @Column({ type: 'date' })
  verificationDue: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  verification: VerificationResult | null;

  @Column({ name: 'verification_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  verificationRecordJson: string | null;

  @Column({ type: 'date', nullable: true })
  verifiedOn: string | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  verifiedBy: string | null;

  @Column({ type: 'varchar', length: 10, default: ReceiptStatus.PENDING })
  receiptStatus: ReceiptStatus;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  receiptSentAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @VersionColumn()
  version: number;

  verificationRecord(): VerificationRecord | null {
    return this.verificationRecordJson ? (JSON.parse(this.verificationRecordJson) as VerificationRecord) : null;
  }
}

/** RS-3: a change of the key-person categories by the town office, with its reason (history kept). */
@Entity({ name: 'key_category_changes' })
export class KeyCategoryChange {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  noticeId: string;

  @Column({ type: 'text', array: true })
  before: KeyCategory[];

  @Column({ type: 'text', array: true })
  after: KeyCategory[];

  @Column({ name: 'reason_cipher', type: 'text', transformer: encryptedColumn })
  reason: string;

  @Column({ type: 'varchar', length: 80 })
  changedBy: string;

  @CreateDateColumn({ name: 'changed_at', type: 'timestamptz', precision: 3 })
  changedAt: Date;
}
