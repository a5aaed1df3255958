import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** CC-12: a zone a prohibition order (禁止令) forbids the subject to enter, from start to end (inclusive; open-ended when null). */
@Entity({ name: 'prohibition_zones' })
export class ProhibitionZone {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  /** The place as the order names it (a school, a bar street …), never a person. */
  @Column({ type: 'varchar', length: 200 }) place: string;
  /** PostgreSQL polygon, x = longitude, y = latitude. */
  @Column({ type: 'polygon' }) area: string;
  @Column({ type: 'date' }) startDate: string;
  @Column({ type: 'date', nullable: true }) endDate: string | null;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @Column({ type: 'varchar', length: 120, nullable: true }) endedBy: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}
