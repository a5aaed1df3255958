import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Gender, TeamRole } from '@homeward/domain';

/** CC-7: a member of a subject's correction team (矫正小组). */
@Entity({ name: 'team_members' })
export class TeamMember {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  subjectId: string;

  @Column({ type: 'varchar', length: 30 })
  role: TeamRole;

  @Column({ type: 'varchar', length: 100 })
  memberName: string;

  @Column({ type: 'varchar', length: 8 })
  gender: Gender;

  @Column({ type: 'boolean', default: false })
  versedInMinors: boolean;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
