import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { encryptedColumn } from '@homeward/platform';

/** A party of a "1+1+N" agreement: PERSON, TOWN_OFFICE, or one of the N (FAMILY, EMPLOYER, SOCIAL_ORGANISATION, VOLUNTEER). */
export interface AgreementParty {
  role: string;
  name: string;
}

/** The clauses of an agreement (RS-4): control, education, assistance. */
export interface AgreementClauses {
  control: string;
  education: string;
  assistance: string;
}

/** RS-4 an assistance agreement (安置帮教协议) signed before release. */
@Entity({ name: 'agreements' })
export class Agreement {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) noticeId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ name: 'parties_cipher', type: 'text', transformer: encryptedColumn }) partiesJson: string;
  @Column({ name: 'clauses_cipher', type: 'text', transformer: encryptedColumn }) clausesJson: string;
  @Column({ type: 'date' }) signedOn: string;
  @Column({ type: 'varchar', length: 80 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
