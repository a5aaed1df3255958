import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { MonitoringGround, MonitoringStatus } from '@homeward/domain';

/** CC-12: one approved electronic location (电子定位) of a subject, with the device worn. */
@Entity({ name: 'monitorings' })
export class ElectronicMonitoring {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'varchar', length: 8 })
  town: string;

  @Column({ type: 'varchar', length: 40 })
  ground: MonitoringGround;

  @Column({ type: 'varchar', length: 64 })
  deviceId: string;

  /** The county bureau head who approved (县级社区矫正机构负责人). */
  @Column({ type: 'varchar', length: 100 })
  approvedBy: string;

  @Column({ type: 'varchar', length: 120, nullable: true })
  approvalDocumentNo: string | null;

  @Column({ type: 'varchar', length: 120 })
  recordedBy: string;

  @Column({ type: 'date' })
  startDate: string;

  @Column({ type: 'date' })
  endDate: string;

  /** 00:00 Asia/Shanghai of startDate: fixes before it are not this monitoring's. */
  @Column({ type: 'timestamptz', precision: 3 })
  startsAt: Date;

  /** 00:00 Asia/Shanghai of the day after endDate. */
  @Column({ type: 'timestamptz', precision: 3 })
  endsAt: Date;

  @Column({ type: 'varchar', length: 10 })
  status: MonitoringStatus;

  @Column({ type: 'date', nullable: true })
  endedOn: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  endReason: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastFixAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  silentSince: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  breachSince: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

/** CC-12: one extension (each at most 3 months), kept as history. */
@Entity({ name: 'monitoring_extensions' })
export class MonitoringExtension {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  monitoringId: string;

  @Column({ type: 'date' })
  previousEndDate: string;

  @Column({ type: 'date' })
  endDate: string;

  @Column({ type: 'varchar', length: 100 })
  approvedBy: string;

  @Column({ type: 'varchar', length: 1000 })
  reason: string;

  @Column({ type: 'varchar', length: 120 })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
