import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { PickUpBy } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/** Who collected the person, their relationship, where (RS-5); encrypted (it names people). */
export interface PickUpDetails {
  collectorName: string;
  relationship: string;
  place: string;
}

/**
 * A release from prison confirmed by the prison (RS-5), with the office's pick-up record (必接必送)
 * and the dates RS-6 sets from it. `town` is null while its notice waits in the city queue; the
 * assistance case (RS-6) opens when the town is known.
 */
@Entity({ name: 'releases' })
export class Release {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  noticeId: string | null;

  @Column({ type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'varchar', length: 8, nullable: true })
  town: string | null;

  @Column({ type: 'varchar', length: 120 })
  prisonAgency: string;

  @Column({ type: 'date' })
  actualReleaseDate: string;

  @Column({ name: 'handed_over_to_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  handedOverTo: string | null;

  @Column({ type: 'boolean' })
  keyPerson: boolean;

  @Column({ type: 'date' })
  pickUpDue: string;

  @Column({ type: 'date' })
  riskAssessmentDue: string;

  @Column({ type: 'date' })
  policeHandOverDue: string;

  @Column({ type: 'uuid', nullable: true })
  caseId: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  pickedUpAt: Date | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  pickedUpBy: PickUpBy | null;

  @Column({ name: 'pick_up_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  pickUpJson: string | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  pickUpRecordedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @VersionColumn()
  version: number;

  pickUp(): PickUpDetails | null {
    return this.pickUpJson ? (JSON.parse(this.pickUpJson) as PickUpDetails) : null;
  }
}
