import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { SERVICE_NAME, auditChainNames } from './audit-writer';

/** The anchor interval an app reads (AUDIT_ANCHOR_INTERVAL_SECONDS, default 300; 0 = only at shutdown). */
export interface AuditAnchorVars {
  AUDIT_ANCHOR_INTERVAL_SECONDS?: number;
  /** How many chains the service appends to (issue 13); each is anchored. */
  AUDIT_CHAIN_SHARDS?: number;
}

export interface AuditAnchor {
  service: string;
  headId: string;
  headHash: string;
}

/**
 * Anchors this service's audit chain (issue 6 item 3): `audit.anchor(service)` copies the head
 * (id, hash) into `audit.anchors` (INSERT-only; the app cannot read it back) and the same head goes
 * to the log output, which is shipped off the database host. `audit:verify` checks both against the
 * chain, so a chain rebuilt or cut short after an anchor is detected. Runs every interval and at shutdown;
 * nothing is written while the head has not moved.
 */
@Injectable()
export class AuditAnchorer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditAnchor');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(APP_CONFIG) private readonly config: AuditAnchorVars,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.AUDIT_ANCHOR_INTERVAL_SECONDS ?? 300;
    if (seconds > 0) {
      this.timer = setInterval(() => void this.tick(), seconds * 1000);
      this.timer.unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.tick();
  }

  private async tick(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    const run = this.anchor().catch((e: unknown) => this.logger.warn(`audit anchor of ${this.service} failed: ${(e as Error).message}`));
    this.running = run;
    await run;
  }

  /**
   * Writes an anchor for each chain of the service whose head moved since its last one (issue 13: a
   * service appends to AUDIT_CHAIN_SHARDS chains); returns the first written (and logs each), else undefined.
   */
  async anchor(): Promise<AuditAnchor | undefined> {
    const written = await this.anchorAll();
    return written[0];
  }

  /** Every chain's anchor written this time. */
  async anchorAll(): Promise<AuditAnchor[]> {
    const out: AuditAnchor[] = [];
    for (const chain of auditChainNames(this.service, this.config.AUDIT_CHAIN_SHARDS ?? 1)) {
      const rows: Array<{ head_id: string; head_hash: string }> = await this.dataSource.query(
        `SELECT head_id::text AS head_id, head_hash FROM audit.anchor($1)`,
        [chain],
      );
      if (!rows.length) continue;
      const anchor = { service: chain, headId: rows[0].head_id, headHash: rows[0].head_hash };
      this.logger.log(`audit anchor service=${anchor.service} headId=${anchor.headId} headHash=${anchor.headHash}`);
      out.push(anchor);
    }
    return out;
  }
}
