import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { EmploymentServiceKind, WelfareKind } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

export type WelfareReferralStatus = 'REFERRED' | 'GRANTED' | 'REFUSED' | 'ENDED';

/** RS-7 a welfare referral (社会救助转介) of an assistance subject, with its status. */
@Entity({ name: 'welfare_referrals' })
export class WelfareReferral {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) caseId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 40 }) kind: WelfareKind;
  @Column({ type: 'varchar', length: 12 }) status: WelfareReferralStatus;
  @Column({ type: 'date' }) referredOn: string;
  @Column({ type: 'date', nullable: true }) decidedOn: string | null;
  @Column({ name: 'note_cipher', type: 'text', nullable: true, transformer: encryptedColumn }) note: string | null;
  @Column({ type: 'varchar', length: 80 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
}

/** RS-7 an employment service (就业服务) given to an assistance subject. */
@Entity({ name: 'employment_services' })
export class EmploymentService {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) caseId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 40 }) kind: EmploymentServiceKind;
  @Column({ type: 'date' }) providedOn: string;
  @Column({ name: 'note_cipher', type: 'text', nullable: true, transformer: encryptedColumn }) note: string | null;
  @Column({ type: 'varchar', length: 80 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
