import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { encryptedColumn } from '@homeward/platform';
import { numericHours } from '../check-ins/check-in.entity';

/** CC-26: kinds of education session: intensive training and the three special activities (三个专项活动). */
export enum EducationSessionKind {
  INTENSIVE_TRAINING = 'INTENSIVE_TRAINING',
  CULTURE = 'CULTURE',
  READING = 'READING',
  CASE_COLLECTION = 'CASE_COLLECTION',
}

export const EDUCATION_SESSION_KIND_LABELS: Record<EducationSessionKind, string> = {
  [EducationSessionKind.INTENSIVE_TRAINING]: '短期集训',
  [EducationSessionKind.CULTURE]: '文化活动',
  [EducationSessionKind.READING]: '读书活动',
  [EducationSessionKind.CASE_COLLECTION]: '案例汇编',
};

/** CC-26: an education session held by a town's office (date, place, hours). */
@Entity({ name: 'education_sessions' })
export class EducationSession {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 20 }) kind: EducationSessionKind;
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ type: 'date' }) heldOn: string;
  @Column({ type: 'varchar', length: 200 }) place: string;
  @Column({ type: 'numeric', precision: 5, scale: 2, transformer: numericHours }) hours: number;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** CC-26: a subject attended a session; the education hours it logged (CC-9) are `activityHoursId`. */
@Entity({ name: 'education_attendances' })
export class EducationAttendance {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) sessionId: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  /** READING: the attendee's written reflection (读后感), required; free text of a person: encrypted. */
  @Column({ name: 'reflection_cipher', type: 'text', nullable: true, transformer: encryptedColumn }) reflection: string | null;
  @Column({ type: 'uuid' }) activityHoursId: string;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
