import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Gender, TeamRole } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/** CC-7: a member of a subject's correction team (矫正小组). */
@Entity({ name: 'team_members' })
export class TeamMember {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  subjectId: string;

  @Column({ type: 'varchar', length: 30 })
  role: TeamRole;

  /** Issue 6 item 2: a person's name and phone, encrypted (FieldCipher). */
  @Column({ name: 'member_name_cipher', type: 'text', transformer: encryptedColumn })
  memberName: string;

  @Column({ type: 'varchar', length: 8 })
  gender: Gender;

  @Column({ type: 'boolean', default: false })
  versedInMinors: boolean;

  @Column({ name: 'phone_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  phone: string | null;

  /** CC-13: the old town's team ends when a change of residence moves the case (the new town forms its own). */
  @Column({ type: 'date', nullable: true })
  endedOn: string | null;

  /** Issue 12 item 1: the 协矫通 account of this member (one account may be on several subjects' teams). */
  @Column({ type: 'uuid', nullable: true })
  accountId: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
