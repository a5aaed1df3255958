import { DataSource, EntityManager } from 'typeorm';
import type { AssignmentChangedPayload } from '@homeward/domain';

/**
 * Case assignments (issue 6 item 7): which staff member (a SOCIAL_WORKER) works with which person.
 * Generic so every service that owns persons keeps its own table `<schema>.case_assignments`
 * (DDL from `caseAssignmentsDdl`) and plugs `CaseAssignmentStore` in as its CaseloadSource;
 * correction does today, resettlement and aftercare can by adding the migration and the mutations.
 * History is kept: a row is never deleted, an assignment ends by setting ended_at / ended_by.
 */
export interface CaseAssignment {
  id: string;
  workerId: string;
  subjectId: string;
  personKey: string;
  town: string;
  assignedAt: Date;
  assignedBy: string;
  endedAt: Date | null;
  endedBy: string | null;
}

/** The personKeys a caseload-bound principal may see (AuthGuard fills Principal.caseload from it). */
/** The bus payload of an assignment that started or ended (`correction.assignment.changed`, `resettlement.assignment.changed`). */
export function assignmentChangedPayload(a: CaseAssignment): AssignmentChangedPayload {
  return {
    assignmentId: a.id,
    workerId: a.workerId,
    subjectId: a.subjectId,
    personKey: a.personKey,
    town: a.town,
    assignedAt: a.assignedAt.toISOString(),
    assignedBy: a.assignedBy,
    endedAt: a.endedAt ? a.endedAt.toISOString() : null,
    endedBy: a.endedBy,
  };
}

export interface CaseloadSource {
  activePersonKeys(workerId: string): Promise<string[]>;
}
export const CASELOAD_SOURCE = Symbol('CASELOAD_SOURCE');

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** The table and indexes, for a service's own migration. */
export function caseAssignmentsDdl(schema: string): string[] {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`bad schema name ${schema}`);
  return [
    `CREATE TABLE ${schema}.case_assignments (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       worker_id varchar(128) NOT NULL,
       subject_id uuid NOT NULL,
       person_key char(64) NOT NULL,
       town varchar(8) NOT NULL,
       assigned_at timestamptz(3) NOT NULL,
       assigned_by varchar(128) NOT NULL,
       ended_at timestamptz(3),
       ended_by varchar(128),
       CHECK ((ended_at IS NULL) = (ended_by IS NULL))
     )`,
    `CREATE UNIQUE INDEX case_assignments_active_key ON ${schema}.case_assignments (worker_id, subject_id) WHERE ended_at IS NULL`,
    `CREATE INDEX case_assignments_subject_idx ON ${schema}.case_assignments (subject_id, assigned_at DESC)`,
  ];
}

interface Row {
  id: string;
  worker_id: string;
  subject_id: string;
  person_key: string;
  town: string;
  assigned_at: Date;
  assigned_by: string;
  ended_at: Date | null;
  ended_by: string | null;
}

const COLUMNS = 'id, worker_id, subject_id, person_key, town, assigned_at, assigned_by, ended_at, ended_by';

function toAssignment(r: Row): CaseAssignment {
  return {
    id: r.id,
    workerId: r.worker_id,
    subjectId: r.subject_id,
    personKey: r.person_key,
    town: r.town,
    assignedAt: new Date(r.assigned_at),
    assignedBy: r.assigned_by,
    endedAt: r.ended_at ? new Date(r.ended_at) : null,
    endedBy: r.ended_by,
  };
}

/** SQL of `<schema>.case_assignments`; writes take the caller's transaction. */
export class CaseAssignmentStore implements CaseloadSource {
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
  ) {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`bad schema name ${schema}`);
    this.table = `${schema}.case_assignments`;
  }

  async activePersonKeys(workerId: string): Promise<string[]> {
    const rows: Array<{ person_key: string }> = await this.dataSource.query(
      `SELECT DISTINCT person_key FROM ${this.table} WHERE worker_id = $1 AND ended_at IS NULL`,
      [workerId],
    );
    return rows.map((r) => r.person_key);
  }

  async activeFor(manager: EntityManager, workerId: string, subjectId: string): Promise<CaseAssignment | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE worker_id = $1 AND subject_id = $2 AND ended_at IS NULL`,
      [workerId, subjectId],
    );
    return rows[0] ? toAssignment(rows[0]) : null;
  }

  async start(
    manager: EntityManager,
    a: { workerId: string; subjectId: string; personKey: string; town: string; at: Date; by: string },
  ): Promise<CaseAssignment> {
    const rows: Row[] = await manager.query(
      `INSERT INTO ${this.table} (worker_id, subject_id, person_key, town, assigned_at, assigned_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [a.workerId, a.subjectId, a.personKey, a.town, a.at, a.by],
    );
    return toAssignment(rows[0]);
  }

  /** The row locked FOR UPDATE, or null. */
  async lock(manager: EntityManager, id: string): Promise<CaseAssignment | null> {
    const rows: Row[] = await manager.query(`SELECT ${COLUMNS} FROM ${this.table} WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? toAssignment(rows[0]) : null;
  }

  async end(manager: EntityManager, id: string, at: Date, by: string): Promise<CaseAssignment> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows]: [Row[], number] = await manager.query(
      `UPDATE ${this.table} SET ended_at = $2, ended_by = $3 WHERE id = $1 AND ended_at IS NULL RETURNING ${COLUMNS}`,
      [id, at, by],
    );
    return toAssignment(rows[0]);
  }

  /**
   * A copy of an assignment kept by another service (from `correction.assignment.changed`):
   * inserted, or its end recorded; an end once recorded is never undone, so deliveries in any
   * order converge.
   */
  async mirror(manager: EntityManager, a: CaseAssignment): Promise<void> {
    await manager.query(
      `INSERT INTO ${this.table} (id, worker_id, subject_id, person_key, town, assigned_at, assigned_by, ended_at, ended_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET ended_at = COALESCE(${this.table}.ended_at, EXCLUDED.ended_at),
                                      ended_by = COALESCE(${this.table}.ended_by, EXCLUDED.ended_by)`,
      [a.id, a.workerId, a.subjectId, a.personKey, a.town, a.assignedAt, a.assignedBy, a.endedAt, a.endedBy],
    );
  }

  /** Every assignment of these subjects (active and ended), newest first. */
  async history(subjectIds: readonly string[]): Promise<CaseAssignment[]> {
    if (subjectIds.length === 0) return [];
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE subject_id = ANY($1::uuid[]) ORDER BY assigned_at DESC, id DESC`,
      [[...subjectIds]],
    );
    return rows.map(toAssignment);
  }
}
