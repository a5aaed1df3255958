import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { Gender } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/** How a notice found its service station (AC-1): the residence town, or the city queue until the city office assigns one. */
export type ReleaseNoticeMatch = 'RESIDENCE' | 'ASSIGNED' | 'CITY_QUEUE';

/**
 * A rehabilitation centre's release notice (即将解戒人员信息对接通知书, AC-1). Person data are FieldCipher
 * tokens; the centre's record number is found through a keyed index. `town` null = the city queue.
 */
@Entity({ name: 'release_notices' })
export class ReleaseNotice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 64 })
  personKey: string;

  @Column({ type: 'text' })
  idNumberCipher: string;

  @Column({ type: 'varchar', length: 32 })
  maskedIdNumber: string;

  @Column({ name: 'name_cipher', type: 'text', transformer: encryptedColumn })
  name: string;

  @Column({ type: 'char', length: 64 })
  nameIndex: string;

  @Column({ type: 'varchar', length: 8 })
  gender: Gender;

  @Column({ name: 'birth_date_cipher', type: 'text', transformer: encryptedColumn })
  birthDate: string;

  @Column({ name: 'phone_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  phone: string | null;

  @Column({ name: 'residence_address_cipher', type: 'text', nullable: true, transformer: encryptedColumn })
  residenceAddress: string | null;

  @Column({ type: 'varchar', length: 8 })
  residenceTownCode: string;

  @Column({ type: 'varchar', length: 8, nullable: true })
  town: string | null;

  @Column({ type: 'varchar', length: 20 })
  matchedBy: ReleaseNoticeMatch;

  /** `<AGENCY KIND>:<agency id>` of the centre that sent it. */
  @Column({ type: 'varchar', length: 120 })
  centreAgency: string;

  @Column({ name: 'centre_record_no_cipher', type: 'text', transformer: encryptedColumn })
  centreRecordNo: string;

  @Column({ type: 'char', length: 64 })
  centreRecordNoIndex: string;

  @Column({ type: 'date' })
  releaseDate: string;

  @Column({ type: 'boolean' })
  keyPerson: boolean;

  @Column({ type: 'boolean' })
  communityRehabilitation: boolean;

  @Column({ type: 'date' })
  receivedOn: string;

  /** AC-1: received fewer than 3 days (cfg) before release. */
  @Column({ type: 'boolean' })
  late: boolean;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
