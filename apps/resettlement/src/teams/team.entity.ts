import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AssistanceMeasureKind, AssistanceTeamRole } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/**
 * RS-6 a member of an assistance team (帮教小组). The name is stored encrypted (family members,
 * volunteers and employers are private persons); staff members may carry identity's user id (a
 * SOCIAL_WORKER's is also its assignment, `assignmentId`). Never deleted: a removal records who,
 * when and why (the reason encrypted, it may name people).
 */
@Entity({ name: 'assistance_team_members' })
export class AssistanceTeamMember {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) caseId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 20 }) role: AssistanceTeamRole;
  @Column({ name: 'name_cipher', type: 'text', transformer: encryptedColumn }) name: string;
  @Column({ type: 'varchar', length: 128, nullable: true }) staffUserId: string | null;
  @Column({ type: 'varchar', length: 80, nullable: true }) staffUsername: string | null;
  @Column({ type: 'uuid', nullable: true }) assignmentId: string | null;
  @Column({ type: 'timestamptz', precision: 3 }) addedAt: Date;
  @Column({ type: 'varchar', length: 128 }) addedBy: string;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) removedAt: Date | null;
  @Column({ type: 'varchar', length: 128, nullable: true }) removedBy: string | null;
  @Column({ name: 'removal_reason_cipher', type: 'text', nullable: true, transformer: encryptedColumn }) removalReason: string | null;
}

/** One measure of a plan: its kind and what is done. */
export interface AssistanceMeasure {
  kind: AssistanceMeasureKind;
  description: string;
}

/** RS-6 one version of the assistance plan (帮教方案) of a case; each save is a new version. */
@Entity({ name: 'assistance_plans' })
export class AssistancePlan {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) caseId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'int' }) version: number;
  @Column({ name: 'goals_cipher', type: 'text', transformer: encryptedColumn }) goals: string;
  @Column({ name: 'measures_cipher', type: 'text', transformer: encryptedColumn }) measuresJson: string;
  @Column({ type: 'date' }) reviewOn: string;
  @Column({ type: 'varchar', length: 128 }) recordedBy: string;
  @Column({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
