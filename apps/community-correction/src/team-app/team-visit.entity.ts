import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { encryptedColumn } from '@homeward/platform';

export enum TeamVisitKind {
  VISIT = 'VISIT',
  OBSERVATION = 'OBSERVATION',
}

export const TEAM_VISIT_KIND_LABELS: Record<TeamVisitKind, string> = {
  [TeamVisitKind.VISIT]: '走访',
  [TeamVisitKind.OBSERVATION]: '日常观察',
};

/** CC-21 (协矫通): a visit or an observation a team member (grid worker, volunteer, family) records. */
@Entity({ name: 'team_visits' })
export class TeamVisit {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'uuid' }) teamMemberId: string;
  @Column({ type: 'uuid' }) accountId: string;
  @Column({ type: 'varchar', length: 12 }) kind: TeamVisitKind;
  @Column({ type: 'timestamptz', precision: 3 }) at: Date;
  @Column({ name: 'place_cipher', type: 'text', transformer: encryptedColumn }) place: string;
  @Column({ name: 'observation_cipher', type: 'text', transformer: encryptedColumn }) observation: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
