import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { RiskLevel } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/** RS-6 a risk assessment (危险性评估) after release; the latest one counts. */
@Entity({ name: 'risk_assessments' })
export class RiskAssessment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) releaseId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 10 }) level: RiskLevel;
  /** JSON list of the factors found (free text naming people possible: encrypted). */
  @Column({ name: 'factors_cipher', type: 'text', transformer: encryptedColumn }) factorsJson: string;
  @Column({ type: 'date' }) assessedOn: string;
  @Column({ type: 'varchar', length: 80 }) assessedBy: string;
  @Column({ type: 'boolean' }) onTime: boolean;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** RS-6 a key person handed to police for community control (社区管控); one per release. */
@Entity({ name: 'police_hand_overs' })
export class PoliceHandOver {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) releaseId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ name: 'police_unit_cipher', type: 'text', transformer: encryptedColumn }) policeUnit: string;
  @Column({ type: 'date' }) handedOverOn: string;
  @Column({ type: 'varchar', length: 80 }) recordedBy: string;
  @Column({ type: 'boolean' }) onTime: boolean;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
