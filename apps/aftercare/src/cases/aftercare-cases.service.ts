import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AuditWriter,
  Principal,
  rowsByPersonKeyInTowns,
} from '@homeward/platform';
import { AftercareCase } from './aftercare-case.entity';

@Injectable()
export class AftercareCasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
  ) {}

  async findByPersonKeys(caller: Principal, keys: readonly string[]): Promise<Map<string, AftercareCase[]>> {
    const { byKey, rows, towns } = await rowsByPersonKeyInTowns(this.dataSource.getRepository(AftercareCase), caller, keys);
    if (rows.length > 0) {
      await this.audit.record({ actor: caller, action: 'aftercare.case.read', entityType: 'AftercareCase', towns, personKeys: rows.map((r) => r.personKey), details: { ids: rows.map((r) => r.id) } });
    }
    return byKey;
  }

}
