import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { AlertState, RiskColour } from '@homeward/domain';

/** AL-1: one alert about one record; at most one not-resolved alert per (rule, record). */
@Entity({ name: 'alerts' })
export class Alert {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 60 })
  rule: string;

  @Column({ type: 'varchar', length: 10 })
  colour: RiskColour;

  @Column({ type: 'varchar', length: 16 })
  state: AlertState;

  @Column({ type: 'char', length: 64, nullable: true })
  personKey: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  town: string | null;

  @Column({ type: 'varchar', length: 60 })
  recordType: string;

  @Column({ type: 'varchar', length: 200 })
  recordId: string;

  @Column({ type: 'timestamptz', precision: 3 })
  raisedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  dueBy: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  acknowledgedAt: Date | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  acknowledgedBy: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  resolvedBy: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @VersionColumn()
  version: number;
}
