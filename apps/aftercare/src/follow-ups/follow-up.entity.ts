import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DrugTestResult, FollowUpKind } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/** AC-3: a PHONE (monthly) or FACE_TO_FACE (quarterly) follow-up (回访); what was said is stored encrypted. */
@Entity({ name: 'follow_ups' })
export class FollowUp {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @Column({ type: 'varchar', length: 20 })
  kind: FollowUpKind;

  @Column({ type: 'date' })
  heldOn: string;

  /** `YYYY-MM` for PHONE, `YYYY-Qn` for FACE_TO_FACE: the period the follow-up counts for. */
  @Column({ type: 'varchar', length: 7 })
  period: string;

  @Column({ type: 'boolean' })
  contactMade: boolean;

  @Column({ name: 'situation_cipher', type: 'text', transformer: encryptedColumn })
  situation: string;

  @Column({ name: 'hardship_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  hardship: string | null;

  @Column({ name: 'assistance_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  assistance: string | null;

  @Column({ type: 'varchar', length: 20 })
  drugTest: DrugTestResult;

  @Column({ type: 'varchar', length: 80 })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
