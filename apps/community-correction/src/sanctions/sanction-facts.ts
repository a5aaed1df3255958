import { Global, Injectable, Module } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import type { LocalDate } from '@homeward/domain';
import { SANCTION_FACTS, type SanctionFacts } from '../supervision/supervision-facts';
import { Improvement, Sanction } from './sanction.entity';

/** What supervision asks the sanctions feature (SANCTION_FACTS): read from sanctions' own tables. */
@Injectable()
export class SanctionFactsReader implements SanctionFacts {
  async lastSanctionOn(subjectIds: readonly string[], manager: EntityManager): Promise<Map<string, LocalDate>> {
    if (subjectIds.length === 0) return new Map();
    const rows: Array<{ subjectId: string; d: string }> = await manager
      .getRepository(Sanction)
      .createQueryBuilder('s')
      .select('s.subjectId', 'subjectId')
      .addSelect('max(s.decidedOn)::text', 'd')
      .where({ subjectId: In([...subjectIds]) })
      .groupBy('s.subjectId')
      .getRawMany();
    return new Map(rows.map((r) => [r.subjectId, r.d as LocalDate]));
  }

  async improvementSince(subjectIds: readonly string[], manager: EntityManager): Promise<Map<string, LocalDate>> {
    if (subjectIds.length === 0) return new Map();
    const rows: Array<{ subjectId: string; d: string }> = await manager
      .getRepository(Improvement)
      .createQueryBuilder('i')
      .select('i.subjectId', 'subjectId')
      .addSelect('max(i.since)::text', 'd')
      .where({ subjectId: In([...subjectIds]) })
      .groupBy('i.subjectId')
      .getRawMany();
    return new Map(rows.map((r) => [r.subjectId, r.d as LocalDate]));
  }
}

/** Global so SupervisionModule resolves SANCTION_FACTS without importing SanctionsModule (which imports it). */
@Global()
@Module({ providers: [{ provide: SANCTION_FACTS, useClass: SanctionFactsReader }], exports: [SANCTION_FACTS] })
export class SanctionFactsModule {}
