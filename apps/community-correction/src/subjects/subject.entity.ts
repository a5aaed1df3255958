import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { CorrectionStatus, Gender, SentenceType, SuspendedPenalty } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/**
 * A person serving a community sentence (社区矫正对象). Issue 6 item 2: nothing from which the ID
 * number or the person can be rebuilt is stored in clear — the ID number, name, birth date, phone,
 * addresses and offence are FieldCipher tokens (`*_cipher` columns, decrypted on the entity by
 * `encryptedColumn`); the masked number keeps only the region (first 6) and the last 4, the birth date
 * (the 8 in the middle) is encrypted; the name is searchable by its keyed blind index (`nameIndex`).
 */
@Entity({ name: 'subjects' })
@Index(['town', 'status'])
export class CorrectionSubject {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'text' })
  idNumberCipher: string;

  @Column({ type: 'varchar', length: 32 })
  maskedIdNumber: string;

  @Column({ name: 'name_cipher', type: 'text', transformer: encryptedColumn })
  name: string;

  /** PersonKeys.nameIndex(name): HMAC of the normalised full name (exact-name search). */
  @Index()
  @Column({ type: 'char', length: 64 })
  nameIndex: string;

  @Column({ type: 'varchar', length: 8 })
  gender: Gender;

  /** YYYY-MM-DD, decrypted when a rule needs the age (CC-7 minors). */
  @Column({ name: 'birth_date_cipher', type: 'text', transformer: encryptedColumn })
  birthDate: string;

  @Column({ name: 'phone_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  phone: string | null;

  @Column({ name: 'registered_address_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  registeredAddress: string | null;

  @Column({ name: 'residence_address_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  residenceAddress: string | null;

  @Column({ type: 'varchar', length: 8 })
  town: string;

  @Column({ type: 'varchar', length: 40 })
  sentenceType: SentenceType;

  @Column({ type: 'varchar', length: 120 })
  judgmentDocumentNo: string;

  @Column({ type: 'date' })
  judgmentEffectiveDate: string;

  @Column({ type: 'date' })
  correctionStartDate: string;

  @Column({ type: 'date' })
  correctionEndDate: string;

  @Column({ name: 'offence_cipher', type: 'text', transformer: encryptedColumn })
  offence: string;

  @Column({ type: 'varchar', length: 200 })
  decidingAuthority: string;

  @Column({ type: 'varchar', length: 120 })
  enrolledByAgency: string;

  @Column({ type: 'varchar', length: 20 })
  status: CorrectionStatus;

  @Column({ type: 'date' })
  reportDeadline: string;

  @Column({ type: 'date' })
  documentsDeadline: string;

  @Column({ type: 'date', nullable: true })
  reportedOn: string | null;

  /** CC-4: days the report-in came after the deadline (0 on time); null until reported. */
  @Column({ type: 'integer', nullable: true })
  reportDaysLate: number | null;

  /** CC-5: the day the subject became ACTIVE. */
  @Column({ type: 'date', nullable: true })
  activatedOn: string | null;

  /** CC-2: the day correction ended (DISCHARGED or TERMINATED). */
  @Column({ type: 'date', nullable: true })
  endedOn: string | null;

  /** CC-2: DischargeReason or TerminationReason. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  endReason: string | null;

  /** CC-25 涉黑涉恶: STRICT supervision for the whole term; every alert about the subject at least ORANGE. */
  @Column({ type: 'boolean', default: false })
  organisedCrime: boolean;

  /** CC-2 / K-CC5: TERMINATED because of a new offence (re-offending). */
  @Column({ type: 'boolean', default: false })
  endedForNewOffence: boolean;

  /** CC-2: ABSCONDED flag: the day contact was lost, null when in contact. */
  @Column({ type: 'date', nullable: true })
  lostContactOn: string | null;

  /** CC-6: PROBATION only, the principal penalty suspended; null = not stated (on the officer's list). */
  @Column({ type: 'varchar', length: 24, nullable: true })
  suspendedPenalty: SuspendedPenalty | null;

  /** CC-6: the suspended term (原判刑期) in months, when stated. */
  @Column({ type: 'integer', nullable: true })
  suspendedTermMonths: number | null;

  /** CC-6: 管制 for several offences combined (数罪并罚): up to 3 years. */
  @Column({ type: 'boolean', default: false })
  combinedSentences: boolean;

  /** CC-6: days of 管制 credited for pre-trial detention (羁押折抵). */
  @Column({ type: 'integer', default: 0 })
  detentionCreditDays: number;

  /** CC-6: the day and officer who completed the suspended penalty the enrolment left out. */
  @Column({ type: 'date', nullable: true })
  sentenceCompletedOn: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  sentenceCompletedBy: string | null;

  /** CC-6: the stored period does not fit the bounds the officer's entry applies; null = no conflict. */
  @Column({ type: 'jsonb', nullable: true })
  periodConflict: { rule: string; earliestEnd: string; latestEnd: string } | null;

  /** CC-3: the day the enrolment (the deciding body's notice) arrived; null for rows enrolled before it was kept. */
  @Column({ type: 'date', nullable: true })
  notifiedOn: string | null;

  /** CC-3: last day of the 5-day notice (CC-23 holiday rule). */
  @Column({ type: 'date', nullable: true })
  noticeDeadline: string | null;

  /** CC-3: days the notice came after its deadline (0 on time). */
  @Column({ type: 'integer', nullable: true })
  noticeDaysLate: number | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
