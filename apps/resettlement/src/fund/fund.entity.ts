import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { BaseKind, FundMovementKind } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/** RS-11 a resettlement base (安置基地) with its capacity. */
@Entity({ name: 'bases' })
export class ResettlementBase {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 8 }) town: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'varchar', length: 20 }) kind: BaseKind;
  @Column({ type: 'integer' }) capacity: number;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** RS-11 a person placed at a base (one open placement per case). */
@Entity({ name: 'base_placements' })
export class BasePlacement {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) baseId: string;
  @Column({ type: 'uuid' }) caseId: string;
  @Column({ type: 'char', length: 64 }) personKey: string;
  @Column({ type: 'date' }) startedOn: string;
  @Column({ type: 'date', nullable: true }) endedOn: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** RS-11 the sunshine assistance fund (阳光帮扶基金): amounts in whole fen; the balance never goes negative. */
@Entity({ name: 'funds' })
export class Fund {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'varchar', length: 8, nullable: true }) town: string | null;
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) balanceFen: number;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** One donation in or grant out, with the balance after it. */
@Entity({ name: 'fund_movements' })
export class FundMovement {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) fundId: string;
  @Column({ type: 'varchar', length: 10 }) kind: FundMovementKind;
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) amountFen: number;
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) balanceAfterFen: number;
  /** The donor, or the person or family a grant goes to. */
  @Column({ name: 'counterparty_cipher', type: 'text', transformer: encryptedColumn }) counterparty: string;
  @Column({ name: 'purpose_cipher', type: 'text', transformer: encryptedColumn }) purpose: string;
  @Column({ type: 'char', length: 64, nullable: true }) personKey: string | null;
  @Column({ type: 'varchar', length: 8, nullable: true }) town: string | null;
  @Column({ type: 'varchar', length: 80 }) recordedBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) recordedAt: Date;
}
