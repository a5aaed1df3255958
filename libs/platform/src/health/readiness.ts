import { Global, Injectable, Module } from '@nestjs/common';

export interface ReadinessResult {
  ok: boolean;
  reason?: string;
}

export interface ReadinessCheck {
  name: string;
  /** `true`: failing makes the app not ready (503, status "unavailable"); else it is "degraded" (200). */
  critical: boolean;
  check(): Promise<ReadinessResult>;
}

/**
 * Extra checks of `/health/ready` registered by the app's parts (issue 14 items 3–4), e.g. a BullMQ
 * job scheduler that must exist in Redis. Non-critical checks report "degraded" without taking the app
 * out of service: what needs only PostgreSQL keeps working.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  list(): ReadinessCheck[] {
    return [...this.checks.values()];
  }
}

/** Global provider of {@link ReadinessChecks} (part of the platform's health). */
@Global()
@Module({ providers: [ReadinessChecks], exports: [ReadinessChecks] })
export class ReadinessModule {}
