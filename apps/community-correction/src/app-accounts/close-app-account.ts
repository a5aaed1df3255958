import { EntityManager } from 'typeorm';

/**
 * Issue 12 item 1: when a case ends (discharged, terminated, transferred out of Jiangyin) its
 * subject's 在矫通 account stops logging in — identity reads `app_access.accounts.active` at every
 * login and refresh — in the same transaction as the change of status. A plain function, so the
 * lifecycle and transfer services need not import the accounts module.
 */
export async function closeSubjectAppAccount(manager: EntityManager, subjectId: string, at: Date): Promise<void> {
  await manager.query(`UPDATE app_access.accounts SET active = false, updated_at = $2 WHERE subject_id = $1 AND active`, [subjectId, at]);
}
