import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { PushDepartment, PushKind } from '@homeward/domain';
import { encryptedColumn } from '@homeward/platform';

/** RS-13 a department's subscription to kinds of information (信息推送订阅), with its webhook endpoint. */
@Entity({ name: 'push_subscribers' })
export class PushSubscriber {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 40 }) department: PushDepartment;
  @Column({ type: 'varchar', length: 200 }) label: string;
  @Column({ type: 'varchar', length: 2000 }) endpointUrl: string;
  @Column({ type: 'text', array: true }) kinds: PushKind[];
  @Column({ type: 'boolean', default: false }) paused: boolean;
  @Column({ type: 'varchar', length: 80 }) createdBy: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
}

/**
 * A signing key of a subscriber. The secret is stored encrypted (FieldCipher through encryptedColumn) and
 * shown once, when it is made. The current key has `retiresAt` null; a rotated-out key stays valid (and is
 * still used to sign) until `retiresAt`.
 */
@Entity({ name: 'push_signing_keys' })
export class PushSigningKey {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subscriberId: string;
  @Column({ type: 'varchar', length: 40 }) keyId: string;
  @Column({ name: 'secret_cipher', type: 'text', transformer: encryptedColumn }) secret: string;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) retiresAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

export type PushDeliveryStatus = 'PENDING' | 'DELIVERED' | 'DEAD';

/** One piece of information to push to one subscriber; attempted until delivered or dead-lettered. */
@Entity({ name: 'push_deliveries' })
export class PushDelivery {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) subscriberId: string;
  @Column({ type: 'varchar', length: 40 }) kind: PushKind;
  /** The bus event that triggered it (unique with the subscriber: one delivery per event and subscriber). */
  @Column({ type: 'uuid' }) eventId: string;
  @Column({ type: 'varchar', length: 8, nullable: true }) town: string | null;
  @Column({ type: 'char', length: 64, nullable: true }) personKey: string | null;
  /** The body sent, without the delivery id (added at send time). Ids, personKey, town, dates, kind only. */
  @Column({ type: 'jsonb' }) payload: Record<string, unknown>;
  @Column({ type: 'varchar', length: 12 }) status: PushDeliveryStatus;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) nextAttemptAt: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) deliveredAt: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) deadAt: Date | null;
  @Column({ type: 'text', nullable: true }) lastError: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
}

/** The delivery log: one row per HTTP attempt. */
@Entity({ name: 'push_attempts' })
export class PushAttempt {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) deliveryId: string;
  @Column({ type: 'integer' }) attempt: number;
  @Column({ type: 'integer', nullable: true }) statusCode: number | null;
  @Column({ type: 'integer' }) durationMs: number;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ type: 'varchar', length: 40 }) keyIds: string;
  @Column({ type: 'timestamptz', precision: 3 }) attemptedAt: Date;
}

export const PUSH_ENTITIES = [PushSubscriber, PushSigningKey, PushDelivery, PushAttempt];
