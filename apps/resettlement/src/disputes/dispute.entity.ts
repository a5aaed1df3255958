import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DisputeCategory } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/**
 * RS-13 a dispute (矛盾纠纷) the town office or the social worker found on an assistance case. The
 * summary may name people: it is stored encrypted and never leaves the service (the push carries the
 * category and the day only).
 */
@Entity({ name: 'case_disputes' })
export class CaseDispute {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) caseId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 20 }) category: DisputeCategory;
  @Column({ type: 'date' }) occurredOn: string;
  @Column({ name: 'summary_cipher', type: 'text', transformer: encryptedColumn }) summary: string;
  @Column({ type: 'varchar', length: 80 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
