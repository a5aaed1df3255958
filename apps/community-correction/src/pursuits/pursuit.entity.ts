import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** CC-24 追逃: a subject who absconded (or a 判实刑未执行 case found in a clean-up) reported to police for pursuit. */
@Entity({ name: 'pursuit_requests' })
export class PursuitRequest {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 24 }) kind: 'ABSCONDED' | 'SENTENCE_NOT_EXECUTED';
  @Column({ type: 'date' }) requestedOn: string;
  /** The police unit asked to pursue (公安机关名称), an agency, not a person. */
  @Column({ type: 'varchar', length: 200 }) policeUnit: string;
  @Column({ type: 'varchar', length: 10 }) status: 'REQUESTED' | 'FOUND' | 'RETURNED';
  @Column({ type: 'date', nullable: true }) foundOn: string | null;
  @Column({ type: 'date', nullable: true }) returnedOn: string | null;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** CC-24: a proposal to revoke probation/parole (撤销缓刑/假释建议) or to commit (收监执行建议), and the decision. */
@Entity({ name: 'custody_proposals' })
export class CustodyProposal {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 12 }) kind: 'REVOCATION' | 'COMMITMENT';
  /** The grounds (CC-11 sanctions, violations), field-encrypted: they describe the person's conduct. */
  @Column({ type: 'text' }) groundsCipher: string;
  /** The court or deciding body it goes to. */
  @Column({ type: 'varchar', length: 200 }) sentTo: string;
  @Column({ type: 'date' }) sentOn: string;
  @Column({ type: 'varchar', length: 10, nullable: true }) decision: 'GRANTED' | 'REFUSED' | null;
  @Column({ type: 'date', nullable: true }) decidedOn: string | null;
  @Column({ type: 'varchar', length: 120, nullable: true }) decisionDocumentNo: string | null;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}

/** CC-24 居住地争议: a dispute over the place of residence, settled by the designating authority. */
@Entity({ name: 'residence_disputes' })
export class ResidenceDispute {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'date' }) raisedOn: string;
  /** The authority that designates the place of execution (指定机关). */
  @Column({ type: 'varchar', length: 200 }) designatingAuthority: string;
  /** The town designated, when it is in Jiangyin; null while open or when outside. */
  @Column({ type: 'varchar', length: 8, nullable: true }) designatedTown: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) decision: string | null;
  @Column({ type: 'date', nullable: true }) decidedOn: string | null;
  @Column({ type: 'varchar', length: 120 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn() version: number;
}
