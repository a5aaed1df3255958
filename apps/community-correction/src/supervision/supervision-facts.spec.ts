import type { DataSource, EntityManager } from 'typeorm';
import { SupervisionLevel, type LocalDate } from '@homeward/domain';
import type { EventPublisher } from '@homeward/bus';
import type { AuditWriter, Clock } from '@homeward/platform';
import type { CorrectionSubject } from '../subjects/subject.entity';
import type { SubjectAccess } from '../subjects/subject-access';
import type { CheckInFacts, SanctionFacts } from './supervision-facts';
import type { SupervisionPolicyProvider } from './supervision-policy';
import { SupervisionService } from './supervision.service';

/** A manager that fails any raw SQL: supervision must ask the features' ports, not read their tables. */
const manager = {
  query: () => {
    throw new Error('raw SQL from SupervisionService');
  },
} as unknown as EntityManager;

const subject = { id: 's-1', activatedOn: '2031-01-10', reportedOn: '2031-01-08', correctionStartDate: '2031-01-05', organisedCrime: false } as CorrectionSubject;

describe('SupervisionService asks sanctions and check-ins through its ports (issue 8 item 4)', () => {
  const sanctionFacts: SanctionFacts = {
    lastSanctionOn: jest.fn(async (ids: readonly string[]) => new Map(ids.map((id) => [id, '2031-03-02' as LocalDate]))),
    improvementSince: jest.fn(async () => new Map<string, LocalDate>()),
  };
  const checkInFacts: CheckInFacts = { lastCheckInOn: jest.fn(async () => '2031-03-20' as LocalDate) };
  const clock = { today: () => '2031-04-01', now: () => new Date('2031-04-01T02:00:00Z') } as unknown as Clock;
  const policy = { strictInitialMonths: 3, obligations: () => ({ checkInIntervalDays: 7 }) } as unknown as SupervisionPolicyProvider;
  const service = new SupervisionService(
    {} as DataSource,
    {} as EventPublisher,
    {} as AuditWriter,
    clock,
    policy,
    {} as SubjectAccess,
    sanctionFacts,
    checkInFacts,
  );

  it('CC-8: the last sanction (a STRICT reason) comes from the sanctions port, in the caller\'s transaction', async () => {
    const context = await service.strictContext(manager, subject, false);
    expect(context).toMatchObject({ lastSanctionOn: '2031-03-02', improvementSince: null, today: '2031-04-01' });
    expect(sanctionFacts.lastSanctionOn).toHaveBeenCalledWith(['s-1'], manager);
  });

  it('CC-9: the next check-in is due from the last check-in the check-ins port reports', async () => {
    expect(await service.nextDue(manager, subject, SupervisionLevel.STRICT)).toBe('2031-03-27');
    expect(checkInFacts.lastCheckInOn).toHaveBeenCalledWith('s-1', manager);
  });
});
