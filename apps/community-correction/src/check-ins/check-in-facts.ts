import { Global, Injectable, Module } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { LocalDate } from '@homeward/domain';
import { CHECK_IN_FACTS, type CheckInFacts } from '../supervision/supervision-facts';
import { CheckIn } from './check-in.entity';

/** What supervision asks the check-ins feature (CHECK_IN_FACTS): read from check-ins' own table. */
@Injectable()
export class CheckInFactsReader implements CheckInFacts {
  async lastCheckInOn(subjectId: string, manager: EntityManager): Promise<LocalDate | null> {
    const row: { d: string | null } | undefined = await manager
      .getRepository(CheckIn)
      .createQueryBuilder('c')
      .select('max(c.onDate)::text', 'd')
      .where({ subjectId })
      .getRawOne();
    return (row?.d ?? null) as LocalDate | null;
  }
}

/** Global so SupervisionModule resolves CHECK_IN_FACTS without importing CheckInsModule (which imports it). */
@Global()
@Module({ providers: [{ provide: CHECK_IN_FACTS, useClass: CheckInFactsReader }], exports: [CHECK_IN_FACTS] })
export class CheckInFactsModule {}
