import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DrugTestResult } from '@homeward/domain';

export type DrugTestSource = 'FOLLOW_UP' | 'POLICE';

/** AC-4: one drug test (尿检) of a person, from a follow-up or reported by police; `caseId` null when no open case matched. */
@Entity({ name: 'drug_tests' })
export class DrugTest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'uuid', nullable: true })
  caseId: string | null;

  @Column({ type: 'uuid', nullable: true })
  followUpId: string | null;

  @Column({ type: 'date' })
  testedOn: string;

  @Column({ type: 'varchar', length: 20 })
  result: DrugTestResult;

  @Column({ type: 'varchar', length: 20 })
  source: DrugTestSource;

  /** The staff user id, or `POLICE:<agency id>`. */
  @Column({ type: 'varchar', length: 120 })
  reportedBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
