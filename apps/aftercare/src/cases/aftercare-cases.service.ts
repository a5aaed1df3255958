import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditWriter, Principal, townFilter } from '@homeward/platform';
import { AftercareCase } from './aftercare-case.entity';

@Injectable()
export class AftercareCasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
  ) {}

  async findByPersonKeys(caller: Principal, keys: readonly string[]): Promise<Map<string, AftercareCase[]>> {
    const towns = townFilter(caller);
    const byKey = new Map<string, AftercareCase[]>(keys.map((k) => [k, []]));
    if (keys.length === 0 || towns.length === 0) return byKey;
    const rows = await this.dataSource
      .getRepository(AftercareCase)
      .createQueryBuilder('c')
      .where('c.personKey IN (:...keys)', { keys: [...keys] })
      .andWhere('c.town IN (:...towns)', { towns })
      .orderBy('c.createdAt', 'DESC')
      .getMany();
    for (const row of rows) byKey.get(row.personKey)?.push(row);
    if (rows.length > 0) {
      await this.audit.record({ actor: caller, action: 'aftercare.case.read', entityType: 'AftercareCase', towns, details: { ids: rows.map((r) => r.id) } });
    }
    return byKey;
  }
}
